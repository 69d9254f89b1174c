/// Reads an iCalendar file (`timeline.d/*.ics`) into milestones: one per VEVENT, one reminder per VALARM.
///
/// UID gives the id (lower-cased, other characters as `-`, the part before `@`; a short hash of the UID
/// is appended when that id is taken, so ids stay the same across reloads). SUMMARY, DESCRIPTION,
/// LOCATION, URL and CATEGORIES give title, description, location, source and tags; DTSTART, DTEND or
/// DURATION, RRULE, RDATE and EXDATE the dates, in the zone of DTSTART's TZID (a tz database name, or
/// another name whose VTIMEZONE matches a system zone); RECURRENCE-ID events move one occurrence (or, with
/// STATUS:CANCELLED, remove it). Every milestone is marked ``Milestone/Origin/iCalendar``. Every problem is
/// reported with its line and column; what is not supported (VTODO, ATTENDEE...) is skipped with one
/// warning per file.
public struct ICalendarImport: Sendable {
    /// Where TZIDs are looked up.
    public var zones: ZoneDatabase
    /// The zone of floating times and all-day events, and the reminders of events without VALARM.
    public var defaults: Defaults

    /// An importer.
    public init(zones: ZoneDatabase, defaults: Defaults) {
        self.zones = zones
        self.defaults = defaults
    }

    /// The milestones of one file and every problem found; `takenIds` are the ids already used (other files),
    /// and get this file's.
    public func read(_ source: ConfigSource, takenIds: inout Set<String>) -> (
        milestones: [Milestone], diagnostics: [Diagnostic]
    ) {
        var file = FileImport(source: source, zones: zones, defaults: defaults)
        let milestones = file.run(takenIds: &takenIds)
        return (milestones, file.diagnostics.sorted { $0.location < $1.location })
    }
}

/// The state of reading one file.
struct FileImport {
    let source: ConfigSource
    let zones: ZoneDatabase
    let defaults: Defaults
    var diagnostics: [Diagnostic] = []
    var timeZones: [String: ICalendarComponent] = [:]
    var zoneCache: [String: Zone?] = [:]
    var skippedComponents: [String: Int] = [:]
    var skippedProperties: [String: Int] = [:]

    /// Properties read, or ignored on purpose (bookkeeping that means nothing for a reminder).
    static let eventProperties: Set<String> = [
        "UID", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "CATEGORIES", "DTSTART", "DTEND", "DURATION", "RRULE",
        "RDATE", "EXDATE", "RECURRENCE-ID", "STATUS", "DTSTAMP", "CREATED", "LAST-MODIFIED", "SEQUENCE", "TRANSP",
        "CLASS", "PRIORITY",
    ]
    static let alarmProperties: Set<String> = [
        "ACTION", "TRIGGER", "DESCRIPTION", "SUMMARY", "UID", "ACKNOWLEDGED", "RELATED-TO",
    ]

    mutating func report(
        _ severity: Diagnostic.Severity,
        _ line: Int,
        _ column: Int,
        key: String,
        value: String? = nil,
        _ message: String,
        hint: String? = nil
    ) {
        diagnostics.append(
            Diagnostic(
                severity,
                at: SourceLocation(file: source.name, line: line, column: column),
                key: key,
                value: value,
                message: message,
                hint: hint
            )
        )
    }

    /// Reports a problem with a property's value.
    mutating func report(
        _ severity: Diagnostic.Severity,
        _ property: ContentLine,
        _ message: String,
        hint: String? = nil
    ) {
        report(
            severity,
            property.valueLine,
            property.valueColumn,
            key: property.name,
            value: property.value,
            message,
            hint: hint
        )
    }

    mutating func run(takenIds: inout Set<String>) -> [Milestone] {
        if let bad = firstInvalidUTF8Offset(source.bytes) {
            report(.error, 1, 1, key: "", "invalid UTF-8 (byte offset \(bad))", hint: "save the file as UTF-8")
            return []
        }
        let parser = ICalendarParser(String(decoding: source.bytes, as: UTF8.self))
        for problem in parser.problems {
            report(.error, problem.line, problem.column, key: "", problem.message)
        }
        let calendars = parser.components.filter { $0.name == "VCALENDAR" }
        if calendars.isEmpty {
            report(.error, 1, 1, key: "", "no BEGIN:VCALENDAR: not an iCalendar file", hint: "see RFC 5545")
            return []
        }
        for other in parser.components where other.name != "VCALENDAR" {
            skippedComponents[other.name, default: 0] += 1
        }
        var events: [ICalendarComponent] = []
        for calendar in calendars {
            for component in calendar.components {
                switch component.name {
                case "VEVENT": events.append(component)
                case "VTIMEZONE":
                    if let tzid = component.property("TZID") { timeZones[tzid.value] = component }
                default: skippedComponents[component.name, default: 0] += 1
                }
            }
        }
        // Masters first, in file order; then the overrides of each UID.
        var masters: [ICalendarComponent] = []
        var overrides: [String: [ICalendarComponent]] = [:]
        var masterLine: [String: Int] = [:]
        for event in events {
            let uid = event.property("UID").map { ICalendarValue.text($0.value) } ?? ""
            if event.property("RECURRENCE-ID") != nil {
                overrides[uid, default: []].append(event)
            } else if !uid.isEmpty, let first = masterLine[uid] {
                let property = event.property("UID")!
                report(
                    .error,
                    property,
                    "duplicate UID, first at \(source.name):\(first)",
                    hint: "each event needs its own UID"
                )
            } else {
                masterLine[uid] = event.line
                masters.append(event)
            }
        }
        var milestones: [Milestone] = []
        for master in masters {
            let uid = master.property("UID").map { ICalendarValue.text($0.value) } ?? ""
            milestones += importEvent(master, overrides: overrides.removeValue(forKey: uid) ?? [], takenIds: &takenIds)
        }
        for (_, orphans) in overrides {
            for orphan in orphans {
                let property = orphan.property("RECURRENCE-ID")!
                report(.warning, property, "RECURRENCE-ID of an event whose UID has no main event; skipped")
            }
        }
        summarizeSkipped()
        return milestones
    }

    mutating func summarizeSkipped() {
        guard !skippedComponents.isEmpty || !skippedProperties.isEmpty else { return }
        var parts: [String] = []
        if !skippedComponents.isEmpty {
            parts.append(
                "components "
                    + skippedComponents.keys.sorted().map { "\($0) (\(skippedComponents[$0]!))" }.joined(
                        separator: ", "
                    )
            )
        }
        if !skippedProperties.isEmpty {
            parts.append(
                "properties "
                    + skippedProperties.keys.sorted().map { "\($0) (\(skippedProperties[$0]!))" }.joined(
                        separator: ", "
                    )
            )
        }
        report(
            .warning,
            1,
            1,
            key: "",
            "skipped what a reminder has no use for: " + parts.joined(separator: "; "),
            hint: "only VEVENT with its dates, texts and VALARMs become milestones"
        )
    }

    // MARK: Events

    /// The milestones of one event: the master, and one per moved occurrence.
    mutating func importEvent(
        _ event: ICalendarComponent,
        overrides: [ICalendarComponent],
        takenIds: inout Set<String>
    ) -> [Milestone] {
        for property in event.properties
        where !Self.eventProperties.contains(property.name) && !property.name.hasPrefix("X-") {
            skippedProperties[property.name, default: 0] += 1
        }
        let uidProperty = event.property("UID")
        let uid = uidProperty.map { ICalendarValue.text($0.value) } ?? ""
        if uidProperty == nil {
            report(
                .warning,
                event.line,
                1,
                key: "VEVENT",
                "no UID; the id is made from SUMMARY and DTSTART",
                hint: "RFC 5545 requires a UID"
            )
        }
        if event.property("STATUS")?.value.uppercased() == "CANCELLED" {
            return []
        }
        guard var milestone = decodeEvent(event, fallbackTitle: nil) else { return [] }
        let base =
            uid.isEmpty ? Self.slug(milestone.title + "-" + milestone.start.date.basicDescription) : Self.slug(uid)
        milestone.id = Self.uniqueId(base, uid: uid.isEmpty ? milestone.title : uid, takenIds: &takenIds)
        var result: [Milestone] = []
        var exdates: [CivilDateTime] = []
        for override in overrides {
            let ridProperty = override.property("RECURRENCE-ID")!
            guard let rid = time(ridProperty, in: milestone, allDay: milestone.isAllDay) else { continue }
            if ridProperty.parameter("RANGE")?.uppercased() == "THISANDFUTURE" {
                report(.warning, ridProperty, "RANGE=THISANDFUTURE is not supported; only this occurrence is changed")
            }
            exdates.append(rid)
            if override.property("STATUS")?.value.uppercased() == "CANCELLED" { continue }
            guard var moved = decodeEvent(override, fallbackTitle: milestone.title) else { continue }
            moved.recurrence = nil
            if moved.reminders == defaults.reminders, override.components.isEmpty {
                moved.reminders = milestone.reminders
            }
            moved.id = Self.uniqueId(
                milestone.id + "-" + Self.slug(rid.date.basicDescription),
                uid: uid + ridProperty.value,
                takenIds: &takenIds
            )
            result.append(moved)
        }
        if !exdates.isEmpty {
            var recurrence =
                milestone.recurrence
                ?? Recurrence(rule: nil, ruleText: nil, untilLocal: nil, rdates: [], exdates: [])
            recurrence.exdates = (recurrence.exdates + exdates).sorted()
            milestone.recurrence = recurrence
        }
        return [milestone] + result
    }

    /// One VEVENT as a milestone (id not yet set); nil when it has errors (reported).
    mutating func decodeEvent(_ event: ICalendarComponent, fallbackTitle: String?) -> Milestone? {
        let errorsBefore = diagnostics.count { $0.severity == .error }
        guard let startProperty = event.property("DTSTART") else {
            report(.error, event.line, 1, key: "VEVENT", "no DTSTART", hint: "an event needs a start to be reminded of")
            return nil
        }
        guard let (startValue, startZone) = timeAndZone(startProperty) else { return nil }
        let isAllDay = startValue.isDate
        let zone = startZone ?? defaults.zone
        let start: CivilDateTime
        switch startValue {
        case .date(let date): start = CivilDateTime(date: date, secondOfDay: 0)
        case .local(let local): start = local
        case .utc(let utc): start = zone.localTime(at: Instant(secondsSinceEpoch: utc.secondsSinceEpoch))
        }
        var milestone = Milestone(
            id: "",
            title: fallbackTitle ?? "",
            start: start,
            isAllDay: isAllDay,
            zone: zone,
            reminders: defaults.reminders,
            priority: defaults.priority,
            origin: .iCalendar
        )
        if let summary = event.property("SUMMARY") {
            milestone.title = ICalendarValue.text(summary.value).trimmingSpaces()
        }
        if milestone.title.isEmpty {
            milestone.title = "(untitled event)"
            report(.warning, event.line, 1, key: "VEVENT", "no SUMMARY; titled \"(untitled event)\"")
        }
        milestone.description = event.property("DESCRIPTION").map { ICalendarValue.text($0.value) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        milestone.location = event.property("LOCATION").map { ICalendarValue.text($0.value) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        if let url = event.property("URL") {
            let text = url.value.trimmingSpaces()
            if MilestoneDecoder.isURL(text) {
                milestone.source = text
            } else {
                report(
                    .warning,
                    url,
                    "not an http(s) URL; left out",
                    hint: "source takes http:// or https:// addresses"
                )
            }
        }
        milestone.tags = event.properties("CATEGORIES").flatMap { ICalendarValue.textList($0.value) }
        if let endProperty = event.property("DTEND") {
            milestone.end = end(endProperty, milestone: milestone)
        } else if let durationProperty = event.property("DURATION") {
            if let duration = ICalendarValue.duration(durationProperty.value), duration.days >= 0, duration.seconds >= 0
            {
                if isAllDay {
                    let days = duration.days + Int(duration.seconds / 86400)
                    if days > 1 {
                        milestone.end = CivilDateTime(date: start.date.adding(days: days - 1), secondOfDay: 0)
                    }
                } else if duration.days > 0 || duration.seconds > 0 {
                    let day = CivilDateTime(
                        date: start.date.adding(days: duration.days),
                        secondOfDay: start.secondOfDay
                    )
                    milestone.end = zone.localTime(at: zone.instant(for: day).adding(seconds: duration.seconds))
                }
            } else {
                report(.error, durationProperty, "not a positive duration", hint: "e.g. PT1H, P2D, P1W")
            }
        }
        milestone.recurrence = recurrence(event, milestone: milestone)
        let alarms = event.components.filter { $0.name == "VALARM" }
        if !alarms.isEmpty {
            var reminders: [Reminder] = []
            for alarm in alarms {
                guard let reminder = self.reminder(alarm, milestone: milestone) else { continue }
                if !reminders.contains(where: { $0.identity == reminder.identity }) { reminders.append(reminder) }
            }
            milestone.reminders = reminders
        }
        for component in event.components where component.name != "VALARM" {
            skippedComponents[component.name, default: 0] += 1
        }
        guard diagnostics.count(where: { $0.severity == .error }) == errorsBefore else { return nil }
        return milestone
    }

    /// DTEND as the milestone's `end`: for all-day events the last day (DTEND is exclusive).
    mutating func end(_ property: ContentLine, milestone: Milestone) -> CivilDateTime? {
        guard let end = time(property, in: milestone, allDay: milestone.isAllDay) else { return nil }
        if milestone.isAllDay {
            let lastDay = end.date.adding(days: -1)
            if lastDay < milestone.start.date {
                if end.date < milestone.start.date { report(.error, property, "DTEND is before DTSTART") }
                return nil
            }
            return lastDay == milestone.start.date ? nil : CivilDateTime(date: lastDay, secondOfDay: 0)
        }
        if milestone.zone.instant(for: end) < milestone.zone.instant(for: milestone.start) {
            report(.error, property, "DTEND is before DTSTART")
            return nil
        }
        return end == milestone.start ? nil : end
    }

    // MARK: Times and zones

    /// A DATE or DATE-TIME property with the zone of its TZID (UTC for `Z`, nil when floating or a date).
    mutating func timeAndZone(_ property: ContentLine) -> (ICalendarValue.Time, Zone?)? {
        let raw = property.value.split(separator: ",").first.map(String.init) ?? ""
        guard let value = ICalendarValue.time(raw.split(separator: "/").first.map(String.init) ?? raw) else {
            report(
                .error,
                property,
                "not a date or date-time",
                hint: "accepted: 20270607 (VALUE=DATE), 20270607T090000 with TZID=..., or 20270607T070000Z"
            )
            return nil
        }
        if property.parameter("VALUE")?.uppercased() == "DATE", !value.isDate {
            report(.error, property, "VALUE=DATE with a date-time")
            return nil
        }
        switch value {
        case .date: return (value, nil)
        case .utc: return (value, .utc)
        case .local:
            guard let tzid = property.parameter("TZID") else { return (value, nil) }
            guard let zone = zone(tzid, at: property) else { return nil }
            return (value, zone)
        }
    }

    /// A time property converted to the milestone's local time (a date for all-day milestones).
    mutating func time(_ property: ContentLine, in milestone: Milestone, allDay: Bool) -> CivilDateTime? {
        guard let (value, zone) = timeAndZone(property) else { return nil }
        return convert(value, zone: zone, to: milestone, allDay: allDay)
    }

    func convert(_ value: ICalendarValue.Time, zone: Zone?, to milestone: Milestone, allDay: Bool) -> CivilDateTime {
        var local: CivilDateTime
        switch value {
        case .date(let date): local = CivilDateTime(date: date, secondOfDay: allDay ? 0 : milestone.start.secondOfDay)
        case .local(let time):
            if let zone, zone != milestone.zone {
                local = milestone.zone.localTime(at: zone.instant(for: time))
            } else {
                local = time
            }
        case .utc(let time): local = milestone.zone.localTime(at: Instant(secondsSinceEpoch: time.secondsSinceEpoch))
        }
        if allDay { local = CivilDateTime(date: local.date, secondOfDay: 0) }
        return local
    }

    /// The zone a TZID names: a tz database name as such (also at the end of a path such as
    /// `/mozilla.org/20050126_1/Europe/Berlin`), else the system zone that the file's VTIMEZONE matches.
    mutating func zone(_ tzid: String, at property: ContentLine) -> Zone? {
        if let cached = zoneCache[tzid] { return cached }
        var found: Zone?
        if let zone = try? zones.zone(tzid) {
            found = zone
        } else {
            let parts = tzid.split(separator: "/")
            for count in [3, 2] where parts.count > count {
                if let zone = try? zones.zone(parts.suffix(count).joined(separator: "/")) {
                    found = zone
                    break
                }
            }
        }
        func reportTZID(_ severity: Diagnostic.Severity, _ message: String, hint: String? = nil) {
            report(severity, property.line, property.column, key: "TZID", value: tzid, message, hint: hint)
        }
        if found == nil, let component = timeZones[tzid] {
            let definition = VTimeZone(component: component)
            let years = yearsUsing(tzid)
            found = VTimeZoneMatcher(zones: zones).match(definition, years: years)
            if let zone = found {
                reportTZID(
                    .warning,
                    "not a tz database name; its VTIMEZONE gives the offsets of \(zone.identifier) in \(years.lowerBound)-\(years.upperBound), which is used"
                )
            } else {
                reportTZID(
                    .error,
                    "its VTIMEZONE matches no zone of the system's tzdata in \(years.lowerBound)-\(years.upperBound)",
                    hint: "use a tz database name such as Europe/Paris"
                )
            }
        } else if found == nil {
            reportTZID(
                .error,
                "unknown time zone, and the file has no VTIMEZONE for it",
                hint: zones.suggestions(for: tzid).first.map { "did you mean \"\($0)\"?" }
                    ?? "use a tz database name such as Europe/Paris"
            )
        }
        zoneCache[tzid] = found
        return found
    }

    /// The years of the times written with `tzid` in the file, and five more when a rule repeats them.
    func yearsUsing(_ tzid: String) -> ClosedRange<Int> {
        var years: [Int] = []
        var repeats = false
        for component in timeZones.isEmpty ? [] : allEvents() {
            for property in component.properties where property.parameter("TZID") == tzid {
                for value in property.value.split(separator: ",") {
                    if let year = Int(value.prefix(4)) { years.append(year) }
                }
            }
            if component.property("RRULE") != nil, component.property("DTSTART")?.parameter("TZID") == tzid {
                repeats = true
            }
        }
        let lower = max(1, (years.min() ?? 2000) - 1)
        let upper = min(9999, (years.max() ?? 2000) + (repeats ? 5 : 1))
        return lower...max(lower, upper)
    }

    func allEvents() -> [ICalendarComponent] {
        let parser = ICalendarParser(String(decoding: source.bytes, as: UTF8.self))
        return parser.components.flatMap { $0.components.filter { $0.name == "VEVENT" } }
    }

    // MARK: Recurrence

    mutating func recurrence(_ event: ICalendarComponent, milestone: Milestone) -> Recurrence? {
        let rules = event.properties("RRULE")
        var rule: RecurrenceRule?
        var ruleText: String?
        if rules.count > 1 {
            report(.warning, rules[1], "more than one RRULE (deprecated in RFC 5545); only the first is used")
        }
        if let property = rules.first {
            do {
                var parsed = try RecurrenceRule(parsing: property.value)
                if milestone.isAllDay, !(parsed.byHour.isEmpty && parsed.byMinute.isEmpty && parsed.bySecond.isEmpty) {
                    report(
                        .warning,
                        property,
                        "BYHOUR, BYMINUTE and BYSECOND are ignored: DTSTART is a date (RFC 5545 section 3.3.10)"
                    )
                    parsed = parsed.withoutTimeOfDayParts()
                }
                if milestone.isAllDay, case .utc(let until)? = parsed.until {
                    parsed = parsed.replacingUntil(
                        .date(milestone.zone.localTime(at: Instant(secondsSinceEpoch: until.secondsSinceEpoch)).date)
                    )
                }
                for warning in Self.readingWarnings(parsed) { report(.warning, property, warning.0, hint: warning.1) }
                rule = parsed
                ruleText = parsed.rfcString
            } catch {
                for issue in error.errors {
                    report(
                        .error,
                        property.valueLine,
                        property.valueColumn + issue.offset,
                        key: "RRULE",
                        value: issue.value.isEmpty ? property.value : issue.value,
                        (issue.part.isEmpty ? "" : issue.part + ": ") + issue.message
                    )
                }
                return nil
            }
        }
        var rdates: [CivilDateTime] = []
        for property in event.properties("RDATE") {
            rdates += timeList(property, milestone: milestone)
        }
        var exdates: [CivilDateTime] = []
        for property in event.properties("EXDATE") {
            exdates += timeList(property, milestone: milestone)
        }
        guard rule != nil || !rdates.isEmpty || !exdates.isEmpty else { return nil }
        let untilLocal = rule.flatMap { ReminderMath.untilLocal($0, zone: milestone.zone) }
        if let rule, let reason = rule.neverOccursReason(from: milestone.start, untilLocal: untilLocal) {
            report(.warning, rules[0], reason)
        }
        return Recurrence(
            rule: rule,
            ruleText: ruleText,
            untilLocal: untilLocal,
            rdates: Array(Set(rdates)).sorted(),
            exdates: Array(Set(exdates)).sorted()
        )
    }

    /// Where libical and python-dateutil read a rule differently: the reading followed, and why it matters.
    static func readingWarnings(_ rule: RecurrenceRule) -> [(String, String)] {
        var warnings: [(String, String)] = []
        if !rule.byWeekNumber.isEmpty, rule.byDay.isEmpty {
            warnings.append(
                (
                    "BYWEEKNO without BYDAY: read as every day of those weeks (as python-dateutil; libical takes only DTSTART's weekday)",
                    "add BYDAY to say which days"
                )
            )
        }
        if rule.frequency == .yearly, !rule.byMonthDay.isEmpty, rule.byMonth.isEmpty, rule.byWeekNumber.isEmpty,
            rule.byYearDay.isEmpty
        {
            warnings.append(
                (
                    "YEARLY with BYMONTHDAY but no BYMONTH: read as those days of every month (as python-dateutil; libical takes only DTSTART's month)",
                    "add BYMONTH to say which months"
                )
            )
        }
        return warnings
    }

    /// The times of an RDATE or EXDATE (a comma-separated list; a PERIOD's start).
    mutating func timeList(_ property: ContentLine, milestone: Milestone) -> [CivilDateTime] {
        var result: [CivilDateTime] = []
        var zone: Zone?
        if let tzid = property.parameter("TZID") {
            guard let found = self.zone(tzid, at: property) else { return [] }
            zone = found
        }
        for raw in property.value.split(separator: ",") {
            let text = raw.split(separator: "/").first.map(String.init) ?? ""
            guard let value = ICalendarValue.time(text) else {
                report(
                    .error,
                    property,
                    "not a date or date-time: \"\(raw)\"",
                    hint: "e.g. 20270607 or 20270607T090000"
                )
                continue
            }
            let valueZone: Zone? = if case .utc = value { .utc } else { zone }
            result.append(convert(value, zone: valueZone, to: milestone, allDay: milestone.isAllDay))
        }
        return result
    }

    // MARK: Alarms

    mutating func reminder(_ alarm: ICalendarComponent, milestone: Milestone) -> Reminder? {
        for property in alarm.properties
        where !Self.alarmProperties.contains(property.name) && !property.name.hasPrefix("X-") {
            skippedProperties["VALARM " + property.name, default: 0] += 1
        }
        guard let trigger = alarm.property("TRIGGER") else {
            report(.error, alarm.line, 1, key: "VALARM", "no TRIGGER", hint: "e.g. TRIGGER:-PT15M")
            return nil
        }
        var reminder: Reminder
        if trigger.parameter("VALUE")?.uppercased() == "DATE-TIME" || ICalendarValue.time(trigger.value) != nil {
            guard let value = ICalendarValue.time(trigger.value), !value.isDate else {
                report(.error, trigger, "not a date-time", hint: "an absolute TRIGGER is a UTC time: 20270501T090000Z")
                return nil
            }
            let instant: Instant
            switch value {
            case .utc(let time): instant = Instant(secondsSinceEpoch: time.secondsSinceEpoch)
            case .local(let time): instant = milestone.zone.instant(for: time)
            case .date: return nil
            }
            reminder = Reminder(absolute: instant)
        } else {
            guard let duration = ICalendarValue.duration(trigger.value) else {
                report(
                    .error,
                    trigger,
                    "not a duration",
                    hint: "e.g. -PT15M, -P1D, PT0S, or VALUE=DATE-TIME:20270501T090000Z"
                )
                return nil
            }
            let anchor: ReminderOffset.Anchor = trigger.parameter("RELATED")?.uppercased() == "END" ? .end : .start
            reminder = Reminder(
                offset: Self.offset(duration, anchor: anchor, milestone: milestone, allDayTime: defaults.allDayTime)
            )
        }
        if let acknowledged = alarm.property("ACKNOWLEDGED") {
            if case .utc(let time)? = ICalendarValue.time(acknowledged.value) {
                reminder.acknowledged = Instant(secondsSinceEpoch: time.secondsSinceEpoch)
            } else {
                report(.warning, acknowledged, "not a UTC date-time; ignored", hint: "e.g. 20270501T090000Z")
            }
        }
        return reminder
    }

    /// A TRIGGER duration as an offset. An all-day event starts and ends at midnight while its reminders
    /// count from `all_day_time` on the first or last day, so that time of day comes off (`-PT15H` with
    /// 09:00 is "1 day before"); the end is DTEND, the midnight after the last day.
    static func offset(
        _ duration: (days: Int, seconds: Int64),
        anchor: ReminderOffset.Anchor,
        milestone: Milestone,
        allDayTime: Int
    ) -> ReminderOffset {
        guard milestone.isAllDay else {
            if duration.days != 0, duration.seconds != 0, (duration.days < 0) != (duration.seconds < 0) {
                return ReminderOffset(anchor: anchor, seconds: Int64(duration.days) * 86400 + duration.seconds)
            }
            return ReminderOffset(anchor: anchor, days: duration.days, seconds: duration.seconds)
        }
        let total =
            Int64(duration.days) * 86400 + duration.seconds - Int64(allDayTime) + (anchor == .end ? 86400 : 0)
        let days = total / 86400
        return ReminderOffset(anchor: anchor, days: Int(days), seconds: total - days * 86400)
    }

    // MARK: Ids

    /// `[a-z0-9-]` from a UID: its part before `@`, lower-cased, other characters as `-`, at most 80.
    static func slug(_ uid: String) -> String {
        let local = uid.split(separator: "@").first.map(String.init) ?? uid
        var result = ""
        for scalar in local.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else if !result.isEmpty, result.last != "-" {
                result.append("-")
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        if result.count > 80 { result = String(result.prefix(80)) }
        while result.hasSuffix("-") { result.removeLast() }
        return result.isEmpty ? "event" : result
    }

    /// `base`, or `base-<8 hex digits of a hash of uid>` when taken, or that with `-2`, `-3`...
    static func uniqueId(_ base: String, uid: String, takenIds: inout Set<String>) -> String {
        var id = base
        if takenIds.contains(id) {
            var hash: UInt32 = 2_166_136_261
            for byte in uid.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
            let hex = String(hash, radix: 16)
            id = base + "-" + String(repeating: "0", count: 8 - hex.count) + hex
            var n = 2
            let hashed = id
            while takenIds.contains(id) {
                id = "\(hashed)-\(n)"
                n += 1
            }
        }
        takenIds.insert(id)
        return id
    }
}

extension RecurrenceRule {
    /// The same rule without BYHOUR, BYMINUTE and BYSECOND.
    func withoutTimeOfDayParts() -> RecurrenceRule {
        var rule = self
        (rule.byHour, rule.byMinute, rule.bySecond) = ([], [], [])
        return rule
    }
}
