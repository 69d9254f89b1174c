extension RecurrenceRule {
    /// Why the rule, expanded from `start`, never occurs; nil when it occurs at least once.
    ///
    /// With `start` this is exact: when none of the evident reasons below applies, the rule is expanded
    /// until its first occurrence, which takes at most one 400-year calendar cycle of periods. The evident
    /// reasons, checked first and named precisely: an `untilLocal` before `start`; `BYMONTH`, `BYMONTHDAY`
    /// and `BYYEARDAY` (with the defaults `start` supplies, and the months a `MONTHLY` `INTERVAL` can reach)
    /// that no calendar date satisfies, such as `BYMONTH=2;BYMONTHDAY=30,31` or `BYMONTHDAY=31` in 30-day
    /// months; `YEARLY` `BYDAY` ordinals beyond five within a `BYMONTH`; and `BYSETPOS` beyond the candidates
    /// one period can hold. Without `start` only these are checked, and not the defaults `start` would supply.
    /// The reason is a text to be read in any language.
    public func neverOccursReason(from start: CivilDateTime? = nil, untilLocal: CivilDateTime? = nil) -> LocalizedText?
    {
        if let reason = evidentlyNeverOccursReason(from: start, untilLocal: untilLocal) { return reason }
        guard let start else { return nil }
        var occurrences = occurrences(from: start, untilLocal: untilLocal).makeIterator()
        guard occurrences.next() == nil else { return nil }
        if let untilLocal {
            return .tr(
                "no date from %s (%s) to %s (%s) matches, so the rule never occurs",
                "DTSTART",
                start,
                "UNTIL",
                untilLocal
            )
        }
        return .tr("no date in a whole 400-year cycle of the calendar matches, so the rule never occurs")
    }

    /// The cheap, static part of ``neverOccursReason(from:untilLocal:)``.
    func evidentlyNeverOccursReason(from start: CivilDateTime?, untilLocal: CivilDateTime?) -> LocalizedText? {
        if let start, let untilLocal, untilLocal < start {
            return .tr("%s (%s) is before %s (%s), so the rule never occurs", "UNTIL", untilLocal, "DTSTART", start)
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
        var intervalStep = 1
        if frequency == .monthly, let start {
            intervalStep = greatestCommonDivisor(interval, 12)
            reachable = reachable.filter { ($0 - start.date.month) % intervalStep == 0 }
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
                var matched = LocalizedText(verbatim: parts.joined(separator: ";"))
                if !defaulted.isEmpty {
                    matched = .tr("%s (%s taken from %s)", matched, defaulted.joined(separator: " and "), "DTSTART")
                }
                if intervalStep > 1 {
                    matched = .tr(
                        "%s in the months %s reaches from %s's month",
                        matched,
                        "INTERVAL=\(interval)",
                        "DTSTART"
                    )
                }
                return .tr("no calendar date matches %s, so the rule never occurs", matched)
            }
        }

        if frequency == .yearly, !byMonth.isEmpty, !byDay.isEmpty,
            byDay.allSatisfy({ abs($0.ordinal ?? 0) > 5 })
        {
            return .tr(
                "with %s a %s ordinal counts within the month, which has at most five of each weekday; %s never occurs",
                "BYMONTH",
                "BYDAY",
                byDay.map(\.description).joined(separator: ",")
            )
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
                return .trn(
                    "a %2$s period has at most %1$d candidate, so %3$s never picks one",
                    "a %2$s period has at most %1$d candidates, so %3$s never picks one",
                    candidates,
                    frequency,
                    "BYSETPOS=" + bySetPosition.map(String.init).joined(separator: ",")
                )
            }
        }
        return nil
    }
}
