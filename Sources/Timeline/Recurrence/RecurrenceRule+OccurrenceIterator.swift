extension RecurrenceRule {
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
