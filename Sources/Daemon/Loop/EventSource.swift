import CSystemd

/// An sd-event source owned by a Swift object: the source is disabled and released when the object goes away,
/// so its C callback, which finds the object through an unretained pointer, never outlives it.
///
/// The concrete sources (`TimerSource`, `SignalSource`, `IOSource`, `InotifySource`) add themselves to a loop
/// through this class's initialiser, which hands C an unretained pointer to the object as the callback's context.
public class EventSource {
    /// The `sd_event_source`.
    private(set) var source: OpaquePointer?

    /// Adds the source with `add` (an `sd_event_add_*` call that fills in the source, given the context pointer for
    /// its callback) and names it in sd-event's debug logs (`SYSTEMD_LOG_LEVEL=debug`) as `name`. A subclass sets
    /// its own properties first: the callback may find the object as soon as the source exists.
    ///
    /// - Throws: `SystemCallError` naming `call` and `operand` when `add` fails.
    init(
        _ call: String,
        operand: String? = nil,
        name: String,
        _ add: (inout OpaquePointer?, UnsafeMutableRawPointer) -> Int32
    ) throws(SystemCallError) {
        var source: OpaquePointer?
        try SystemCall.check(call, operand: operand, add(&source, UnsafeMutableRawPointer(unretained: self)))
        self.source = source
        _ = sd_event_source_set_description(source, name)
    }

    deinit {
        if let source { sd_event_source_disable_unref(source) }
    }

    /// Runs `body` with the object behind a context pointer that C hands back, holding a reference for the call:
    /// a handler may release the last other reference to its own source (sd-event frees the C side after the
    /// dispatch).
    static func dispatch<Source: EventSource>(
        _ context: UnsafeMutableRawPointer?,
        as type: Source.Type,
        _ body: (Source) -> Void
    ) {
        let source = context!.object(as: Source.self)
        withExtendedLifetime(source) { body(source) }
    }
}
