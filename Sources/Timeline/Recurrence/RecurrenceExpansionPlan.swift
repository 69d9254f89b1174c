/// A rule prepared for one DTSTART: defaults filled in, filters turned into masks.
struct RecurrenceExpansionPlan: Sendable {
    struct Ordinal: Sendable {
        let weekday: Int
        let ordinal: Int
    }

    /// The last day anything can happen on: 9999-12-31.
    static let endOfTime = daysFromCivil(9999, 12, 31)

    let frequency: RecurrenceRule.Frequency
    let interval: Int
    let start: CivilDateTime
    let startDay: Int
    let until: CivilDateTime?
    /// The last day a period may start on: the end of time or `until`'s date.
    let lastDay: Int
    let count: Int?
    let firstPeriod: Int
    let weekStart: Int
    /// Bit `m` set when month `m` may occur.
    let months: UInt16
    let monthsRestricted: Bool
    /// Bit `d` for day of month `d`, bit `32 + d` for day `-d`; 0 when unrestricted.
    let monthDays: UInt64
    /// Indexed by `n` for year day `n` and `-n`; empty when unrestricted.
    let yearDaysPositive: [Bool]
    let yearDaysNegative: [Bool]
    /// Bit `n` for week number `n` and `-n`.
    let weekNumbersPositive: UInt64
    let weekNumbersNegative: UInt64
    /// Bit `w` for every weekday `w` (Monday 0).
    let weekdays: UInt8
    let ordinals: [Ordinal]
    let hasDayFilter: Bool
    let setPositions: [Int]
    /// Seconds of the day, ascending.
    let times: [Int]
    /// ``RecurrenceRule/neverOccursReason(from:untilLocal:)`` found a reason: no need to walk to the end of time.
    let provablyEmpty: Bool
    /// How far apart, in period units (years, months or days), two periods are that hold the same calendar:
    /// the Gregorian calendar repeats every 400 years (4,800 months, 146,097 days, a whole number of weeks),
    /// and the periods every `INTERVAL`. A stretch this long without a candidate means there will never be one.
    let quietSpan: Int

    init(rule: RecurrenceRule, start: CivilDateTime, untilLocal: CivilDateTime?) {
        frequency = rule.frequency
        // Beyond this no second period starts before the end of time, and the arithmetic stays small.
        interval = min(rule.interval, 4_000_000)
        self.start = start
        startDay = start.date.daysSinceEpoch
        until = untilLocal
        lastDay = min(Self.endOfTime, untilLocal?.date.daysSinceEpoch ?? Self.endOfTime)
        count = rule.count
        weekStart = rule.weekStart.rawValue
        setPositions = rule.bySetPosition

        var byMonth = rule.byMonth
        var byMonthDay = rule.byMonthDay
        var byDay = rule.byDay
        if rule.byWeekNumber.isEmpty, rule.byYearDay.isEmpty, rule.byMonthDay.isEmpty, rule.byDay.isEmpty {
            switch rule.frequency {
            case .yearly:
                if byMonth.isEmpty { byMonth = [start.date.month] }
                byMonthDay = [start.date.day]
            case .monthly: byMonthDay = [start.date.day]
            case .weekly: byDay = [RecurrenceRule.OrdinalWeekday(start.date.weekday)]
            case .daily: break
            }
        }

        months = byMonth.isEmpty ? 0b1_1111_1111_1110 : byMonth.reduce(0) { $0 | 1 << UInt16($1) }
        monthsRestricted = !byMonth.isEmpty
        monthDays = byMonthDay.reduce(0) { $0 | 1 << UInt64($1 > 0 ? $1 : 32 - $1) }
        if rule.byYearDay.isEmpty {
            yearDaysPositive = []
            yearDaysNegative = []
        } else {
            var positive = Array(repeating: false, count: 367)
            var negative = Array(repeating: false, count: 367)
            for day in rule.byYearDay {
                if day > 0 { positive[day] = true } else { negative[-day] = true }
            }
            yearDaysPositive = positive
            yearDaysNegative = negative
        }
        weekNumbersPositive = rule.byWeekNumber.filter { $0 > 0 }.reduce(0) { $0 | 1 << UInt64($1) }
        weekNumbersNegative = rule.byWeekNumber.filter { $0 < 0 }.reduce(0) { $0 | 1 << UInt64(-$1) }
        // Ordinals only mean something within a month or a year.
        let ordinalsApply = rule.frequency >= .monthly
        weekdays = byDay.filter { $0.ordinal == nil || !ordinalsApply }.reduce(0) {
            $0 | 1 << UInt8($1.weekday.rawValue)
        }
        ordinals =
            ordinalsApply
            ? byDay.compactMap { entry in entry.ordinal.map { Ordinal(weekday: entry.weekday.rawValue, ordinal: $0) } }
            : []
        hasDayFilter = !byDay.isEmpty

        let hours = rule.byHour.isEmpty ? [start.hour] : rule.byHour
        let minutes = rule.byMinute.isEmpty ? [start.minute] : rule.byMinute
        let seconds = rule.bySecond.isEmpty ? [start.second] : rule.bySecond
        times = hours.flatMap { hour in minutes.flatMap { minute in seconds.map { hour * 3600 + minute * 60 + $0 } } }
            .sorted()

        provablyEmpty = rule.evidentlyNeverOccursReason(from: start, untilLocal: untilLocal) != nil

        switch rule.frequency {
        case .yearly:
            firstPeriod = start.date.year
            quietSpan = leastCommonMultiple(interval, 400)
        case .monthly:
            firstPeriod = start.date.year * 12 + start.date.month - 1
            quietSpan = leastCommonMultiple(interval, 4800)
        case .weekly:
            firstPeriod = startDay - (weekdayIndex(startDay) - weekStart + 7) % 7
            quietSpan = leastCommonMultiple(7 * interval, 146_097)
        case .daily:
            firstPeriod = startDay
            quietSpan = leastCommonMultiple(interval, 146_097)
        }
    }

    func allows(month: Int) -> Bool { (months >> UInt16(month)) & 1 != 0 }

    /// The first day of the first allowed month after `month` of `year`; past the end of time when none.
    func firstDayOfAllowedMonth(after year: Int, _ month: Int) -> Int {
        var year = year
        var month = month
        for _ in 0..<12 {
            month += 1
            if month > 12 {
                month = 1
                year += 1
            }
            if allows(month: month) { return year > 9999 ? Int.max / 2 : daysFromCivil(year, month, 1) }
        }
        return Int.max / 2
    }

    /// The first day of week 1 of `year`: the week, starting on WKST, that holds 4 January.
    func firstDayOfWeekOne(_ year: Int) -> Int {
        let january4 = daysFromCivil(year, 1, 4)
        return january4 - (weekdayIndex(january4) - weekStart + 7) % 7
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date, for any year (Howard Hinnant's days_from_civil).
@inline(__always)
func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}

/// The weekday of a day number, Monday 0 ... Sunday 6.
@inline(__always)
func weekdayIndex(_ day: Int) -> Int {
    ((day % 7) + 7 + 3) % 7
}

@inline(__always)
func ceilingDivision(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? (a + b - 1) / b : -((-a) / b)
}

func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
    b == 0 ? a : greatestCommonDivisor(b, a % b)
}

func leastCommonMultiple(_ a: Int, _ b: Int) -> Int {
    a / greatestCommonDivisor(a, b) * b
}
