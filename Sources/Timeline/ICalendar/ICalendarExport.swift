/// The timeline as an iCalendar stream (RFC 5545): one VEVENT per milestone with its recurrence and one
/// VALARM per reminder, and a VTIMEZONE for each zone the timed milestones use.
///
/// Pure and stable: the same config and `dtstamp` give the same bytes. UIDs are `<id>@sse-timeline` for
/// events and `<id>-<offset>@sse-timeline` for alarms (`ilc-2027-30-days-before@sse-timeline`), so they
/// stay the same across exports and reorderings.
public struct ICalendarExport: Sendable {
    /// PRODID.
    public static let productIdentifier = "-//sse-timeline//sse-timeline//EN"
    /// What every UID ends with.
    public static let uidDomain = "@sse-timeline"

    /// The timeline to write.
    public var config: TimelineConfig
    /// DTSTAMP of every event: when the calendar was written.
    public var dtstamp: Instant
    /// The language of SUMMARY, DESCRIPTION and LOCATION (a milestone's texts in it where it has them, written
    /// with `LANGUAGE=fr`), and of the words the export adds (the alarms' text, the precision note).
    public var localizer: Localizer
    /// Whether the milestones' texts in the other languages follow as more SUMMARY, DESCRIPTION and LOCATION
    /// lines with their LANGUAGE (`export --all-languages`). RFC 5545 allows each of them once per event:
    /// readers that follow it keep the first (the export's language), and strict validators refuse the file.
    public var alternatives: Bool

    /// An export of `config` stamped `dtstamp`, in `localizer`'s language, with the other languages' texts as
    /// LANGUAGE-tagged alternatives when `alternatives`.
    public init(config: TimelineConfig, dtstamp: Instant, localizer: Localizer = .english, alternatives: Bool = false) {
        self.config = config
        self.dtstamp = dtstamp
        self.localizer = localizer
        self.alternatives = alternatives
    }

    /// The whole VCALENDAR, CRLF line ends, folded.
    public func bytes() -> [UInt8] {
        var writer = ICalendarWriter()
        writer.begin("VCALENDAR")
        writer.line("VERSION", value: "2.0")
        writer.line("PRODID", value: Self.productIdentifier)
        writer.line("CALSCALE", value: "GREGORIAN")
        writer.line("METHOD", value: "PUBLISH")
        writer.line("X-WR-CALNAME", value: "sse-timeline")
        for timeZone in timeZones() { timeZone.write(to: &writer) }
        for milestone in config.milestones { write(milestone, to: &writer) }
        writer.end("VCALENDAR")
        return writer.bytes
    }

    /// The UID of a milestone's event.
    public static func uid(of milestone: Milestone) -> String { milestone.id + uidDomain }

    /// The UID of a reminder's alarm: the milestone id and the canonical offset, which do not change when
    /// reminders are reordered or reworded.
    public static func uid(of reminder: Reminder, in milestone: Milestone) -> String {
        let offset = String(reminder.identity.map { $0 == " " ? "-" : $0 })
        return "\(milestone.id)-\(offset)\(uidDomain)"
    }

    /// The TZID a zone is written with, or nil for UTC (written as `...Z` times without a VTIMEZONE).
    ///
    /// A fixed offset from an offset date-time (`+02:00`) becomes the tz database's `Etc/GMT-2` when it is
    /// a whole number of hours, else `UTC+05:45`; any other zone keeps its identifier.
    public static func timeZoneIdentifier(of zone: Zone) -> String? {
        guard zone.isFixed else { return zone.identifier }
        let seconds = zone.offset(at: Instant(secondsSinceEpoch: 0)).seconds
        if seconds == 0 { return nil }
        guard zone.identifier.hasPrefix("+") || zone.identifier.hasPrefix("-") else { return zone.identifier }
        if seconds % 3600 == 0, (-12...14).contains(seconds / 3600) {
            // The tz database's Etc zones have the POSIX sign: Etc/GMT-2 is two hours east of UTC.
            let hours = -seconds / 3600
            return "Etc/GMT" + (hours > 0 ? "+\(hours)" : "\(hours)")
        }
        return "UTC" + ZoneOffset(seconds: seconds, abbreviation: "").iso8601
    }

    /// One VTIMEZONE per TZID the timed milestones use, by TZID, each for the years its milestones span.
    func timeZones() -> [VTimeZone] {
        var spans: [String: (zone: Zone, years: ClosedRange<Int>)] = [:]
        for milestone in config.milestones where !milestone.isAllDay {
            guard let identifier = Self.timeZoneIdentifier(of: milestone.zone) else { continue }
            let years = Self.years(of: milestone)
            if let known = spans[identifier] {
                let lower = min(known.years.lowerBound, years.lowerBound)
                let upper = max(known.years.upperBound, years.upperBound)
                spans[identifier] = (known.zone, lower...upper)
            } else {
                spans[identifier] = (milestone.zone, years)
            }
        }
        return spans.keys.sorted().map { identifier in
            let span = spans[identifier]!
            return VTimeZone(zone: span.zone, identifier: identifier, years: span.years)
        }
    }

    /// The years a milestone's dates and reminders fall in, a year wider on each side (reminders before the
    /// start; local times near New Year in another zone).
    static func years(of milestone: Milestone) -> ClosedRange<Int> {
        var dates = [milestone.start]
        if let end = milestone.end { dates.append(end) }
        if let recurrence = milestone.recurrence {
            dates += recurrence.rdates
            dates += recurrence.exdates
            if let until = recurrence.untilLocal { dates.append(until) }
        }
        let earliestReminder = milestone.reminders.map { $0.offset.days }.min() ?? 0
        let lower = dates.map(\.date.year).min()! - 1 + min(0, earliestReminder / 366 - 1)
        let upper = dates.map(\.date.year).max()! + 1
        return max(1, lower)...min(9999, max(upper, lower))
    }

    /// A local time of `milestone` as a property value with its parameters.
    func timeValue(_ local: CivilDateTime, of milestone: Milestone) -> ([ICalendarWriter.Parameter], String) {
        if milestone.isAllDay { return ([.init("VALUE", "DATE")], ICalendarFormat.date(local.date)) }
        guard let identifier = Self.timeZoneIdentifier(of: milestone.zone) else {
            return ([], ICalendarFormat.utc(milestone.zone.instant(for: local)))
        }
        return ([.init("TZID", identifier)], ICalendarFormat.local(local))
    }

    /// A list of local times (RDATE, EXDATE) as one property value with its parameters.
    func timeList(_ times: [CivilDateTime], of milestone: Milestone) -> ([ICalendarWriter.Parameter], String) {
        let values = times.map { timeValue($0, of: milestone) }
        return (values[0].0, values.map(\.1).joined(separator: ","))
    }

    func write(_ milestone: Milestone, to writer: inout ICalendarWriter) {
        writer.begin("VEVENT")
        writer.line("UID", value: ICalendarWriter.text(Self.uid(of: milestone)))
        writer.line("DTSTAMP", value: ICalendarFormat.utc(dtstamp))
        let (startParameters, startValue) = timeValue(milestone.start, of: milestone)
        writer.line("DTSTART", startParameters, value: startValue)
        if milestone.isAllDay {
            // DTEND of an all-day event is exclusive: the day after the last day.
            let lastDay = (milestone.end ?? milestone.start).date
            writer.line("DTEND", [.init("VALUE", "DATE")], value: ICalendarFormat.date(lastDay.adding(days: 1)))
        } else if let end = milestone.end {
            let (parameters, value) = timeValue(end, of: milestone)
            writer.line("DTEND", parameters, value: value)
        }
        if let recurrence = milestone.recurrence {
            if let rule = recurrence.rule {
                writer.line(
                    "RRULE",
                    value: exportedRule(rule, untilLocal: recurrence.untilLocal, of: milestone).rfcString
                )
            }
            var rdates = recurrence.rdates
            // RFC 5545 leaves a DTSTART that the rule does not produce undefined (libical drops it, others
            // keep it); here it is always an occurrence, so it is said outright.
            if let rule = recurrence.rule,
                rule.occurrences(from: milestone.start, untilLocal: recurrence.untilLocal).first(
                    onOrAfter: milestone.start
                )
                    != milestone.start, !rdates.contains(milestone.start)
            {
                rdates = [milestone.start] + rdates
            }
            if !rdates.isEmpty {
                let (parameters, value) = timeList(rdates, of: milestone)
                writer.line("RDATE", parameters, value: value)
            }
            if !recurrence.exdates.isEmpty {
                let (parameters, value) = timeList(recurrence.exdates, of: milestone)
                writer.line("EXDATE", parameters, value: value)
            }
        }
        writeTexts(of: milestone, to: &writer)
        if let source = milestone.source { writer.line("URL", value: source) }
        if !milestone.tags.isEmpty {
            writer.line("CATEGORIES", value: milestone.tags.map(ICalendarWriter.text).joined(separator: ","))
        }
        for reminder in milestone.reminders { write(reminder, of: milestone, to: &writer) }
        writer.end("VEVENT")
    }

    /// SUMMARY, DESCRIPTION and LOCATION in the export's language (tagged `LANGUAGE=` unless English), then,
    /// with `alternatives`, the same in each other language the milestone has texts in.
    func writeTexts(of milestone: Milestone, to writer: inout ICalendarWriter) {
        let language = localizer.language
        let tag: [ICalendarWriter.Parameter] = language == "en" ? [] : [.init("LANGUAGE", language)]
        writer.line("SUMMARY", tag, value: ICalendarWriter.text(milestone.title(in: language)))
        if let description = Self.description(of: milestone, in: language, localizer) {
            writer.line("DESCRIPTION", tag, value: ICalendarWriter.text(description))
        }
        if let location = milestone.location(in: language) {
            writer.line("LOCATION", tag, value: ICalendarWriter.text(location))
        }
        guard alternatives else { return }
        for other in ["en"] + MilestoneTexts.languages where other != language {
            let texts =
                other == "en"
                ? MilestoneTexts(
                    title: milestone.title,
                    description: milestone.description,
                    location: milestone.location
                )
                : milestone.translations[other] ?? MilestoneTexts()
            let otherTag = [ICalendarWriter.Parameter("LANGUAGE", other)]
            if let title = texts.title { writer.line("SUMMARY", otherTag, value: ICalendarWriter.text(title)) }
            if let description = texts.description {
                writer.line("DESCRIPTION", otherTag, value: ICalendarWriter.text(description))
            }
            if let location = texts.location {
                writer.line("LOCATION", otherTag, value: ICalendarWriter.text(location))
            }
        }
    }

    /// The description in `language`, with the precision stated (in the localizer's words) for milestones
    /// known only to the month or the year.
    static func description(
        of milestone: Milestone,
        in language: String = "en",
        _ localizer: Localizer = .english
    ) -> String? {
        let description = milestone.translations[language]?.description ?? milestone.description
        let note: String
        switch milestone.precision {
        case .day: return description
        case .month:
            note = localizer.tr(
                "Date known to the month only: %s (shown on its first day).",
                String(milestone.start.date.description.prefix(7))
            )
        case .year:
            note = localizer.tr(
                "Date known to the year only: %s (shown on its first day).",
                String(milestone.start.date.year)
            )
        }
        return description.map { "\($0)\n\n\(note)" } ?? note
    }

    /// The rule with UNTIL in the form RFC 5545 requires beside DTSTART: a date for all-day milestones, UTC
    /// otherwise (the milestone's local bound converted in its zone).
    func exportedRule(_ rule: RecurrenceRule, untilLocal: CivilDateTime?, of milestone: Milestone) -> RecurrenceRule {
        guard rule.until != nil, let untilLocal else { return rule }
        if milestone.isAllDay { return rule.replacingUntil(.date(untilLocal.date)) }
        return rule.replacingUntil(.utc(milestone.zone.instant(for: untilLocal).utc))
    }

    func write(_ reminder: Reminder, of milestone: Milestone, to writer: inout ICalendarWriter) {
        let uid = ICalendarWriter.text(Self.uid(of: reminder, in: milestone))
        writer.begin("VALARM")
        writer.line("UID", value: uid)
        writer.line("X-WR-ALARMUID", value: uid)
        writer.line("ACTION", value: "DISPLAY")
        let reminderText = InstanceFormatting.reminderText(reminder, localizer)
        writer.line(
            "DESCRIPTION",
            value: ICalendarWriter.text("\(milestone.title(in: localizer.language)) (\(reminderText))")
        )
        if let absolute = reminder.absolute {
            writer.line("TRIGGER", [.init("VALUE", "DATE-TIME")], value: ICalendarFormat.utc(absolute))
        } else {
            let (parameters, value) = Self.trigger(
                reminder.offset,
                of: milestone,
                allDayTime: config.defaults.allDayTime
            )
            writer.line("TRIGGER", parameters, value: value)
        }
        if let acknowledged = reminder.acknowledged {
            writer.line("ACKNOWLEDGED", value: ICalendarFormat.utc(acknowledged))
        }
        // Nagging (`repeat = { every, times }`) is what REPEAT and DURATION say: the alarm again `times` more times,
        // `every` apart (RFC 5545 3.8.6.3: both or neither).
        if let repetition = milestone.delivery.applying(reminder.delivery).repetition {
            writer.line("REPEAT", value: String(repetition.times))
            writer.line("DURATION", value: ICalendarFormat.duration(days: 0, seconds: repetition.every))
        }
        writer.end("VALARM")
    }

    /// The TRIGGER of an offset: relative to DTSTART, or to DTEND (`RELATED=END`) when it counts from the end
    /// of a milestone that has one.
    ///
    /// An all-day event starts at midnight and ends at midnight after its last day, so its reminders' time of
    /// day (`all_day_time`) goes into the duration: "1 day before" at 09:00 is `-PT15H`, "30 days before" is
    /// `-P29DT15H` (29 calendar days back, then 15 hours).
    static func trigger(
        _ offset: ReminderOffset,
        of milestone: Milestone,
        allDayTime: Int
    ) -> ([ICalendarWriter.Parameter], String) {
        if milestone.isAllDay {
            // DTEND is always written for all-day events; without `end` the anchor "end" is the start day.
            let related = offset.anchor == .end
            let total = Int64(offset.days) * 86400 + Int64(allDayTime) + offset.seconds - (related ? 86400 : 0)
            let days = Int(abs(total) / 86400)
            let seconds = abs(total) % 86400
            let value = ICalendarFormat.duration(
                days: total < 0 ? -days : days,
                seconds: total < 0 ? -seconds : seconds
            )
            return (related ? [.init("RELATED", "END")] : [], value)
        }
        let related = offset.anchor == .end && milestone.end != nil
        let value: String
        if offset.days == 0 || offset.seconds == 0 || (offset.days < 0) == (offset.seconds < 0) {
            value = ICalendarFormat.duration(days: offset.days, seconds: offset.seconds)
        } else {
            value = ICalendarFormat.duration(days: 0, seconds: Int64(offset.days) * 86400 + offset.seconds)
        }
        return (related ? [.init("RELATED", "END")] : [], value)
    }
}

extension RecurrenceRule {
    /// The same rule with another UNTIL.
    func replacingUntil(_ until: Until?) -> RecurrenceRule {
        var rule = self
        rule.until = until
        return rule
    }
}
