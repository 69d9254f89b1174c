extension VTimeZone {
    /// The VTIMEZONE of `zone` for `years`, built from the zone's own data (the system's tzdata).
    ///
    /// It opens with the offset in effect on 1 January of the first year (an observance whose TZOFFSETFROM
    /// and TZOFFSETTO are equal), then lists each transition until the zone's yearly daylight-saving rule
    /// (its TZif footer) takes over; from there two observances repeat by RRULE, so that dates after the
    /// last year still get the right offset. A rule that an RRULE cannot say (a Julian day, a switch
    /// time that moves the day out of the month) is written out transition by transition through the last
    /// year instead.
    public init(zone: Zone, identifier: String, years: ClosedRange<Int>) {
        let spanStart = Instant(
            secondsSinceEpoch: Int64(daysSinceEpochOf(year: years.lowerBound, month: 1, day: 1)) * 86400
        )
        let spanEnd = Instant(
            secondsSinceEpoch: Int64(daysSinceEpochOf(year: years.upperBound + 1, month: 1, day: 1)) * 86400
        )
        let initial = zone.offset(at: spanStart)
        var observances = [
            Observance(
                isDaylight: initial.isDST,
                start: CivilDateTime(secondsSinceEpoch: spanStart.secondsSinceEpoch + Int64(initial.seconds)),
                offsetFrom: initial.seconds,
                offsetTo: initial.seconds,
                name: initial.abbreviation
            )
        ]
        let tail = Self.ruleTail(of: zone, from: spanStart)
        // Explicit transitions: up to where the rule's observances take over; else through the last year, or
        // the zone's last listed transition when later (Casablanca lists its switches decades ahead).
        var explicitEnd = spanEnd
        if let tail {
            explicitEnd = tail.firstOnset
        } else if zone.storage.rule?.daylight == nil, let last = zone.storage.transitionTimes.last {
            explicitEnd = max(spanEnd, Instant(secondsSinceEpoch: last + 1))
        }
        var previous = initial
        var cursor = spanStart
        while let next = zone.nextTransition(after: cursor), next < explicitEnd {
            let offset = zone.offset(at: next)
            observances.append(
                Observance(
                    isDaylight: offset.isDST,
                    start: CivilDateTime(secondsSinceEpoch: next.secondsSinceEpoch + Int64(previous.seconds)),
                    offsetFrom: previous.seconds,
                    offsetTo: offset.seconds,
                    name: offset.abbreviation
                )
            )
            previous = offset
            cursor = next
        }
        if let tail { observances += tail.observances }
        self.init(identifier: identifier, observances: observances)
    }

    /// The two yearly observances of the zone's daylight-saving rule from the first of its onsets at or
    /// after `from` (and after the last transition that does not follow the rule), or nil when the zone
    /// has no such rule or an RRULE cannot say it.
    static func ruleTail(of zone: Zone, from: Instant) -> (firstOnset: Instant, observances: [Observance])? {
        let storage = zone.storage
        guard let rule = storage.rule, let daylight = rule.daylight,
            let startRule = Self.yearlyRule(daylight.start), let endRule = Self.yearlyRule(daylight.end)
        else { return nil }
        // The earliest instant from which the zone and its rule agree: walk the explicit transitions back
        // from the last while each interval's offset is the rule's and the rule does not switch inside it.
        let times = storage.transitionTimes
        var agreeFrom = times.last ?? Int64.min
        var index = times.count - 2
        while index >= 0 {
            let t = times[index]
            let offset = storage.offsets[Int(storage.transitionOffsetIndices[index])]
            let instant = Instant(secondsSinceEpoch: t)
            guard rule.offset(at: instant) == offset,
                rule.nextTransition(after: instant).map({ $0.secondsSinceEpoch >= times[index + 1] }) ?? true
            else { break }
            agreeFrom = t
            index -= 1
        }
        let begin = max(agreeFrom, from.secondsSinceEpoch)
        // The first daylight-saving start and end at or after `begin`.
        var cursor = Instant(secondsSinceEpoch: begin == Int64.min ? begin : begin - 1)
        var daylightOnset: Instant?
        var standardOnset: Instant?
        while daylightOnset == nil || standardOnset == nil {
            guard let next = rule.nextTransition(after: cursor) else { return nil }
            if rule.offset(at: next) == daylight.offset {
                if daylightOnset == nil { daylightOnset = next }
            } else if standardOnset == nil {
                standardOnset = next
            }
            cursor = next
        }
        guard let daylightStart = daylightOnset, let standardStart = standardOnset else { return nil }
        let standard = rule.standard
        let observances = [
            Observance(
                isDaylight: true,
                start: CivilDateTime(
                    secondsSinceEpoch: daylightStart.secondsSinceEpoch + Int64(standard.seconds)
                ),
                offsetFrom: standard.seconds,
                offsetTo: daylight.offset.seconds,
                name: daylight.offset.abbreviation,
                rule: startRule
            ),
            Observance(
                isDaylight: false,
                start: CivilDateTime(
                    secondsSinceEpoch: standardStart.secondsSinceEpoch + Int64(daylight.offset.seconds)
                ),
                offsetFrom: daylight.offset.seconds,
                offsetTo: standard.seconds,
                name: standard.abbreviation,
                rule: endRule
            ),
        ]
        return (min(daylightStart, standardStart), observances)
    }

    /// `FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU` for `M3.5.0`; a switch time beyond the day (`M3.4.4/26`, the
    /// Friday after the fourth Thursday) as a weekday within a range of month days; nil for what an RRULE
    /// cannot say here (Julian days, a range leaving the month).
    static func yearlyRule(_ date: PosixTimeZoneRule.TransitionDate) -> RecurrenceRule? {
        guard case .monthWeekDay(let month, let week, let posixWeekday) = date.day else { return nil }
        // POSIX counts weekdays from Sunday = 0; Weekday from Monday = 0.
        let dayShift = Int((Double(date.secondOfDay) / 86400).rounded(.down))
        let weekday = Weekday(rawValue: ((posixWeekday + 6 + dayShift) % 7 + 7) % 7)!
        if dayShift == 0 {
            let ordinal = week == 5 ? -1 : week
            return RecurrenceRule(
                frequency: .yearly,
                byMonth: [month],
                byDay: [RecurrenceRule.OrdinalWeekday(weekday, ordinal: ordinal)]
            )
        }
        // The days the shifted weekday can fall on must exist in the month every year (February: 28).
        let shortest = CivilDate.daysInMonth(year: 2001, month: month)
        let days: [Int]
        if week == 5 {
            days = (-7 ... -1).map { $0 + dayShift }
            guard days.allSatisfy({ (-shortest ... -1).contains($0) }) else { return nil }
        } else {
            days = (1...7).map { $0 + 7 * (week - 1) + dayShift }
            guard days.allSatisfy({ (1...shortest).contains($0) }) else { return nil }
        }
        return RecurrenceRule(
            frequency: .yearly,
            byMonth: [month],
            byMonthDay: days,
            byDay: [RecurrenceRule.OrdinalWeekday(weekday)]
        )
    }
}
