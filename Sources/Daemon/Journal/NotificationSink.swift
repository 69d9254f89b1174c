/// Where the daemon writes its entries: the systemd journal, or stderr when there is no journal.
///
/// A sink can also take an entry in two steps, so that the work is done before the entry's instant and only the
/// write is left for the instant itself: `prepare(_:)` builds the record's bytes ahead of time with the value of
/// `LATENESS_USEC` left open, and `write(_:latenessMicroseconds:)` fills it in and writes, in one system call.
/// A sink that does not build bytes ahead keeps the defaults, which write the entry whole.
public protocol NotificationSink: Sendable {
    /// Writes `entry` as one record; throws when it could not be written.
    func write(_ entry: JournalEntry) throws

    /// `entry`'s record built ahead of its instant, its `LATENESS_USEC` value left to
    /// `write(_:latenessMicroseconds:)`.
    func prepare(_ entry: JournalEntry) -> PreparedEntry

    /// Writes a prepared record with `LATENESS_USEC` set to `latenessMicroseconds`; throws when it could not be
    /// written.
    func write(_ prepared: PreparedEntry, latenessMicroseconds: Int64) throws
}

extension NotificationSink {
    /// The entry as it is: the bytes are built when it is written.
    public func prepare(_ entry: JournalEntry) -> PreparedEntry {
        PreparedEntry(entry: entry)
    }

    /// Writes the entry whole, its `LATENESS_USEC` set.
    public func write(_ prepared: PreparedEntry, latenessMicroseconds: Int64) throws {
        try write(prepared.entry(latenessMicroseconds: latenessMicroseconds))
    }
}

/// An entry built ahead of its instant: the sink's bytes for it, cut into segments, with the value of
/// `LATENESS_USEC` left open after the segment `open` (the sink that built it knows how to join them).
public struct PreparedEntry: Sendable {
    /// The entry (any `LATENESS_USEC` value in it is replaced when written).
    public var entry: JournalEntry
    /// The sink's bytes, without the lateness value.
    var bytes: [UInt8] = []
    /// Where each segment of `bytes` ends.
    var ends: [Int] = []
    /// The segment after which the lateness value goes, or nil when the sink built no bytes.
    var open: Int? = nil

    /// An entry for a sink that builds its bytes when it writes.
    public init(entry: JournalEntry) {
        self.entry = entry
    }

    init(entry: JournalEntry, bytes: [UInt8], ends: [Int], open: Int) {
        self.entry = entry
        self.bytes = bytes
        self.ends = ends
        self.open = open
    }

    /// `entry` with `value` as its `LATENESS_USEC`.
    public func entry(latenessMicroseconds value: Int64) -> JournalEntry {
        var entry = self.entry
        if let index = entry.fields.firstIndex(where: { $0.name == JournalEntry.latenessField }) {
            entry.fields[index].value = String(value)
        }
        return entry
    }
}

/// The decimal digits of `value` (0 when negative), written into `buffer` from its start; returns how many.
/// Formats a number into a caller's buffer, without building a string, on the path taken at the due instant.
func formatDecimal(_ value: Int64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    var reversed: UInt64 = 0
    var count = 0
    var rest = UInt64(max(value, 0))
    repeat {
        reversed = reversed * 10 + rest % 10
        rest /= 10
        count += 1
    } while rest > 0 && count < 19
    for index in 0..<count {
        buffer[index] = UInt8(ascii: "0") + UInt8(reversed % 10)
        reversed /= 10
    }
    return count
}
