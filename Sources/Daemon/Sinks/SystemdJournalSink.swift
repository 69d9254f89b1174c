import CSystemd
import Glibc
import SystemPackage

/// Writes entries to the systemd journal with `sd_journal_sendv(3)`, one `NAME=value` iovec per field.
///
/// Field names are made valid with `JournalEntry.fieldName(_:)`; values are sent as they are, newlines
/// included. Note that `sd_journal_sendv` reports success when journald is not running at all: decide
/// with `JournalDetector` whether to use this sink.
public struct SystemdJournalSink: NotificationSink {
    /// The function that hands the iovecs to the journal: `sd_journal_sendv` (tests pass their own).
    public typealias Send = @Sendable (UnsafePointer<iovec>, Int32) -> Int32

    private let send: Send

    /// A sink that sends through `send` (`sd_journal_sendv` by default); it returns 0 or a negative errno.
    public init(send: @escaping Send = { sd_journal_sendv($0, $1) }) {
        self.send = send
    }

    /// Sends `entry` as one journal record.
    ///
    /// - Throws: `SystemCallError` (`sd_journal_sendv`) with the errno that the call returned.
    public func write(_ entry: JournalEntry) throws {
        var buffer: [UInt8] = []
        var ends: [Int] = []
        for field in entry.fields {
            JournalEntry.appendFieldName(field.name, to: &buffer)
            buffer.append(UInt8(ascii: "="))
            buffer += field.value.utf8
            ends.append(buffer.count)
        }
        let result = buffer.withUnsafeBytes { bytes in
            let base = UnsafeMutableRawPointer(mutating: bytes.baseAddress)
            var start = 0
            var vectors: [iovec] = []
            vectors.reserveCapacity(ends.count)
            for end in ends {
                vectors.append(iovec(iov_base: base.map { $0 + start }, iov_len: end - start))
                start = end
            }
            return send(vectors, Int32(vectors.count))
        }
        if result < 0 {
            throw SystemCallError("sd_journal_sendv", errno: Errno(rawValue: -result))
        }
    }
}
