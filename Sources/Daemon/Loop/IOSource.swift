import CSystemd
import Glibc

/// A file descriptor watched by the loop: `handler` runs whenever it is readable (or has the `events` given).
///
/// The descriptor stays the caller's: it is neither read nor closed here.
public final class IOSource: EventSource {
    private let handler: (_ revents: UInt32) -> Void

    /// Watches `descriptor` for `events` (`EPOLLIN` by default) on `loop`.
    ///
    /// - Throws: `SystemCallError` (`sd_event_add_io`).
    public init(
        loop: EventLoop,
        descriptor: Int32,
        events: UInt32 = UInt32(EPOLLIN.rawValue),
        name: String = "io",
        handler: @escaping (_ revents: UInt32) -> Void
    ) throws(SystemCallError) {
        self.handler = handler
        let callback: sd_event_io_handler_t = { _, _, revents, context in
            EventSource.dispatch(context, as: IOSource.self) { $0.handler(revents) }
            return 0
        }
        try super.init("sd_event_add_io", name: name) { source, context in
            sd_event_add_io(loop.event, &source, descriptor, events, callback, context)
        }
    }
}
