/// The arithmetic of due instants, offsets and local times, shared by the loader and the schedule.
public enum ReminderMath {
    /// The earliest and latest instants a reminder may come due: the years 1 to 9999 UTC.
    static let earliest = CivilDateTime(date: CivilDate(year: 1, month: 1, day: 1)!, secondOfDay: 0).secondsSinceEpoch
    static let latest = CivilDateTime(date: CivilDate(year: 9999, month: 12, day: 31)!, secondOfDay: 86399)
        .secondsSinceEpoch

    /// When `offset` comes due for `occurrence` of `milestone`; nil when outside the years 1 to 9999.
    ///
    /// The anchor is the occurrence's start or end; for all-day milestones, that day at `allDayTime`.
    /// Days move the calendar date in the milestone's zone (keeping the local time of day), working days step
    /// over the days its `WorkingCalendar` says are not working days (Remind's `-N` over OMITted days); seconds
    /// are then added exactly. `on_non_working_day` is not applied here: see ``placement(of:occurrenceStart:milestone:allDayTime:)``.
    public static func due(
        of offset: ReminderOffset,
        occurrence: Occurrence,
        milestone: Milestone,
        allDayTime: Int
    ) -> Instant? {
        var anchor = offset.anchor == .start ? occurrence.start : occurrence.end
        if milestone.isAllDay { anchor = CivilDateTime(date: anchor.date, secondOfDay: allDayTime) }
        var day = anchor.date.daysSinceEpoch + offset.days
        if offset.workingDays != 0 {
            guard let date = milestone.workingCalendar.adding(workingDays: offset.workingDays, to: anchor.date) else {
                return nil
            }
            day = date.daysSinceEpoch
        }
        guard WorkingCalendar.dayRange.contains(day) else { return nil }
        let local = CivilDateTime(date: CivilDate(daysSinceEpoch: day), secondOfDay: anchor.secondOfDay)
        let instant = milestone.zone.instant(for: local).secondsSinceEpoch + offset.seconds
        guard instant >= earliest, instant <= latest else { return nil }
        return Instant(secondsSinceEpoch: instant)
    }

    /// A local start no later than that of any occurrence whose `offset` reminder comes due after `instant`:
    /// where to seek a milestone's occurrences to instead of walking them from DTSTART.
    ///
    /// The arithmetic of ``due(of:occurrence:milestone:allDayTime:)`` run backwards, with three days to spare
    /// for what it leaves out: the zone's offset changing in between (at most about a day, crossing the
    /// date line) and the all-day time of day.
    static func earliestStart(dueAfter instant: Instant, offset: ReminderOffset, milestone: Milestone) -> CivilDateTime
    {
        let bounded = Instant(secondsSinceEpoch: min(max(instant.secondsSinceEpoch, earliest), latest))
        let local = milestone.zone.localTime(at: bounded)
        var seconds = local.secondsSinceEpoch
        let slack = workingDaySlack(before: local.date, offset: offset, milestone: milestone)
        seconds -= offset.seconds + Int64(offset.days + slack) * 86400 + 3 * 86400
        if offset.anchor == .end, let end = milestone.end {
            seconds -= end.secondsSinceEpoch - milestone.start.secondsSinceEpoch
        }
        return CivilDateTime(secondsSinceEpoch: max(seconds, earliest))
    }

    /// The rule's UNTIL as local civil time of `zone` (a date means 00:00 of that day, as dateutil does).
    static func untilLocal(_ rule: RecurrenceRule, zone: Zone) -> CivilDateTime? {
        rule.until?.localBound { zone.localTime(at: Instant(secondsSinceEpoch: $0.secondsSinceEpoch)) }
    }

    /// A warning, to be read in any language, when `local` does not exist (DST gap) or exists twice (DST
    /// overlap) in `zone`.
    public static func dstWarning(_ local: CivilDateTime, zone: Zone) -> LocalizedText? {
        switch zone.resolve(local) {
        case .unique: return nil
        case .gap(let instant, let skipped):
            return .tr(
                "%s does not exist in %s (a DST gap of %s minutes); it is taken as %s (RFC 5545)",
                local,
                zone.identifier,
                skipped / 60,
                iso8601(instant, in: zone)
            )
        case .overlap(let first, _):
            return .tr(
                "%s happens twice in %s (a DST overlap); the first is taken: %s (RFC 5545)",
                local,
                zone.identifier,
                iso8601(first, in: zone)
            )
        }
    }

    /// `+02:00`, `-05:00`, `+10:30`, `Z` never (offsets are always explicit).
    public static func offsetText(seconds: Int) -> String {
        let a = abs(seconds)
        guard a < 100 * 3600 else {
            let text = (seconds < 0 ? "-" : "+") + "\(pad(a / 3600, 2)):\(pad(a / 60 % 60, 2))"
            return a % 60 == 0 ? text : text + ":\(pad(a % 60, 2))"
        }
        let length = a % 60 == 0 ? 6 : 9
        return String(unsafeUninitializedCapacity: length) { buffer in
            buffer[0] = seconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
            writeDigits(a / 3600, count: 2, into: buffer, at: 1)
            buffer[3] = UInt8(ascii: ":")
            writeDigits(a / 60 % 60, count: 2, into: buffer, at: 4)
            if length == 9 {
                buffer[6] = UInt8(ascii: ":")
                writeDigits(a % 60, count: 2, into: buffer, at: 7)
            }
            return length
        }
    }

    /// ISO 8601 with the zone's offset at that instant: `2027-06-03T09:00:00+02:00`.
    public static func iso8601(_ instant: Instant, in zone: Zone) -> String {
        let offset = zone.offset(at: instant).seconds
        let local = CivilDateTime(secondsSinceEpoch: instant.secondsSinceEpoch + Int64(offset))
        return "\(local)\(offsetText(seconds: offset))"
    }

    /// A short local form for people: `2027-06-03 09:00 CEST`.
    public static func humanTime(_ instant: Instant, in zone: Zone) -> String {
        let offset = zone.offset(at: instant)
        let local = CivilDateTime(secondsSinceEpoch: instant.secondsSinceEpoch + Int64(offset.seconds))
        var text = "\(local.date) \(pad(local.hour, 2)):\(pad(local.minute, 2))"
        if local.second != 0 { text += ":\(pad(local.second, 2))" }
        return text + " " + offset.abbreviation
    }

    /// "in 5 days", "in 3 hours", "2 minutes ago", "now"; in `localizer`'s language when given.
    public static func relative(_ seconds: Int64, _ localizer: Localizer = .english) -> String {
        guard seconds != 0 else { return localizer.tr("now") }
        let amount = duration(abs(seconds), localizer)
        return seconds > 0 ? localizer.tr("in %s", amount) : localizer.tr("%s ago", amount)
    }

    /// "5 days", "3 hours", "2 minutes", "1 second" (rounded down to its largest unit, days from 48 hours); in
    /// `localizer`'s language when given.
    public static func duration(_ seconds: Int64, _ localizer: Localizer = .english) -> String {
        switch seconds {
        case ..<60: localizer.trn("%d second", "%d seconds", Int(seconds))
        case 60..<3600: localizer.trn("%d minute", "%d minutes", Int(seconds / 60))
        case 3600..<172_800: localizer.trn("%d hour", "%d hours", Int(seconds / 3600))
        default: localizer.trn("%d day", "%d days", Int(seconds / 86400))
        }
    }
}
