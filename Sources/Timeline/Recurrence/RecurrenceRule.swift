/// An RFC 5545 recurrence rule: the value of an `RRULE` property, such as `FREQ=MONTHLY;BYDAY=-1FR`.
///
/// Only `DAILY`, `WEEKLY`, `MONTHLY` and `YEARLY` frequencies are supported. A rule is made by
/// ``init(parsing:)``, which checks it against RFC 5545 section 3.3.10 and reports every problem at once.
/// Lists are kept sorted and without repeats, so two rules that mean the same are equal and print the
/// same ``rfcString``.
///
/// A rule alone has no dates: expand it from a DTSTART with
/// ``occurrences(from:untilLocal:)`` (in `RecurrenceRule+Expansion.swift`), or combine it with RDATEs
/// and EXDATEs in a ``RecurrenceSet``.
public struct RecurrenceRule: Hashable, Sendable, CustomStringConvertible {
    /// How often the rule's period repeats (`FREQ`).
    public enum Frequency: Int, Hashable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
        case daily, weekly, monthly, yearly

        /// The RFC 5545 name: `DAILY`, `WEEKLY`, `MONTHLY` or `YEARLY`.
        public var description: String { ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"][rawValue] }

        public static func < (lhs: Frequency, rhs: Frequency) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The inclusive end of a rule (`UNTIL`), in one of the three forms RFC 5545 allows.
    public enum Until: Hashable, Sendable, CustomStringConvertible {
        /// `UNTIL=19971224`: a date.
        case date(CivilDate)
        /// `UNTIL=19971224T090000`: a floating local date and time.
        case local(CivilDateTime)
        /// `UNTIL=19971224T140000Z`: a UTC date and time.
        case utc(CivilDateTime)

        /// The bound as local civil time, as the expander takes it.
        ///
        /// A date becomes 00:00 of that date, as python-dateutil does: with a DTSTART of 09:00, an
        /// `UNTIL=19971224` does not include 24 December. (RFC 5545 wants a date `UNTIL` only with a date
        /// DTSTART, where the two agree.) A UTC time is converted by `localTimeForUTC`, which the caller
        /// builds from the event's time zone; a local time is used as is.
        public func localBound(localTimeForUTC: (CivilDateTime) -> CivilDateTime) -> CivilDateTime {
            switch self {
            case .date(let date): CivilDateTime(date: date, secondOfDay: 0)
            case .local(let time): time
            case .utc(let time): localTimeForUTC(time)
            }
        }

        /// The RFC 5545 form: `19971224`, `19971224T090000` or `19971224T140000Z`.
        public var description: String {
            switch self {
            case .date(let date): date.basicDescription
            case .local(let time): time.basicDescription
            case .utc(let time): time.basicDescription + "Z"
            }
        }
    }

    /// One `BYDAY` entry: a weekday, with an ordinal when it means the nth such day of the month or year.
    public struct OrdinalWeekday: Hashable, Sendable, Comparable, CustomStringConvertible {
        /// The day of the week.
        public let weekday: Weekday
        /// `1` the first, `-1` the last, ... of the month (`MONTHLY`, or `YEARLY` with `BYMONTH`) or of the
        /// year; nil for every such weekday.
        public let ordinal: Int?

        /// Every `weekday`, or only the `ordinal`-th one.
        public init(_ weekday: Weekday, ordinal: Int? = nil) {
            precondition(ordinal != 0, "a BYDAY ordinal is never 0")
            self.weekday = weekday
            self.ordinal = ordinal
        }

        /// `MO`, `1FR`, `-1SU`.
        public var description: String { (ordinal.map(String.init) ?? "") + weekday.code }

        public static func < (lhs: OrdinalWeekday, rhs: OrdinalWeekday) -> Bool {
            (lhs.weekday.rawValue, lhs.ordinal ?? Int.min) < (rhs.weekday.rawValue, rhs.ordinal ?? Int.min)
        }
    }

    // Settable in this module for copies with a part changed; the BY lists stay sorted and without repeats.

    /// `FREQ`.
    public internal(set) var frequency: Frequency
    /// `INTERVAL`: every how many periods; at least 1.
    public internal(set) var interval: Int
    /// `COUNT`: how many occurrences at most, counting only those at or after DTSTART.
    public internal(set) var count: Int?
    /// `UNTIL`: the inclusive end.
    public internal(set) var until: Until?
    /// `BYMONTH`: 1...12.
    public internal(set) var byMonth: [Int]
    /// `BYWEEKNO`: -53...-1, 1...53 (`YEARLY` only).
    public internal(set) var byWeekNumber: [Int]
    /// `BYYEARDAY`: -366...-1, 1...366 (`YEARLY` only).
    public internal(set) var byYearDay: [Int]
    /// `BYMONTHDAY`: -31...-1, 1...31.
    public internal(set) var byMonthDay: [Int]
    /// `BYDAY`.
    public internal(set) var byDay: [OrdinalWeekday]
    /// `BYHOUR`: 0...23.
    public internal(set) var byHour: [Int]
    /// `BYMINUTE`: 0...59.
    public internal(set) var byMinute: [Int]
    /// `BYSECOND`: 0...59.
    public internal(set) var bySecond: [Int]
    /// `BYSETPOS`: -366...-1, 1...366.
    public internal(set) var bySetPosition: [Int]
    /// `WKST`: the first day of the week; Monday unless given.
    public internal(set) var weekStart: Weekday

    init(
        frequency: Frequency,
        interval: Int = 1,
        count: Int? = nil,
        until: Until? = nil,
        byMonth: [Int] = [],
        byWeekNumber: [Int] = [],
        byYearDay: [Int] = [],
        byMonthDay: [Int] = [],
        byDay: [OrdinalWeekday] = [],
        byHour: [Int] = [],
        byMinute: [Int] = [],
        bySecond: [Int] = [],
        bySetPosition: [Int] = [],
        weekStart: Weekday = .monday
    ) {
        self.frequency = frequency
        self.interval = interval
        self.count = count
        self.until = until
        self.byMonth = Array(Set(byMonth)).sorted()
        self.byWeekNumber = Array(Set(byWeekNumber)).sorted()
        self.byYearDay = Array(Set(byYearDay)).sorted()
        self.byMonthDay = Array(Set(byMonthDay)).sorted()
        self.byDay = Array(Set(byDay)).sorted()
        self.byHour = Array(Set(byHour)).sorted()
        self.byMinute = Array(Set(byMinute)).sorted()
        self.bySecond = Array(Set(bySecond)).sorted()
        self.bySetPosition = Array(Set(bySetPosition)).sorted()
        self.weekStart = weekStart
    }

    /// Parses an RRULE value such as `FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR;COUNT=10`.
    ///
    /// A leading `RRULE:` is accepted; names and values are case-insensitive and spaces around them are
    /// ignored. Parts: `FREQ` (required: `DAILY`, `WEEKLY`, `MONTHLY` or `YEARLY`), `INTERVAL`, `COUNT`,
    /// `UNTIL` (`19971224`, `19971224T090000` or `19971224T140000Z`), `BYMONTH`, `BYWEEKNO`, `BYYEARDAY`,
    /// `BYMONTHDAY`, `BYDAY` (`MO`, `1FR`, `-1SU`, `+2TU`), `BYHOUR`, `BYMINUTE`, `BYSECOND`, `BYSETPOS`
    /// and `WKST`. Besides the form and range of each value it enforces RFC 5545's rules between parts:
    /// not both `COUNT` and `UNTIL`; `BYWEEKNO` and `BYYEARDAY` only with `YEARLY`; no `BYMONTHDAY` with
    /// `WEEKLY`; `BYDAY` ordinals only with `MONTHLY` (-5...5) or `YEARLY` (not with `BYWEEKNO`);
    /// `BYSETPOS` only beside another `BYxxx` part.
    ///
    /// - Throws: every problem found, in the order they appear in `text`.
    public init(parsing text: String) throws(RecurrenceRuleError.List) {
        var parser = RecurrenceRuleParser(text)
        switch parser.parse() {
        case .success(let rule): self = rule
        case .failure(let errors): throw errors
        }
    }

    /// The rule in RFC 5545 form, parts in the grammar's order, `INTERVAL` and `WKST` left out when they are
    /// the defaults. Parsing it gives back an equal rule.
    public var rfcString: String {
        var parts = ["FREQ=\(frequency)"]
        if let until { parts.append("UNTIL=\(until)") }
        if let count { parts.append("COUNT=\(count)") }
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        func list(_ name: String, _ values: [some CustomStringConvertible]) {
            if !values.isEmpty { parts.append("\(name)=" + values.map(\.description).joined(separator: ",")) }
        }
        list("BYSECOND", bySecond)
        list("BYMINUTE", byMinute)
        list("BYHOUR", byHour)
        list("BYDAY", byDay)
        list("BYMONTHDAY", byMonthDay)
        list("BYYEARDAY", byYearDay)
        list("BYWEEKNO", byWeekNumber)
        list("BYMONTH", byMonth)
        list("BYSETPOS", bySetPosition)
        if weekStart != .monday { parts.append("WKST=\(weekStart.code)") }
        return parts.joined(separator: ";")
    }

    /// The same as ``rfcString``.
    public var description: String { rfcString }
}
