import Glibc

/// Tells whether journald is there to write to.
///
/// journald listens on `/run/systemd/journal/socket`; when that socket is missing, `sd_journal_sendv`
/// drops entries and still returns 0, so its result cannot tell.
public struct JournalDetector: Sendable {
    /// journald's native socket.
    public static let defaultSocketPath = "/run/systemd/journal/socket"

    /// The socket looked for.
    public var socketPath: String

    /// A detector that looks for `socketPath`.
    public init(socketPath: String = JournalDetector.defaultSocketPath) {
        self.socketPath = socketPath
    }

    /// Whether a socket exists at `socketPath`.
    public var isJournalAvailable: Bool {
        var status = stat()
        return stat(socketPath, &status) == 0 && status.st_mode & S_IFMT == S_IFSOCK
    }

    /// The journal sink when journald is there, otherwise a `StderrSink` on `fallbackDescriptor`.
    public func sink(fallbackDescriptor: Int32 = STDERR_FILENO) -> any NotificationSink {
        isJournalAvailable ? SystemdJournalSink() : StderrSink(descriptor: fallbackDescriptor)
    }
}
