extension Zone {
    /// Parses a TZif file (RFC 8536, versions 1 to 4) as found under `/usr/share/zoneinfo`.
    ///
    /// From version 2 on, the 64-bit data block is used and the footer's POSIX TZ string gives local time after the
    /// last transition; a version 1 file keeps its last offset forever. Leap-second records are skipped: instants
    /// here are POSIX seconds, so files from `right/` (which count leap seconds) do not fit.
    ///
    /// Every read is bounds-checked and every count and index validated, so any byte sequence either parses or
    /// throws; nothing traps.
    ///
    /// - Parameters:
    ///   - identifier: the zone's name, kept as ``identifier`` and used in errors.
    ///   - bytes: the whole file.
    public init(identifier: String, tzif bytes: [UInt8]) throws(ZoneError) {
        var reader = TZifReader(bytes: bytes, identifier: identifier)
        let storage = try reader.parse()
        self.init(identifier: identifier, storage: storage)
    }
}

/// Reads the TZif layout; each error names the byte offset.
private struct TZifReader {
    let bytes: [UInt8]
    let identifier: String
    var position = 0

    /// The six counts of a TZif header, in file order.
    struct Counts {
        var isUTCount = 0, isStandardCount = 0, leapCount = 0, timeCount = 0, typeCount = 0, charCount = 0

        /// The size of the data block that follows the header.
        func blockSize(timeSize: Int) -> Int {
            timeCount * (timeSize + 1) + typeCount * 6 + charCount + leapCount * (timeSize + 4) + isStandardCount
                + isUTCount
        }
    }

    init(bytes: [UInt8], identifier: String) {
        self.bytes = bytes
        self.identifier = identifier
    }

    mutating func parse() throws(ZoneError) -> Zone.Storage {
        let version = try header()
        var counts = try self.counts()
        if version == 0 {
            return try block(counts, timeSize: 4)
        }
        // Skip the version 1 block, whose 32-bit data the second header's block repeats in 64 bits.
        try require(counts.blockSize(timeSize: 4), "the version 1 data block")
        position += counts.blockSize(timeSize: 4)
        let secondVersion = try header()
        guard secondVersion == version else {
            throw corrupt(at: position - 16, "the second header has version \(secondVersion), the first \(version)")
        }
        counts = try self.counts()
        return try block(counts, timeSize: 8, footer: true)
    }

    /// Checks the magic and returns the version: 0 for version 1, else 2, 3, 4, ...
    mutating func header() throws(ZoneError) -> Int {
        if bytes.isEmpty {
            throw ZoneError(.notTZif, identifier: identifier, detail: "not a TZif file: the data is empty")
        }
        let magic: [UInt8] = Array("TZif".utf8)
        let available = min(4, bytes.count - position)
        guard bytes[position..<position + available].elementsEqual(magic[0..<available]) else {
            let shown = String(decoding: bytes[position..<position + available], as: UTF8.self)
            throw ZoneError(
                .notTZif,
                identifier: identifier,
                detail: "not a TZif file: byte \(position) starts with \(String(reflecting: shown)), expected \"TZif\""
            )
        }
        try require(44, "a TZif header")
        let versionByte = bytes[position + 4]
        let version: Int
        switch versionByte {
        case 0: version = 0
        case UInt8(ascii: "2")...UInt8(ascii: "9"): version = Int(versionByte - UInt8(ascii: "0"))
        default:
            throw corrupt(at: position + 4, "unknown TZif version byte \(versionByte), expected 0 or '2' to '4'")
        }
        position += 20
        return version
    }

    mutating func counts() throws(ZoneError) -> Counts {
        let start = position
        var counts = Counts()
        counts.isUTCount = try count()
        counts.isStandardCount = try count()
        counts.leapCount = try count()
        counts.timeCount = try count()
        counts.typeCount = try count()
        counts.charCount = try count()
        guard counts.typeCount >= 1 else { throw corrupt(at: start + 16, "typecnt is 0, expected at least 1") }
        guard counts.typeCount <= 256 else {
            throw corrupt(at: start + 16, "typecnt is \(counts.typeCount), expected at most 256")
        }
        guard counts.charCount >= 1 else { throw corrupt(at: start + 20, "charcnt is 0, expected at least 1") }
        guard counts.isUTCount == 0 || counts.isUTCount == counts.typeCount else {
            throw corrupt(at: start, "isutcnt is \(counts.isUTCount), expected 0 or typecnt (\(counts.typeCount))")
        }
        guard counts.isStandardCount == 0 || counts.isStandardCount == counts.typeCount else {
            throw corrupt(
                at: start + 4,
                "isstdcnt is \(counts.isStandardCount), expected 0 or typecnt (\(counts.typeCount))"
            )
        }
        return counts
    }

    /// Reads one data block (and the footer after a 64-bit one) into a zone's storage.
    mutating func block(_ counts: Counts, timeSize: Int, footer: Bool = false) throws(ZoneError) -> Zone.Storage {
        // Counts are at most 2^32 - 1, so the size cannot overflow; checking it first bounds every read below.
        try require(counts.blockSize(timeSize: timeSize), "the data block its header announces")

        var times: [Int64] = []
        times.reserveCapacity(counts.timeCount)
        for index in 0..<counts.timeCount {
            let time = timeSize == 8 ? Int64(bitPattern: big(8)) : Int64(Int32(bitPattern: UInt32(big(4))))
            if let previous = times.last, time <= previous {
                throw corrupt(
                    at: position - timeSize,
                    "transition \(index) at \(time) is not after the previous one at \(previous)"
                )
            }
            times.append(time)
        }

        var indices: [UInt8] = []
        indices.reserveCapacity(counts.timeCount)
        for index in 0..<counts.timeCount {
            let type = bytes[position]
            guard Int(type) < counts.typeCount else {
                throw corrupt(
                    at: position,
                    "transition \(index) uses local time type \(type), but there are \(counts.typeCount)"
                )
            }
            indices.append(type)
            position += 1
        }

        var records: [(seconds: Int, isDST: Bool, designation: Int)] = []
        for index in 0..<counts.typeCount {
            let seconds = Int(Int32(bitPattern: UInt32(big(4))))
            guard (-89999...Zone.maximumOffsetSeconds).contains(seconds) else {
                throw corrupt(
                    at: position - 4,
                    "local time type \(index) has UT offset \(seconds) s, expected -89999 to \(Zone.maximumOffsetSeconds)"
                )
            }
            let isDST = bytes[position]
            guard isDST <= 1 else {
                throw corrupt(at: position, "local time type \(index) has isdst \(isDST), expected 0 or 1")
            }
            let designation = Int(bytes[position + 1])
            guard designation < counts.charCount else {
                throw corrupt(
                    at: position + 1,
                    "local time type \(index) has designation index \(designation), but charcnt is \(counts.charCount)"
                )
            }
            position += 2
            records.append((seconds, isDST == 1, designation))
        }

        let designations = bytes[position..<position + counts.charCount]
        let designationsStart = position
        var offsets: [ZoneOffset] = []
        for (index, record) in records.enumerated() {
            let start = designationsStart + record.designation
            guard let end = designations[start...].firstIndex(of: 0) else {
                throw corrupt(at: start, "the designation of local time type \(index) is not NUL-terminated")
            }
            let abbreviation = String(decoding: designations[start..<end], as: UTF8.self)
            offsets.append(ZoneOffset(seconds: record.seconds, abbreviation: abbreviation, isDST: record.isDST))
        }
        // Leap-second records and the standard/wall and UT/local indicators are not needed for POSIX instants.
        position += counts.charCount + counts.leapCount * (timeSize + 4) + counts.isStandardCount + counts.isUTCount

        let rule = footer ? try self.footer() : nil
        return Zone.Storage(transitionTimes: times, transitionOffsetIndices: indices, offsets: offsets, rule: rule)
    }

    /// The footer: a newline, a POSIX TZ string (possibly empty), a newline.
    mutating func footer() throws(ZoneError) -> PosixTimeZoneRule? {
        guard position < bytes.count else {
            throw ZoneError(
                .truncated,
                identifier: identifier,
                detail: "truncated TZif data: the footer (a TZ string between newlines) is missing at byte \(position)"
            )
        }
        guard bytes[position] == UInt8(ascii: "\n") else {
            throw corrupt(at: position, "the footer must start with a newline, found byte \(bytes[position])")
        }
        let start = position + 1
        guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw ZoneError(
                .truncated,
                identifier: identifier,
                detail: "truncated TZif data: the footer starting at byte \(start) has no closing newline"
            )
        }
        position = end + 1
        if start == end { return nil }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        do throws(ZoneError) {
            return try PosixTimeZoneRule(text, identifier: identifier)
        } catch {
            throw ZoneError(
                .invalidTZString,
                identifier: identifier,
                detail: "TZif footer at byte \(start): \(error.detail)"
            )
        }
    }

    /// A big-endian unsigned integer of `size` bytes; the caller has checked the bounds.
    mutating func big(_ size: Int) -> UInt64 {
        var value: UInt64 = 0
        for byte in bytes[position..<position + size] { value = value << 8 | UInt64(byte) }
        position += size
        return value
    }

    mutating func count() throws(ZoneError) -> Int {
        try require(4, "a header count")
        return Int(big(4))
    }

    /// Throws unless `size` more bytes are available.
    func require(_ size: Int, _ what: String) throws(ZoneError) {
        guard size <= bytes.count - position else {
            throw ZoneError(
                .truncated,
                identifier: identifier,
                detail:
                    "truncated TZif data: \(what) needs \(size) bytes at byte \(position), but only \(bytes.count - position) remain"
            )
        }
    }

    func corrupt(at offset: Int, _ message: String) -> ZoneError {
        ZoneError(.corrupt, identifier: identifier, detail: "corrupt TZif data at byte \(offset): \(message)")
    }
}
