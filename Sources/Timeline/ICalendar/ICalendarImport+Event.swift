/// One VEVENT, with its moved occurrences and its VALARMs, as milestones.
extension FileImport {
    /// The milestones of one event: the master, and one per moved occurrence.
    mutating func importEvent(
        _ event: ICalendarComponent,
        overrides: [ICalendarComponent],
        takenIds: inout Set<String>
    ) -> [Milestone] {
        for property in event.properties
        where !Self.eventProperties.contains(property.name) && !property.name.hasPrefix("X-")
            && !(event.name == "VTODO" && Self.taskProperties.contains(property.name))
        {
            skippedProperties[property.name, default: 0] += 1
        }
        let uidProperty = event.property("UID")
        let uid = uidProperty.map { ICalendarValue.text($0.value) } ?? ""
        if uidProperty == nil {
            report(
                .warning,
                event.line,
                1,
                key: event.name,
                .tr("no UID; the id is made from SUMMARY and DTSTART"),
                hint: .tr("RFC 5545 requires a UID")
            )
        }
        if event.property("STATUS")?.value.uppercased() == "CANCELLED" {
            return []
        }
        guard var milestone = decodeEvent(event, fallbackTitle: nil) else { return [] }
        let base =
            uid.isEmpty ? Self.slug(milestone.title + "-" + milestone.start.date.basicDescription) : Self.slug(uid)
        milestone.id = Self.uniqueId(base, uid: uid.isEmpty ? milestone.title : uid, takenIds: &takenIds)
        componentOf[milestone.id] = ICalendarImport.Item(milestoneID: milestone.id, uid: uid, recurrenceID: nil)
        var result: [Milestone] = []
        var exdates: [CivilDateTime] = []
        for override in overrides {
            // An override that cannot be read is skipped: the occurrence it would move stays where it was.
            let read = skippingIfUnreadable(override) { file -> (CivilDateTime, Milestone?)? in
                let ridProperty = override.property("RECURRENCE-ID")!
                guard let rid = file.time(ridProperty, in: milestone, allDay: milestone.isAllDay) else { return nil }
                if ridProperty.parameter("RANGE")?.uppercased() == "THISANDFUTURE" {
                    file.report(
                        .warning,
                        ridProperty,
                        .tr("RANGE=THISANDFUTURE is not supported; only this occurrence is changed")
                    )
                }
                if override.property("STATUS")?.value.uppercased() == "CANCELLED" { return (rid, nil) }
                guard var moved = file.decodeEvent(override, fallbackTitle: milestone.title) else { return nil }
                moved.recurrence = nil
                if moved.reminders == file.defaults.reminders, override.components.isEmpty {
                    moved.reminders = milestone.reminders
                }
                moved.id = Self.uniqueId(
                    milestone.id + "-" + Self.slug(rid.date.basicDescription),
                    uid: uid + ridProperty.value,
                    takenIds: &takenIds
                )
                // Its reminders are its own VALARMs, or the series' when it has none.
                let hasAlarms = override.components.contains { $0.name == "VALARM" }
                file.componentOf[moved.id] = ICalendarImport.Item(
                    milestoneID: moved.id,
                    uid: uid,
                    recurrenceID: hasAlarms ? ridProperty.value : nil
                )
                return (rid, moved)
            }
            guard let (rid, moved) = read else { continue }
            exdates.append(rid)
            if let moved { result.append(moved) }
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

    /// An override whose series is not in the file (an invitation to one occurrence, as Google exports it): an
    /// event of its own, with the id its occurrence would have had (the UID's, then RECURRENCE-ID's date).
    mutating func importOrphan(_ event: ICalendarComponent, takenIds: inout Set<String>) -> Milestone? {
        let ridProperty = event.property("RECURRENCE-ID")!
        guard let (rid, _) = timeAndZone(ridProperty),
            event.property("STATUS")?.value.uppercased() != "CANCELLED",
            var milestone = decodeEvent(event, fallbackTitle: nil)
        else { return nil }
        let uid = event.property("UID").map { ICalendarValue.text($0.value) } ?? ""
        let day: CivilDate
        switch rid {
        case .date(let date): day = date
        case .local(let time), .utc(let time): day = time.date
        }
        milestone.id = Self.uniqueId(
            Self.slug(uid) + "-" + Self.slug(day.basicDescription),
            uid: uid + ridProperty.value,
            takenIds: &takenIds
        )
        componentOf[milestone.id] = ICalendarImport.Item(
            milestoneID: milestone.id,
            uid: uid,
            recurrenceID: ridProperty.value
        )
        return milestone
    }

    /// One VEVENT as a milestone (id not yet set); nil when it has errors (reported).
    mutating func decodeEvent(_ event: ICalendarComponent, fallbackTitle: String?) -> Milestone? {
        // Only this event's own diagnostics are looked at again: counting the whole file's would make reading a
        // large export quadratic.
        let firstOwn = diagnostics.count
        let isTask = event.name == "VTODO"
        guard let startProperty = event.property(isTask ? "DUE" : "DTSTART") else {
            report(
                .error,
                event.line,
                1,
                key: "VEVENT",
                .tr("no DTSTART"),
                hint: .tr("an event needs a start to be reminded of")
            )
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
        let summary = LanguageTexts(event.properties("SUMMARY")) { ICalendarValue.text($0).trimmingSpaces() }
        let description = LanguageTexts(event.properties("DESCRIPTION")) { ICalendarValue.text($0) }
        let location = LanguageTexts(event.properties("LOCATION")) { ICalendarValue.text($0) }
        if let title = summary.untranslated { milestone.title = title }
        if milestone.title.isEmpty {
            let untitled = isTask ? "(untitled task)" : "(untitled event)"
            milestone.title = untitled
            report(.warning, event.line, 1, key: event.name, .tr("no SUMMARY; titled \"%s\"", untitled))
        }
        milestone.description = description.untranslated
        milestone.location = location.untranslated
        for language in MilestoneTexts.languages {
            let texts = MilestoneTexts(
                title: summary.byLanguage[language],
                description: description.byLanguage[language],
                location: location.byLanguage[language]
            )
            if texts != MilestoneTexts() { milestone.translations[language] = texts }
        }
        if let url = event.property("URL") {
            let text = url.value.trimmingSpaces()
            if MilestoneDecoder.isURL(text) {
                milestone.source = text
            } else {
                report(
                    .warning,
                    url,
                    .tr("not an http(s) URL; left out"),
                    hint: .tr("source takes http:// or https:// addresses")
                )
            }
        }
        milestone.tags = event.properties("CATEGORIES").flatMap { ICalendarValue.textList($0.value) }
        if isTask {
            // A task's DUE is its one instant; its DTSTART and DURATION say when work on it begins.
        } else if let endProperty = event.property("DTEND") {
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
                report(.error, durationProperty, .tr("not a positive duration"), hint: .tr("e.g. %s", "PT1H, P2D, P1W"))
            }
        }
        milestone.recurrence = recurrence(event, milestone: milestone)
        let alarms = event.components.filter { $0.name == "VALARM" }
        var reminders: [Reminder] = []
        for (index, alarm) in alarms.enumerated() {
            // A snooze alarm (RFC 9074) rings on the device that snoozed; here a snooze is the daemon's own
            // follow-up, so one written back by it does not ring a second time.
            if alarm.properties("RELATED-TO").contains(where: { $0.parameter("RELTYPE")?.uppercased() == "SNOOZE" }) {
                continue
            }
            // An alarm that cannot be read is skipped alone; when none can, the defaults remind of the event.
            let read = skippingIfUnreadable(alarm) { $0.reminder(alarm, milestone: milestone) }
            guard var reminder = read else { continue }
            reminder.alarmIndex = index
            if let same = reminders.firstIndex(where: { $0.identity == reminder.identity }) {
                // A DISPLAY and an EMAIL alarm at one time are one reminder that also mails.
                if reminders[same].delivery == nil { reminders[same].delivery = reminder.delivery }
            } else {
                reminders.append(reminder)
            }
        }
        if !reminders.isEmpty { milestone.reminders = reminders }
        for component in event.components where component.name != "VALARM" {
            skippedComponents[component.name, default: 0] += 1
        }
        guard !diagnostics[firstOwn...].contains(where: { $0.severity == .error }) else { return nil }
        return milestone
    }

    /// DTEND as the milestone's `end`: for all-day events the last day (DTEND is exclusive).
    mutating func end(_ property: ContentLine, milestone: Milestone) -> CivilDateTime? {
        guard let end = time(property, in: milestone, allDay: milestone.isAllDay) else { return nil }
        if milestone.isAllDay {
            let lastDay = end.date.adding(days: -1)
            if lastDay < milestone.start.date {
                if end.date < milestone.start.date { report(.error, property, .tr("DTEND is before DTSTART")) }
                return nil
            }
            return lastDay == milestone.start.date ? nil : CivilDateTime(date: lastDay, secondOfDay: 0)
        }
        if milestone.zone.instant(for: end) < milestone.zone.instant(for: milestone.start) {
            report(.error, property, .tr("DTEND is before DTSTART"))
            return nil
        }
        return end == milestone.start ? nil : end
    }

    // MARK: Alarms

    mutating func reminder(_ alarm: ICalendarComponent, milestone: Milestone) -> Reminder? {
        for property in alarm.properties
        where !Self.alarmProperties.contains(property.name) && !property.name.hasPrefix("X-") {
            skippedProperties["VALARM " + property.name, default: 0] += 1
        }
        guard let trigger = alarm.property("TRIGGER") else {
            report(.error, alarm.line, 1, key: "VALARM", .tr("no TRIGGER"), hint: .tr("e.g. %s", "TRIGGER:-PT15M"))
            return nil
        }
        var reminder: Reminder
        if trigger.parameter("VALUE")?.uppercased() == "DATE-TIME" || ICalendarValue.time(trigger.value) != nil {
            guard let value = ICalendarValue.time(trigger.value), !value.isDate else {
                report(
                    .error,
                    trigger,
                    .tr("not a date-time"),
                    hint: .tr("an absolute TRIGGER is a UTC time: %s", "20270501T090000Z")
                )
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
                    .tr("not a duration"),
                    hint: .tr("e.g. %s, or %s", "-PT15M, -P1D, PT0S", "VALUE=DATE-TIME:20270501T090000Z")
                )
                return nil
            }
            let anchor: ReminderOffset.Anchor = trigger.parameter("RELATED")?.uppercased() == "END" ? .end : .start
            reminder = Reminder(
                offset: Self.offset(duration, anchor: anchor, milestone: milestone, allDayTime: defaults.allDayTime)
            )
        }
        if alarm.property("ACTION")?.value.uppercased() == "EMAIL" {
            let allowed = mailRecipients(alarm)
            if !allowed.isEmpty { reminder.delivery = DeliveryOverride(mailTo: allowed) }
        }
        if let acknowledged = alarm.property("ACKNOWLEDGED") {
            if case .utc(let time)? = ICalendarValue.time(acknowledged.value) {
                reminder.acknowledged = Instant(secondsSinceEpoch: time.secondsSinceEpoch)
            } else {
                report(
                    .warning,
                    acknowledged,
                    .tr("not a UTC date-time; ignored"),
                    hint: .tr("e.g. %s", "20270501T090000Z")
                )
            }
        }
        return reminder
    }

    /// The `mailto:` addresses of an `ACTION:EMAIL` alarm's ATTENDEEs that `mail_allow` allows; each other one is
    /// warned of where it stands, and not mailed: a calendar someone else writes must not choose whom this host
    /// mails.
    mutating func mailRecipients(_ alarm: ICalendarComponent) -> [String] {
        var allowed: [String] = []
        for attendee in alarm.properties where attendee.name == "ATTENDEE" {
            let value = attendee.value
            guard value.lowercased().hasPrefix("mailto:") else {
                report(
                    .warning,
                    attendee,
                    .tr("not a mailto: address; not mailed"),
                    hint: .tr("e.g. %s", "mailto:board@example.org")
                )
                continue
            }
            let address = String(value.dropFirst(7))
            guard FieldReader.addressProblem(address) == nil, !address.contains("<") else {
                report(
                    .warning,
                    attendee,
                    .tr("not a mail address; not mailed"),
                    hint: .tr("e.g. %s", "mailto:board@example.org")
                )
                continue
            }
            guard Channel.isAllowed(address, by: defaults.mailAllow) else {
                report(
                    .warning,
                    attendee,
                    .tr("this address is not in mail_allow; the alarm does not mail it"),
                    hint: .tr(
                        "allow it in [defaults] mail_allow = [\"%s\"] (or \"*@domain\") if this host may mail it",
                        address
                    )
                )
                continue
            }
            if !allowed.contains(address) { allowed.append(address) }
        }
        return allowed
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
}

/// The texts of one property that may come once per language (`SUMMARY;LANGUAGE=fr:...`, RFC 5545's LANGUAGE
/// parameter): the untranslated one, which is the one without LANGUAGE or in English, else the first; and the
/// others by language code ("fr" of `fr-CA`). Empty texts count as absent.
struct LanguageTexts {
    /// The text without a language, or in English, or the first there is.
    var untranslated: String?
    /// The texts tagged with a language sse-timeline speaks but English, the first of each.
    var byLanguage: [String: String] = [:]

    /// The texts of `properties`, their values decoded by `decode`.
    init(_ properties: [ContentLine], decode: (String) -> String) {
        var english: String?
        var first: String?
        for property in properties {
            let text = decode(property.value)
            guard !text.isEmpty else { continue }
            if first == nil { first = text }
            let tag = property.parameter("LANGUAGE")?.lowercased()
            let code = tag.map { String($0.prefix { $0 != "-" && $0 != "_" }) }
            if code == nil || code == "en" {
                if english == nil { english = text }
            } else if let code, MilestoneTexts.languages.contains(code), byLanguage[code] == nil {
                byLanguage[code] = text
            }
        }
        untranslated = english ?? first
    }
}
