import CLinux
import Glibc
import SystemPackage

/// Writes entries as text lines when there is no journal: to stderr, or any descriptor.
///
/// Each entry is one line in the `StderrLine` format (`<5>Exam in 15 minutes [REMINDER_KEY=…]`), written
/// with a single `write(2)`, so lines from concurrent writers never interleave and a reader that survives
/// a `kill -9` of the writer sees whole lines only (up to `PIPE_BUF` bytes on a pipe).
/// The daemon should ignore `SIGPIPE`, or a closed reader kills it.
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

    /// The line built now, its `LATENESS_USEC` value left open.
    public func prepare(_ entry: JournalEntry) -> PreparedEntry {
        var (line, open) = StderrLine.bytes(of: entry, leavingOpen: JournalEntry.latenessField)
        line.append(UInt8(ascii: "\n"))
        guard let open else { return PreparedEntry(entry: entry) }
        return PreparedEntry(entry: entry, bytes: line, ends: [open, line.count], open: 0)
    }

    /// The prepared line with the lateness filled in, by one `writev(2)`: a reader sees one whole line.
    public func write(_ prepared: PreparedEntry, latenessMicroseconds: Int64) throws {
        guard prepared.open != nil, prepared.ends.count == 2 else {
            return try write(prepared.entry(latenessMicroseconds: latenessMicroseconds))
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let split = prepared.ends[0]
        let (written, total) = try prepared.bytes.withUnsafeBytes { line in
            try withUnsafeMutableBytes(of: &digits) { digits in
                let count = formatDecimal(latenessMicroseconds, into: digits)
                let base = UnsafeMutableRawPointer(mutating: line.baseAddress!)
                let vectors = [
                    iovec(iov_base: base, iov_len: split),
                    iovec(iov_base: digits.baseAddress, iov_len: count),
                    iovec(iov_base: base + split, iov_len: line.count - split),
                ]
                let written = try SystemCall.run("writev", operand: "descriptor \(descriptor)") {
                    writev(descriptor, vectors, Int32(vectors.count))
                }
                return (written, line.count + count)
            }
        }
        // A short write (a line over PIPE_BUF into a full pipe): the rest follows, as `writeAll` would.
        if written < total {
            var digitText: [UInt8] = []
            digitText += String(max(latenessMicroseconds, 0)).utf8
            let line = Array(prepared.bytes[..<split]) + digitText + Array(prepared.bytes[split...])
            try FileDescriptor(rawValue: descriptor).writeAll(
                Array(line[written...]),
                operand: "descriptor \(descriptor)"
            )
        }
    }
}
