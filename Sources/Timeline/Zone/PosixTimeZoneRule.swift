/// A POSIX TZ string such as `CET-1CEST,M3.5.0,M10.5.0/3`: a standard offset, and optionally a daylight-saving
/// offset with the yearly rule for switching between the two.
///
/// This is the footer of a TZif v2+ file (it gives local time after the file's last transition) and one of the
/// forms of the `TZ` environment variable. The grammar is POSIX.1-2017 §8.3 with the RFC 8536 §3.3.1 extensions:
/// quoted names (`<+1030>`), and transition times from -167 to 167 hours.
///
/// - `std offset` — `EST5`, `<+13>-13`: no daylight saving.
/// - `std offset dst [offset]` — the daylight offset defaults to one hour ahead of standard time; without a rule
///   the US rule `M3.2.0,M11.1.0` applies, as in tzcode and glibc.
/// - Rule dates: `Jn` (1...365, February 29 never counted), `n` (0...365, February 29 counted), `Mm.w.d`
///   (month, week 1...5 where 5 is the last, weekday 0 = Sunday). Each date may be followed by `/time` (default
///   `02:00:00`), in the local time in effect just before the switch.
///
/// Offsets are written west-positive (`EST5` is UTC−5); ``ZoneOffset/seconds`` is east-positive.
public struct PosixTimeZoneRule: Sendable, Hashable, CustomStringConvertible {
    /// The offset outside daylight saving.
    public let standard: ZoneOffset
    /// The daylight-saving offset and when it applies; nil for a zone without daylight saving.
    public let daylight: DaylightSaving?
    /// The string this rule was parsed from.
    public let description: String

    /// A daylight-saving offset and the yearly dates it starts and ends.
    public struct DaylightSaving: Sendable, Hashable {
        /// The offset in effect during daylight saving.
        public let offset: ZoneOffset
        /// When daylight saving starts each year, in local standard time.
        public let start: TransitionDate
        /// When daylight saving ends each year, in local daylight time.
        public let end: TransitionDate
    }

    /// A yearly transition: a day of the year and a local time on it.
    public struct TransitionDate: Sendable, Hashable {
        /// How the day of the year is given.
        public enum Day: Sendable, Hashable {
            /// `Jn`: the n-th day of the year, 1...365, never counting February 29 (J60 is always March 1).
            case julian(Int)
            /// `n`: the zero-based day of the year, 0...365, counting February 29.
            case zeroBasedDay(Int)
            /// `Mm.w.d`: weekday `weekday` (0 = Sunday) of week `week` (1...4, or 5 for the last) of month `month`.
            case monthWeekDay(month: Int, week: Int, weekday: Int)
        }

        /// The day of the year.
        public let day: Day
        /// Seconds after local midnight of that day, -167 h to 167 h (so it may fall on another day).
        public let secondOfDay: Int

        /// Days since 1970-01-01 of this date in `year`.
        func daysSinceEpoch(inYear year: Int) -> Int {
            switch day {
            case .julian(let n):
                let leapShift = CivilDate.isLeapYear(year) && n >= 60 ? 1 : 0
                return daysSinceEpochOf(year: year, month: 1, day: 1) + n - 1 + leapShift
            case .zeroBasedDay(let n):
                return daysSinceEpochOf(year: year, month: 1, day: 1) + n
            case .monthWeekDay(let month, let week, let weekday):
                let first = daysSinceEpochOf(year: year, month: month, day: 1)
                // 1970-01-01 was a Thursday (4 with Sunday = 0).
                let firstWeekday = ((first % 7) + 7 + 4) % 7
                var day = 1 + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
                let length = CivilDate.daysInMonth(year: year, month: month)
                while day > length { day -= 7 }
                return first + day - 1
            }
        }
    }

    /// Parses a POSIX TZ string; `identifier` only labels the error.
    public init(_ text: String, identifier: String? = nil) throws(ZoneError) {
        var parser = Parser(text: text, identifier: identifier ?? text)
        (standard, daylight) = try parser.parse()
        description = text
    }

    /// The offset in effect at `instant`.
    public func offset(at instant: Instant) -> ZoneOffset {
        guard let daylight else { return standard }
        let t = instant.secondsSinceEpoch
        let year = Self.year(of: t, offset: standard.seconds)
        // The latest switch at or before t decides; four years of switches cover any -167h...167h rule time.
        var latest: (time: Int64, isDaylight: Bool)?
        for y in (year - 2)...(year + 1) {
            let (start, end) = switchTimes(inYear: y, daylight)
            if start <= t, latest == nil || start >= latest!.time { latest = (start, true) }
            if end <= t, latest == nil || end >= latest!.time { latest = (end, false) }
        }
        return latest?.isDaylight == true ? daylight.offset : standard
    }

    /// The first instant after `instant` at which the offset changes, or nil when it never does.
    public func nextTransition(after instant: Instant) -> Instant? {
        guard let daylight else { return nil }
        let t = instant.secondsSinceEpoch
        let year = Self.year(of: t, offset: standard.seconds)
        var candidates: [Int64] = []
        for y in (year - 1)...(year + 2) {
            let (start, end) = switchTimes(inYear: y, daylight)
            if start > t { candidates.append(start) }
            if end > t { candidates.append(end) }
        }
        for time in candidates.sorted() {
            let moment = Instant(secondsSinceEpoch: time)
            if offset(at: moment) != offset(at: moment.adding(seconds: -1)) { return moment }
        }
        return nil
    }

    /// The UTC instants at which daylight saving starts and ends in `year`. When switches coincide, the one later in
    /// rule order wins: the end over the start of the same year, the next year's over this year's.
    private func switchTimes(inYear year: Int, _ daylight: DaylightSaving) -> (start: Int64, end: Int64) {
        let start =
            Int64(daylight.start.daysSinceEpoch(inYear: year)) * 86400 + Int64(daylight.start.secondOfDay)
            - Int64(standard.seconds)
        let end =
            Int64(daylight.end.daysSinceEpoch(inYear: year)) * 86400 + Int64(daylight.end.secondOfDay)
            - Int64(daylight.offset.seconds)
        return (start, end)
    }

    /// The civil year of `t` shifted by `offset`, kept within ±1,000,000 so that date arithmetic cannot overflow
    /// (beyond that the rule still answers, consistently but without meaning).
    private static func year(of t: Int64, offset: Int) -> Int {
        let limit: Int64 = 1_000_000 * 366 * 86400
        let clamped = min(max(t, -limit), limit) + Int64(offset)
        return CivilDateTime(secondsSinceEpoch: clamped).date.year
    }
}


extension PosixTimeZoneRule {
    /// A recursive-descent reader over the bytes of a TZ string; every error names the column.
    private struct Parser {
        let bytes: [UInt8]
        let text: String
        let identifier: String
        var position = 0

        init(text: String, identifier: String) {
            self.bytes = Array(text.utf8)
            self.text = text
            self.identifier = identifier
        }

        mutating func parse() throws(ZoneError) -> (ZoneOffset, DaylightSaving?) {
            let standardName = try name(what: "standard time name")
            guard let standardWest = try offset(what: "standard offset") else {
                throw failure("expected the standard offset ([+-]hh[:mm[:ss]], west of Greenwich positive)")
            }
            let standardSeconds = -standardWest
            let standard = ZoneOffset(seconds: standardSeconds, abbreviation: standardName, isDST: false)
            if atEnd { return (standard, nil) }

            let daylightName = try name(what: "daylight time name")
            let daylightSeconds = try offset(what: "daylight offset").map { -$0 } ?? standardSeconds + 3600
            let daylightOffset = ZoneOffset(seconds: daylightSeconds, abbreviation: daylightName, isDST: true)
            let start: TransitionDate
            let end: TransitionDate
            if atEnd {
                // POSIX leaves this implementation-defined; tzcode and glibc use the US rule.
                start = TransitionDate(day: .monthWeekDay(month: 3, week: 2, weekday: 0), secondOfDay: 7200)
                end = TransitionDate(day: .monthWeekDay(month: 11, week: 1, weekday: 0), secondOfDay: 7200)
            } else {
                try expect(UInt8(ascii: ","), "',' before the daylight-saving start date")
                start = try transitionDate()
                try expect(UInt8(ascii: ","), "',' before the daylight-saving end date")
                end = try transitionDate()
            }
            guard atEnd else { throw failure("unexpected text after the rule") }
            return (standard, DaylightSaving(offset: daylightOffset, start: start, end: end))
        }

        var atEnd: Bool { position >= bytes.count }

        var current: UInt8? { atEnd ? nil : bytes[position] }

        func failure(_ message: String) -> ZoneError {
            ZoneError(
                .invalidTZString,
                identifier: identifier,
                detail: "invalid POSIX TZ string \"\(text)\" at column \(position + 1): \(message)"
            )
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(ZoneError) {
            guard current == byte else { throw failure("expected \(what)") }
            position += 1
        }

        /// `<[A-Za-z0-9+-]+>` or `[A-Za-z]+`.
        mutating func name(what: String) throws(ZoneError) -> String {
            let quoted = current == UInt8(ascii: "<")
            if quoted { position += 1 }
            let start = position
            while let byte = current, quoted ? byte.isQuotedNameCharacter : byte.isLetter { position += 1 }
            guard position > start else {
                throw failure(
                    quoted
                        ? "expected the \(what) inside <...> (letters, digits, '+', '-')"
                        : "expected the \(what) (letters, or <...> with digits and signs)"
                )
            }
            let name = String(decoding: bytes[start..<position], as: UTF8.self)
            if quoted { try expect(UInt8(ascii: ">"), "'>' closing the \(what)") }
            return name
        }

        /// `[+-]hh[:mm[:ss]]` as seconds, west-positive as written, hours 0...24; nil when absent.
        mutating func offset(what: String) throws(ZoneError) -> Int? {
            guard let byte = current, byte.isDigit || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") else {
                return nil
            }
            return try time(what: what, maxHours: 24)
        }

        /// `[+-]hh[:mm[:ss]]` as seconds.
        mutating func time(what: String, maxHours: Int) throws(ZoneError) -> Int {
            var sign = 1
            if current == UInt8(ascii: "+") {
                position += 1
            } else if current == UInt8(ascii: "-") {
                sign = -1
                position += 1
            }
            let hours = try number(what: "hours of the \(what)", maxDigits: 3, range: 0...maxHours)
            var seconds = hours * 3600
            if current == UInt8(ascii: ":") {
                position += 1
                seconds += try number(what: "minutes of the \(what)", maxDigits: 2, range: 0...59) * 60
                if current == UInt8(ascii: ":") {
                    position += 1
                    seconds += try number(what: "seconds of the \(what)", maxDigits: 2, range: 0...59)
                }
            }
            return sign * seconds
        }

        mutating func number(what: String, maxDigits: Int, range: ClosedRange<Int>) throws(ZoneError) -> Int {
            let start = position
            var value = 0
            while let byte = current, byte.isDigit, position - start < maxDigits {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                position += 1
            }
            guard position > start else { throw failure("expected the \(what) (digits)") }
            guard range.contains(value) else {
                position = start
                throw failure("the \(what) is \(value), expected \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }

        /// `Jn`, `n` or `Mm.w.d`, then an optional `/time` (-167...167 hours, default 02:00).
        mutating func transitionDate() throws(ZoneError) -> TransitionDate {
            let day: TransitionDate.Day
            switch current {
            case UInt8(ascii: "J"):
                position += 1
                day = .julian(try number(what: "Julian day", maxDigits: 3, range: 1...365))
            case UInt8(ascii: "M"):
                position += 1
                let month = try number(what: "month", maxDigits: 2, range: 1...12)
                try expect(UInt8(ascii: "."), "'.' after the month")
                let week = try number(what: "week", maxDigits: 1, range: 1...5)
                try expect(UInt8(ascii: "."), "'.' after the week")
                let weekday = try number(what: "weekday (0 = Sunday)", maxDigits: 1, range: 0...6)
                day = .monthWeekDay(month: month, week: week, weekday: weekday)
            case let byte? where byte.isDigit:
                day = .zeroBasedDay(try number(what: "day of the year", maxDigits: 3, range: 0...365))
            default:
                throw failure("expected a date: Jn (1-365), n (0-365) or Mm.w.d")
            }
            var secondOfDay = 7200
            if current == UInt8(ascii: "/") {
                position += 1
                secondOfDay = try time(what: "transition time", maxHours: 167)
            }
            return TransitionDate(day: day, secondOfDay: secondOfDay)
        }
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    fileprivate var isLetter: Bool {
        (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
            || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z"))
    }
    fileprivate var isQuotedNameCharacter: Bool {
        isDigit || isLetter || self == UInt8(ascii: "+") || self == UInt8(ascii: "-")
    }
}
