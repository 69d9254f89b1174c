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
        let (buffer, ends, _) = Self.fields(of: entry, leavingOpen: nil)
        try send(buffer, ends: ends, open: nil, digits: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// The fields' bytes built now, `LATENESS_USEC=` without its value.
    public func prepare(_ entry: JournalEntry) -> PreparedEntry {
        let (buffer, ends, open) = Self.fields(of: entry, leavingOpen: JournalEntry.latenessField)
        guard let open else { return PreparedEntry(entry: entry) }
        return PreparedEntry(entry: entry, bytes: buffer, ends: ends, open: open)
    }

    /// The prepared fields with the lateness value filled in, sent by one `sd_journal_sendv`.
    public func write(_ prepared: PreparedEntry, latenessMicroseconds: Int64) throws {
        guard let open = prepared.open else {
            return try write(prepared.entry(latenessMicroseconds: latenessMicroseconds))
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        try withUnsafeMutableBytes(of: &digits) { digits in
            let count = formatDecimal(latenessMicroseconds, into: digits)
            try send(
                prepared.bytes,
                ends: prepared.ends,
                open: open,
                digits: UnsafeRawBufferPointer(rebasing: digits[..<count])
            )
        }
    }

    /// Every field as `NAME=value` in one buffer, and where each ends; the value of `openField` left out (the
    /// index of its field returned).
    private static func fields(of entry: JournalEntry, leavingOpen openField: String?) -> (
        buffer: [UInt8], ends: [Int], open: Int?
    ) {
        var buffer: [UInt8] = []
        var ends: [Int] = []
        var open: Int?
        for field in entry.fields {
            JournalEntry.appendFieldName(field.name, to: &buffer)
            buffer.append(UInt8(ascii: "="))
            if open == nil, field.name == openField {
                open = ends.count
            } else {
                buffer += field.value.utf8
            }
            ends.append(buffer.count)
        }
        return (buffer, ends, open)
    }

    /// Sends the fields as one vector each; the field `open` (when given) is followed by `digits`, joined in a
    /// small buffer of its own so that it stays one field.
    private func send(_ buffer: [UInt8], ends: [Int], open: Int?, digits: UnsafeRawBufferPointer) throws {
        var joined: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        let result = buffer.withUnsafeBytes { bytes in
            withUnsafeMutableBytes(of: &joined) { joined in
                let base = UnsafeMutableRawPointer(mutating: bytes.baseAddress)
                var start = 0
                var vectors: [iovec] = []
                vectors.reserveCapacity(ends.count)
                for (index, end) in ends.enumerated() {
                    defer { start = end }
                    if index == open, end - start + digits.count <= joined.count {
                        joined.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                        UnsafeMutableRawBufferPointer(rebasing: joined[(end - start)...]).copyMemory(from: digits)
                        vectors.append(iovec(iov_base: joined.baseAddress, iov_len: end - start + digits.count))
                    } else {
                        vectors.append(iovec(iov_base: base.map { $0 + start }, iov_len: end - start))
                    }
                }
                return send(vectors, Int32(vectors.count))
            }
        }
        if result < 0 {
            throw SystemCallError("sd_journal_sendv", errno: Errno(rawValue: -result))
        }
    }
}
