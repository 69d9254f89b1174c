import Glibc
import SystemPackage

/// Writes entries as text lines when there is no journal: to stderr, or any descriptor, one `StderrLine` line
/// in one `write(2)`, so that concurrent writers never interleave and a reader sees whole lines only (up to
/// `PIPE_BUF` bytes on a pipe). The daemon should ignore `SIGPIPE`, or a closed reader kills it.
public struct StderrSink: NotificationSink {
    /// The descriptor written to; the sink neither opens nor closes it.
    public let descriptor: Int32

    /// A sink that writes to `descriptor` (stderr by default).
    public init(descriptor: Int32 = STDERR_FILENO) {
        self.descriptor = descriptor
    }

    /// Writes `entry` as one line.
    ///
    /// - Throws: `SystemCallError` (`write`) when the descriptor refuses it.
    public func write(_ entry: JournalEntry) throws {
        var line = StderrLine.bytes(of: entry)
        line.append(UInt8(ascii: "\n"))
        try FileDescriptor(rawValue: descriptor).writeAll(line, operand: "descriptor \(descriptor)")
    }
}
