extension RecurrenceRule {
    /// The rule's occurrences from `start` (DTSTART), in floating local time, ascending and lazily.
    ///
    /// The semantics are RFC 5545 section 3.8.5.3 with python-dateutil's conventions where the RFC is
    /// loose:
    /// - `start` is not an occurrence unless it matches the rule; nothing before it is produced, and
    ///   `COUNT` counts only what is produced.
    /// - Missing parts come from `start`: `YEARLY` without `BYWEEKNO`, `BYYEARDAY`, `BYMONTHDAY` or
    ///   `BYDAY` uses `start`'s day of the month (and month, without `BYMONTH`); `MONTHLY` its day of
    ///   the month; `WEEKLY` its weekday; hour, minute and second default to `start`'s.
    /// - Dates that do not exist (30 February, the 31st of a 30-day month) are skipped, not moved.
    /// - `BYDAY` ordinals count within the month for `MONTHLY` and for `YEARLY` with `BYMONTH`, within
    ///   the year otherwise; with `WEEKLY` or `DAILY` they are ignored (only a hand-built rule has them).
    /// - `BYSETPOS` picks from each whole period (year, month, week from `WKST`, or day).
    /// - Week numbers follow ISO 8601 with weeks starting on `WKST`; a `YEARLY` period is the calendar
    ///   year, so it includes days of that year that fall in week 1 of the next or the last week of the
    ///   previous.
    ///
    /// Iteration ends with `COUNT`, after `untilLocal`, or after 9999-12-31. Periods that cannot match
    /// (months outside `BYMONTH`) are skipped without looking at their days, and nothing beyond the
    /// current period is ever held, so an endless rule or `COUNT=1000000000` costs only what is read.
    /// A rule that ``neverOccursReason(from:untilLocal:)`` shows never occurs ends at once; one that
    /// never matches some other way ends after one 400-year calendar cycle of periods without a candidate
    /// (at most 146,097 days looked at, a few milliseconds). ``OccurrenceIterator/seek(to:)`` starts
    /// later without producing what comes before.
    ///
    /// - Parameters:
    ///   - start: DTSTART; use 00:00 for all-day events.
    ///   - untilLocal: the inclusive end as local civil time. This is the only end-date the expander
    ///     uses: pass ``until`` converted with ``Until/localBound(localTimeForUTC:)``, or nil when the rule
    ///     has no `UNTIL`.
    public func occurrences(from start: CivilDateTime, untilLocal: CivilDateTime?) -> Occurrences {
        Occurrences(plan: RecurrenceExpansionPlan(rule: self, start: start, untilLocal: untilLocal))
    }

    /// The rule's occurrences from `start`, with its ``until`` converted to local time; a UTC `UNTIL` goes
    /// through `localTimeForUTC`. See ``occurrences(from:untilLocal:)``.
    public func occurrences(
        from start: CivilDateTime,
        localTimeForUTC: (CivilDateTime) -> CivilDateTime
    ) -> Occurrences {
        occurrences(from: start, untilLocal: until?.localBound(localTimeForUTC: localTimeForUTC))
    }

    /// The lazily generated occurrences of a rule from one DTSTART.
    public struct Occurrences: Sequence, Sendable {
        let plan: RecurrenceExpansionPlan

        /// An iterator starting from DTSTART.
        public func makeIterator() -> OccurrenceIterator { OccurrenceIterator(plan: plan) }

        /// The first occurrence at or after `time`, or nil when there is none.
        public func first(onOrAfter time: CivilDateTime) -> CivilDateTime? {
            var iterator = makeIterator()
            iterator.seek(to: time)
            return iterator.next()
        }
    }

    /// Walks a rule's occurrences period by period.
    public struct OccurrenceIterator: IteratorProtocol, Sendable {
        private let plan: RecurrenceExpansionPlan
        /// The current period: a year, a month as `year * 12 + month - 1`, or the day number
        /// (``CivilDate/daysSinceEpoch``) of a week's first day or of a day.
        private var period = 0
        private var started = false
        private var finished = false
        /// Occurrences counted against `COUNT`, including those skipped by ``seek(to:)``.
        private var emitted = 0
        /// Nothing before this is returned: DTSTART, or the time last passed to ``seek(to:)``.
        private var floor: CivilDateTime
        /// The last period that had a candidate, or the period the walk started from.
        private var lastProductivePeriod = 0
        /// How many periods have been looked at: the iterator's work, for tests.
        private(set) var periodsLoaded = 0
        /// The matching days of the current period, ascending.
        private var days: [Int] = []
        private var dayIndex = 0
        private var timeIndex = 0
        /// With `BYSETPOS`: the picked occurrences of the current period.
        private var picked: [CivilDateTime] = []
        private var pickedIndex = 0
        /// The days that the ordinal `BYDAY` entries name in the current period.
        private var ordinalDays: [Int] = []
        /// The first day of week 1 of `weekYear - 1 ... weekYear + 2`.
        private var weekYear = Int.min
        private var weekOnes = (0, 0, 0, 0)

        init(plan: RecurrenceExpansionPlan) {
            self.plan = plan
            self.floor = plan.start
            self.finished = plan.provablyEmpty
        }

        /// The next occurrence, or nil when the rule has ended.
        public mutating func next() -> CivilDateTime? {
            while !finished {
                if let count = plan.count, emitted >= count { break }
                guard let candidate = nextCandidate() else {
                    if !loadNextPeriod() { break }
                    continue
                }
                if let until = plan.until, candidate > until { break }
                if candidate < plan.start { continue }
                emitted += 1
                if candidate < floor { continue }
                return candidate
            }
            finished = true
            return nil
        }

        /// Skips the occurrences before `time`, so that ``next()`` returns the first at or after it.
        ///
        /// Without `COUNT` this jumps straight to the period holding `time`; with `COUNT` the periods in
        /// between are still counted, a whole period at a time, never an occurrence at a time. Seeking
        /// backwards does nothing.
        public mutating func seek(to time: CivilDateTime) {
            guard time > floor else { return }
            floor = time
            guard plan.count == nil, !finished else { return }
            let (target, step) =
                switch plan.frequency {
                case .yearly: (time.date.year, plan.interval)
                case .monthly: (time.date.year * 12 + time.date.month - 1, plan.interval)
                case .weekly: (time.date.daysSinceEpoch, 7 * plan.interval)
                case .daily: (time.date.daysSinceEpoch, plan.interval)
                }
            guard target - plan.firstPeriod >= step else { return }
            let aligned = plan.firstPeriod + (target - plan.firstPeriod) / step * step
            guard !started || aligned > period else { return }
            started = true
            period = aligned - step
            lastProductivePeriod = aligned
            days.removeAll(keepingCapacity: true)
            picked.removeAll(keepingCapacity: true)
            dayIndex = 0
            timeIndex = 0
            pickedIndex = 0
        }

        private mutating func nextCandidate() -> CivilDateTime? {
            if !plan.setPositions.isEmpty {
                guard pickedIndex < picked.count else { return nil }
                pickedIndex += 1
                return picked[pickedIndex - 1]
            }
            guard dayIndex < days.count else { return nil }
            let candidate = CivilDateTime(
                date: CivilDate(daysSinceEpoch: days[dayIndex]),
                secondOfDay: plan.times[timeIndex]
            )
            timeIndex += 1
            if timeIndex == plan.times.count {
                timeIndex = 0
                dayIndex += 1
            }
            return candidate
        }

        /// Moves to the next period with a candidate at or after ``floor``; false when the rule has run
        /// out of time, or when a whole calendar cycle of periods (``RecurrenceExpansionPlan/quietSpan``)
        /// has gone by without a candidate, which proves that none will ever come.
        ///
        /// A period whose candidates all lie before ``floor`` (and after DTSTART) is passed over whole,
        /// counted against `COUNT` without producing its occurrences one by one.
        private mutating func loadNextPeriod() -> Bool {
            while true {
                if started {
                    period = nextPeriod(after: period)
                } else {
                    started = true
                    period = plan.firstPeriod
                    lastProductivePeriod = period
                }
                guard firstDay(of: period) <= plan.lastDay, period - lastProductivePeriod < plan.quietSpan else {
                    return false
                }
                periodsLoaded += 1
                collectDays()
                dayIndex = 0
                timeIndex = 0
                if !plan.setPositions.isEmpty { pickPositions() }
                let candidates = plan.setPositions.isEmpty ? days.count * plan.times.count : picked.count
                guard candidates > 0 else { continue }
                lastProductivePeriod = period
                if lastCandidate < floor, firstCandidate >= plan.start {
                    emitted += candidates
                    if let count = plan.count, emitted >= count { return false }
                    continue
                }
                return true
            }
        }

        /// The earliest candidate of the current period, which has at least one.
        private var firstCandidate: CivilDateTime {
            plan.setPositions.isEmpty
                ? CivilDateTime(date: CivilDate(daysSinceEpoch: days[0]), secondOfDay: plan.times[0]) : picked[0]
        }

        /// The latest candidate of the current period, which has at least one.
        private var lastCandidate: CivilDateTime {
            plan.setPositions.isEmpty
                ? CivilDateTime(
                    date: CivilDate(daysSinceEpoch: days[days.count - 1]),
                    secondOfDay: plan.times[plan.times.count - 1]
                )
                : picked[picked.count - 1]
        }

        private func firstDay(of period: Int) -> Int {
            switch plan.frequency {
            case .yearly: period > 9999 ? Int.max : daysFromCivil(period, 1, 1)
            case .monthly: period / 12 > 9999 ? Int.max : daysFromCivil(period / 12, period % 12 + 1, 1)
            case .weekly, .daily: period
            }
        }

        private func nextPeriod(after period: Int) -> Int {
            switch plan.frequency {
            case .yearly, .monthly:
                // A month outside BYMONTH is rejected in `collectDays` before any of its days is looked at.
                return period + plan.interval
            case .weekly:
                let next = period + 7 * plan.interval
                guard plan.monthsRestricted else { return next }
                let first = CivilDate(daysSinceEpoch: next)
                let last = CivilDate(daysSinceEpoch: next + 6)
                guard !plan.allows(month: first.month), !plan.allows(month: last.month) else { return next }
                // Jump to the first aligned week that reaches into the next allowed month.
                let target = plan.firstDayOfAllowedMonth(after: last.year, last.month)
                guard target <= plan.lastDay else { return Int.max / 2 }
                let weeks =
                    ceilingDivision(ceilingDivision(target - 6 - plan.firstPeriod, 7), plan.interval) * plan.interval
                return max(next, plan.firstPeriod + 7 * weeks)
            case .daily:
                let next = period + plan.interval
                guard plan.monthsRestricted else { return next }
                let date = CivilDate(daysSinceEpoch: next)
                guard !plan.allows(month: date.month) else { return next }
                let target = plan.firstDayOfAllowedMonth(after: date.year, date.month)
                guard target <= plan.lastDay else { return Int.max / 2 }
                return plan.startDay + ceilingDivision(target - plan.startDay, plan.interval) * plan.interval
            }
        }

        private mutating func collectDays() {
            days.removeAll(keepingCapacity: true)
            switch plan.frequency {
            case .yearly:
                let year = period
                let yearStart = daysFromCivil(year, 1, 1)
                let yearLength = CivilDate.isLeapYear(year) ? 366 : 365
                if !plan.ordinals.isEmpty {
                    ordinalDays.removeAll(keepingCapacity: true)
                    if plan.monthsRestricted {
                        var monthStart = yearStart
                        for month in 1...12 {
                            let length = CivilDate.daysInMonth(year: year, month: month)
                            if plan.allows(month: month) { addOrdinalDays(monthStart, monthStart + length - 1) }
                            monthStart += length
                        }
                    } else {
                        addOrdinalDays(yearStart, yearStart + yearLength - 1)
                    }
                }
                var monthStart = yearStart
                for month in 1...12 {
                    let length = CivilDate.daysInMonth(year: year, month: month)
                    if plan.allows(month: month) {
                        scanMonth(year, month, monthStart, length, yearStart, yearLength)
                    }
                    monthStart += length
                }
            case .monthly:
                let year = period / 12
                let month = period % 12 + 1
                guard plan.allows(month: month) else { return }
                let monthStart = daysFromCivil(year, month, 1)
                let length = CivilDate.daysInMonth(year: year, month: month)
                if !plan.ordinals.isEmpty {
                    ordinalDays.removeAll(keepingCapacity: true)
                    addOrdinalDays(monthStart, monthStart + length - 1)
                }
                let yearStart = daysFromCivil(year, 1, 1)
                scanMonth(year, month, monthStart, length, yearStart, CivilDate.isLeapYear(year) ? 366 : 365)
            case .weekly, .daily:
                // The whole week even past UNTIL: BYSETPOS counts in all of it.
                let last = plan.frequency == .weekly ? min(period + 6, RecurrenceExpansionPlan.endOfTime) : period
                for day in period...last {
                    let date = CivilDate(daysSinceEpoch: day)
                    let yearStart = daysFromCivil(date.year, 1, 1)
                    if matches(
                        day,
                        year: date.year,
                        month: date.month,
                        dayOfMonth: date.day,
                        monthLength: CivilDate.daysInMonth(year: date.year, month: date.month),
                        yearStart: yearStart,
                        yearLength: CivilDate.isLeapYear(date.year) ? 366 : 365,
                        weekday: weekdayIndex(day)
                    ) {
                        days.append(day)
                    }
                }
            }
        }

        private mutating func scanMonth(
            _ year: Int,
            _ month: Int,
            _ monthStart: Int,
            _ length: Int,
            _ yearStart: Int,
            _ yearLength: Int
        ) {
            let firstWeekday = weekdayIndex(monthStart)
            for dayOfMonth in 1...length {
                let day = monthStart + dayOfMonth - 1
                if matches(
                    day,
                    year: year,
                    month: month,
                    dayOfMonth: dayOfMonth,
                    monthLength: length,
                    yearStart: yearStart,
                    yearLength: yearLength,
                    weekday: (firstWeekday + dayOfMonth - 1) % 7
                ) {
                    days.append(day)
                }
            }
        }

        /// Whether `day` passes every `BYxxx` filter; the period has already been chosen.
        private mutating func matches(
            _ day: Int,
            year: Int,
            month: Int,
            dayOfMonth: Int,
            monthLength: Int,
            yearStart: Int,
            yearLength: Int,
            weekday: Int
        ) -> Bool {
            guard plan.allows(month: month) else { return false }
            if plan.monthDays != 0,
                (plan.monthDays >> UInt64(dayOfMonth)) & 1 == 0,
                (plan.monthDays >> UInt64(32 + monthLength - dayOfMonth + 1)) & 1 == 0
            {
                return false
            }
            if plan.hasDayFilter, (plan.weekdays >> UInt8(weekday)) & 1 == 0, !ordinalDays.contains(day) {
                return false
            }
            if !plan.yearDaysPositive.isEmpty {
                let dayOfYear = day - yearStart + 1
                if !plan.yearDaysPositive[dayOfYear], !plan.yearDaysNegative[yearLength - dayOfYear + 1] {
                    return false
                }
            }
            if plan.weekNumbersPositive != 0 || plan.weekNumbersNegative != 0 {
                return weekNumberMatches(day, year: year)
            }
            return true
        }

        /// Adds the days in `first...last` that the ordinal `BYDAY` entries name.
        private mutating func addOrdinalDays(_ first: Int, _ last: Int) {
            for entry in plan.ordinals {
                let day =
                    entry.ordinal > 0
                    ? first + (entry.ordinal - 1) * 7 + (entry.weekday - weekdayIndex(first) + 7) % 7
                    : last + (entry.ordinal + 1) * 7 - (weekdayIndex(last) - entry.weekday + 7) % 7
                if first <= day, day <= last { ordinalDays.append(day) }
            }
        }

        private mutating func weekNumberMatches(_ day: Int, year: Int) -> Bool {
            if weekYear != year {
                weekYear = year
                weekOnes = (
                    plan.firstDayOfWeekOne(year - 1), plan.firstDayOfWeekOne(year), plan.firstDayOfWeekOne(year + 1),
                    plan.firstDayOfWeekOne(year + 2)
                )
            }
            let (previous, current, next, afterNext) = weekOnes
            let (weekOne, nextWeekOne) =
                day < current ? (previous, current) : day >= next ? (next, afterNext) : (current, next)
            let week = (day - weekOne) / 7 + 1
            let weeksInYear = (nextWeekOne - weekOne) / 7
            return (plan.weekNumbersPositive >> UInt64(week)) & 1 != 0
                || (plan.weekNumbersNegative >> UInt64(weeksInYear - week + 1)) & 1 != 0
        }

        private mutating func pickPositions() {
            picked.removeAll(keepingCapacity: true)
            pickedIndex = 0
            let timeCount = plan.times.count
            let total = days.count * timeCount
            for position in plan.setPositions {
                let index = position > 0 ? position - 1 : total + position
                guard 0 <= index, index < total else { continue }
                let time = CivilDateTime(
                    date: CivilDate(daysSinceEpoch: days[index / timeCount]),
                    secondOfDay: plan.times[index % timeCount]
                )
                picked.append(time)
            }
            picked.sort()
            var unique = 0
            for index in picked.indices where index == 0 || picked[index] != picked[unique - 1] {
                picked[unique] = picked[index]
                unique += 1
            }
            picked.removeLast(picked.count - unique)
        }
    }
}

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

extension RecurrenceRule {
    /// Why the rule, expanded from `start`, never occurs; nil when it occurs at least once.
    ///
    /// With `start` this is exact: when none of the evident reasons below applies, the rule is expanded
    /// until its first occurrence, which takes at most one 400-year calendar cycle of periods (a few
    /// milliseconds). The evident reasons, checked first and named precisely: an `untilLocal` before
    /// `start`; `BYMONTH`, `BYMONTHDAY` and `BYYEARDAY` (with the defaults `start` supplies, and the months
    /// a `MONTHLY` `INTERVAL` can reach) that no calendar date satisfies, such as `BYMONTH=2;BYMONTHDAY=30,31`
    /// or `BYMONTHDAY=31` in 30-day months; `YEARLY` `BYDAY` ordinals beyond five within a `BYMONTH`; and
    /// `BYSETPOS` beyond the candidates one period can hold. Without `start` only these are checked, and
    /// not the defaults `start` would supply.
    public func neverOccursReason(from start: CivilDateTime? = nil, untilLocal: CivilDateTime? = nil) -> String? {
        if let reason = evidentlyNeverOccursReason(from: start, untilLocal: untilLocal) { return reason }
        guard let start else { return nil }
        var occurrences = occurrences(from: start, untilLocal: untilLocal).makeIterator()
        guard occurrences.next() == nil else { return nil }
        if let untilLocal {
            return "no date from DTSTART (\(start)) to UNTIL (\(untilLocal)) matches, so the rule never occurs"
        }
        return "no date in a whole 400-year cycle of the calendar matches, so the rule never occurs"
    }

    /// The cheap, static part of ``neverOccursReason(from:untilLocal:)``.
    func evidentlyNeverOccursReason(from start: CivilDateTime?, untilLocal: CivilDateTime?) -> String? {
        if let start, let untilLocal, untilLocal < start {
            return "UNTIL (\(untilLocal)) is before DTSTART (\(start)), so the rule never occurs"
        }

        var byMonth = byMonth
        var byMonthDay = byMonthDay
        var defaulted: [String] = []
        if let start, byWeekNumber.isEmpty, byYearDay.isEmpty, byMonthDay.isEmpty, byDay.isEmpty {
            if frequency == .yearly, byMonth.isEmpty {
                byMonth = [start.date.month]
                defaulted.append("BYMONTH=\(start.date.month)")
            }
            if frequency == .yearly || frequency == .monthly {
                byMonthDay = [start.date.day]
                defaulted.append("BYMONTHDAY=\(start.date.day)")
            }
        }
        var reachable = byMonth.isEmpty ? Array(1...12) : byMonth
        var intervalNote = ""
        if frequency == .monthly, let start {
            let step = greatestCommonDivisor(interval, 12)
            reachable = reachable.filter { ($0 - start.date.month) % step == 0 }
            if step > 1 { intervalNote = " in the months INTERVAL=\(interval) reaches from DTSTART's month" }
        }
        if !byMonthDay.isEmpty || !byYearDay.isEmpty || reachable.isEmpty {
            let someDateMatches = [2023, 2024].contains { year in
                reachable.contains { month in
                    let length = CivilDate.daysInMonth(year: year, month: month)
                    return (1...length).contains { day in
                        let dayOfYear = CivilDate(year: year, month: month, day: day)!.dayOfYear
                        let yearLength = CivilDate.isLeapYear(year) ? 366 : 365
                        return (byMonthDay.isEmpty || byMonthDay.contains(day) || byMonthDay.contains(day - length - 1))
                            && (byYearDay.isEmpty || byYearDay.contains(dayOfYear)
                                || byYearDay.contains(dayOfYear - yearLength - 1))
                    }
                }
            }
            if !someDateMatches {
                var parts: [String] = []
                if !byMonth.isEmpty { parts.append("BYMONTH=" + byMonth.map(String.init).joined(separator: ",")) }
                if !byMonthDay.isEmpty {
                    parts.append("BYMONTHDAY=" + byMonthDay.map(String.init).joined(separator: ","))
                }
                if !byYearDay.isEmpty { parts.append("BYYEARDAY=" + byYearDay.map(String.init).joined(separator: ",")) }
                let fromStart = defaulted.isEmpty ? "" : " (\(defaulted.joined(separator: " and ")) taken from DTSTART)"
                return "no calendar date matches \(parts.joined(separator: ";"))\(fromStart)\(intervalNote), so the"
                    + " rule never occurs"
            }
        }

        if frequency == .yearly, !byMonth.isEmpty, !byDay.isEmpty,
            byDay.allSatisfy({ abs($0.ordinal ?? 0) > 5 })
        {
            return "with BYMONTH a BYDAY ordinal counts within the month, which has at most five of each weekday;"
                + " \(byDay.map(\.description).joined(separator: ",")) never occurs"
        }

        if !bySetPosition.isEmpty {
            // A WEEKLY rule has as many days a week as BYDAY names, or only DTSTART's weekday.
            let weekdays =
                !byDay.isEmpty
                ? Set(byDay.map(\.weekday)).count
                : start != nil && byMonthDay.isEmpty && byYearDay.isEmpty && byWeekNumber.isEmpty ? 1 : 7
            let daysPerPeriod =
                switch frequency {
                case .daily: 1
                case .weekly: weekdays
                case .monthly: 31
                case .yearly: 366
                }
            let candidates = daysPerPeriod * max(byHour.count, 1) * max(byMinute.count, 1) * max(bySecond.count, 1)
            if bySetPosition.allSatisfy({ abs($0) > candidates }) {
                return
                    "a \(frequency) period has at most \(candidates) candidate\(candidates == 1 ? "" : "s"), so BYSETPOS="
                    + bySetPosition.map(String.init).joined(separator: ",") + " never picks one"
            }
        }
        return nil
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
private func ceilingDivision(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? (a + b - 1) / b : -((-a) / b)
}

private func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
    b == 0 ? a : greatestCommonDivisor(b, a % b)
}

private func leastCommonMultiple(_ a: Int, _ b: Int) -> Int {
    a / greatestCommonDivisor(a, b) * b
}
