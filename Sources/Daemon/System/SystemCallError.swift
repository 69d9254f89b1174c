import Glibc
import SystemPackage

/// A system call that failed: which one, on what, and the `Errno` it reported.
///
/// The one error type for failed calls in the daemon; `description` reads like
/// `inotify_add_watch /etc: No such file or directory`.
public struct SystemCallError: Error, Equatable, CustomStringConvertible {
    /// The failing call, e.g. `timerfd_create` or `sd_event_add_time`.
    public var call: String
    /// The path or other operand the call was about, when there is one.
    public var operand: String?
    /// What the call reported.
    public var errno: Errno

    /// Records `call` failing on `operand` with `errno` (the calling thread's current `errno` by default).
    public init(_ call: String, operand: String? = nil, errno: Errno = Errno(rawValue: Glibc.errno)) {
        self.call = call
        self.operand = operand
        self.errno = errno
    }

    /// The system's message for `errno`, e.g. "No space left on device".
    public var message: String {
        String(cString: strerror(errno.rawValue))
    }

    public var description: String {
        if let operand {
            return "\(call) \(operand): \(message)"
        }
        return "\(call): \(message)"
    }
}
