import CLinux
import CSystemd
import Glibc

/// Changes to a file or directory, from inotify through the loop.
public final class InotifySource: EventSource {
    /// One inotify event: what happened (`IN_*` bits) and, for a watched directory, to which entry.
    public struct Event {
        /// The `IN_*` bits; `IN_Q_OVERFLOW` when events were lost, `IN_IGNORED` when the watch is gone.
        public var mask: UInt32
        /// The name of the entry in the watched directory, as bytes (empty for the watched path itself).
        public var name: [UInt8]
    }

    private let handler: (Event) -> Void

    /// Watches `path` for the events in `mask` on `loop`.
    ///
    /// - Throws: `SystemCallError` (`sd_event_add_inotify`) naming the path, e.g. when it does not exist.
    public init(loop: EventLoop, path: String, mask: UInt32, handler: @escaping (Event) -> Void)
        throws(SystemCallError)
    {
        self.handler = handler
        let callback: sd_event_inotify_handler_t = { _, event, context in
            guard let event else { return 0 }
            EventSource.dispatch(context, as: InotifySource.self) { $0.handler(InotifySource.read(event)) }
            return 0
        }
        try super.init("sd_event_add_inotify", operand: path, name: "inotify \(path)") { source, context in
            sd_event_add_inotify(loop.event, &source, path, mask, callback, context)
        }
    }

    /// The event's mask and the name that follows its header (NUL-padded to `len` bytes).
    private static func read(_ event: UnsafePointer<inotify_event>) -> Event {
        let length = Int(event.pointee.len)
        let nameStart = UnsafeRawPointer(event) + MemoryLayout<inotify_event>.size
        let bytes = UnsafeRawBufferPointer(start: nameStart, count: length)
        return Event(mask: event.pointee.mask, name: Array(bytes.prefix { $0 != 0 }))
    }
}
