import Glibc

/// A system call that failed: which one, on what, and the `errno` it set.
///
/// `description` reads like `inotify_add_watch /etc: No such file or directory`.
struct SystemCallError: Error, Equatable, CustomStringConvertible {
    /// The failing call, e.g. `timerfd_create`.
    var call: String
    /// The path or other operand the call was about, when there is one.
    var operand: String?
    /// The `errno` value.
    var errno: Int32

    /// Records `call` failing on `operand` with `errno` (the current `errno` by default).
    init(_ call: String, operand: String? = nil, errno: Int32 = Glibc.errno) {
        self.call = call
        self.operand = operand
        self.errno = errno
    }

    /// The system's message for `errno`, e.g. "No space left on device".
    var message: String {
        String(cString: strerror(errno))
    }

    var description: String {
        if let operand {
            return "\(call) \(operand): \(message)"
        }
        return "\(call): \(message)"
    }
}
