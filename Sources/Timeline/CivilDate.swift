/// A day of the week, numbered from Monday as in ISO 8601 and RFC 5545's `WKST` default.
public enum Weekday: Int, CaseIterable, Hashable, Sendable, Comparable {
    case monday = 0, tuesday, wednesday, thursday, friday, saturday, sunday

    /// The RFC 5545 two-letter code: `MO`, `TU`, ...
    public var code: String {
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][rawValue]
    }

    /// Parses an RFC 5545 two-letter code (case-insensitive).
    public init?(code: some StringProtocol) {
        guard let index = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].firstIndex(of: code.uppercased()) else {
            return nil
        }
        self.init(rawValue: index)
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A date in the proleptic Gregorian calendar, with no time zone: what a wall calendar shows.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, 1 to 9999.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, 1 to 28...31.
    public let day: Int

    /// A validated date; nil when the day does not exist (2021-02-30) or the year is outside 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CivilDate.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` days after 1970-01-01 (negative: before).
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01 (negative: before).
    public var daysSinceEpoch: Int {
        daysSinceEpochOf(year: year, month: month, day: day)
    }

    /// The day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let d = daysSinceEpoch
        return Weekday(rawValue: ((d % 7) + 7 + 3) % 7)!
    }

    /// The day of the year, 1 to 366.
    public var dayOfYear: Int {
        daysSinceEpoch - CivilDate(year: year, month: 1, day: 1)!.daysSinceEpoch + 1
    }

    /// The date `n` days later (earlier when negative).
    public func adding(days n: Int) -> CivilDate {
        CivilDate(daysSinceEpoch: daysSinceEpoch + n)
    }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in `month` of `year`.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// ISO 8601: `2022-06-10`.
    public var description: String {
        guard (0...9999).contains(year) else { return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }
        return String(unsafeUninitializedCapacity: 10) { buffer in
            writeDate(into: buffer)
            return 10
        }
    }

    /// `YYYY-MM-DD` into the first 10 bytes of `buffer`; the year is in 0...9999.
    @inline(__always)
    func writeDate(into buffer: UnsafeMutableBufferPointer<UInt8>) {
        writeDigits(year, count: 4, into: buffer, at: 0)
        buffer[4] = UInt8(ascii: "-")
        writeDigits(month, count: 2, into: buffer, at: 5)
        buffer[7] = UInt8(ascii: "-")
        writeDigits(day, count: 2, into: buffer, at: 8)
    }

    /// RFC 5545 basic form: `20220610`.
    public var basicDescription: String {
        "\(pad(year, 4))\(pad(month, 2))\(pad(day, 2))"
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// A date and a time of day with no time zone (RFC 5545 "floating" time): what a wall clock shows.
public struct CivilDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The calendar date.
    public let date: CivilDate
    /// Seconds since midnight, 0 to 86399.
    public let secondOfDay: Int

    /// A date at a time of day; nil when the time is out of range.
    public init?(date: CivilDate, hour: Int, minute: Int, second: Int = 0) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        self.date = date
        self.secondOfDay = hour * 3600 + minute * 60 + second
    }

    /// A date at `secondOfDay` seconds after midnight (0 to 86399).
    public init(date: CivilDate, secondOfDay: Int) {
        precondition((0..<86400).contains(secondOfDay))
        self.date = date
        self.secondOfDay = secondOfDay
    }

    /// The civil time `seconds` after 1970-01-01T00:00:00 on the same (zone-less) time line.
    public init(secondsSinceEpoch seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        self.date = CivilDate(daysSinceEpoch: Int(days))
        self.secondOfDay = Int(seconds - days * 86400)
    }

    /// Seconds since 1970-01-01T00:00:00 as if this time were UTC.
    public var secondsSinceEpoch: Int64 {
        Int64(date.daysSinceEpoch) * 86400 + Int64(secondOfDay)
    }

    /// The hour, 0 to 23.
    public var hour: Int { secondOfDay / 3600 }
    /// The minute, 0 to 59.
    public var minute: Int { secondOfDay / 60 % 60 }
    /// The second, 0 to 59.
    public var second: Int { secondOfDay % 60 }

    /// The civil time `seconds` later on the zone-less time line.
    public func adding(seconds: Int64) -> CivilDateTime {
        CivilDateTime(secondsSinceEpoch: secondsSinceEpoch + seconds)
    }

    /// ISO 8601 without offset: `2022-06-10T09:00:00`.
    public var description: String {
        guard (0...9999).contains(date.year) else {
            return "\(date)T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
        }
        // Built in place: the daemon writes several of these for every reminder.
        return String(unsafeUninitializedCapacity: 19) { buffer in
            date.writeDate(into: buffer)
            buffer[10] = UInt8(ascii: "T")
            writeDigits(hour, count: 2, into: buffer, at: 11)
            buffer[13] = UInt8(ascii: ":")
            writeDigits(minute, count: 2, into: buffer, at: 14)
            buffer[16] = UInt8(ascii: ":")
            writeDigits(second, count: 2, into: buffer, at: 17)
            return 19
        }
    }

    /// RFC 5545 basic form: `20220610T090000`.
    public var basicDescription: String {
        "\(date.basicDescription)T\(pad(hour, 2))\(pad(minute, 2))\(pad(second, 2))"
    }

    public static func < (lhs: CivilDateTime, rhs: CivilDateTime) -> Bool {
        (lhs.date, lhs.secondOfDay) < (rhs.date, rhs.secondOfDay)
    }
}

/// A point on the UTC time line, in whole seconds since the Unix epoch.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let secondsSinceEpoch: Int64

    /// The instant `seconds` after the Unix epoch.
    public init(secondsSinceEpoch seconds: Int64) {
        self.secondsSinceEpoch = seconds
    }

    /// The UTC civil time of this instant.
    public var utc: CivilDateTime { CivilDateTime(secondsSinceEpoch: secondsSinceEpoch) }

    /// The instant `seconds` later.
    public func adding(seconds: Int64) -> Instant {
        Instant(secondsSinceEpoch: secondsSinceEpoch + seconds)
    }

    /// ISO 8601 in UTC: `2022-06-10T07:00:00Z`.
    public var description: String { "\(utc)Z" }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }
}

/// The last `count` decimal digits of `value` (not negative), zero-padded, into `buffer` from `offset`.
@inline(__always)
func writeDigits(_ value: Int, count: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
    var rest = value
    for index in stride(from: offset + count - 1, through: offset, by: -1) {
        buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
    }
}

/// Zero-padded decimal of at least `width` digits.
@inline(__always)
func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value < 0 ? -value : value)
    let padded = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    return value < 0 ? "-" + padded : padded
}

/// Days since 1970-01-01 of a proleptic Gregorian date, for any year (CivilDate stops at 1...9999).
func daysSinceEpochOf(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}
