/// The dates of an event: DATE and DATE-TIME values, the zones of their TZIDs, and RRULE, RDATE and EXDATE.
extension FileImport {
    /// A DATE or DATE-TIME property with the zone of its TZID (UTC for `Z`, nil when floating or a date).
    mutating func timeAndZone(_ property: ContentLine) -> (ICalendarValue.Time, Zone?)? {
        let raw = property.value.split(separator: ",").first.map(String.init) ?? ""
        guard let value = ICalendarValue.time(raw.split(separator: "/").first.map(String.init) ?? raw) else {
            report(
                .error,
                property,
                .tr("not a date or date-time"),
                hint: .tr("accepted: 20270607 (VALUE=DATE), 20270607T090000 with TZID=..., or 20270607T070000Z")
            )
            return nil
        }
        if property.parameter("VALUE")?.uppercased() == "DATE", !value.isDate {
            report(.error, property, .tr("VALUE=DATE with a date-time"))
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
    /// `/mozilla.org/20050126_1/Europe/Berlin`), else the system zone that the file's VTIMEZONE matches, else the
    /// zone CLDR gives a Windows name (`W. Europe Standard Time`, as Outlook and Exchange write). A TZID that is
    /// none of them is reported at every property that uses it, so each event it makes unreadable says so.
    mutating func zone(_ tzid: String, at property: ContentLine) -> Zone? {
        func reportTZID(_ severity: Diagnostic.Severity, _ message: LocalizedText, hint: LocalizedText? = nil) {
            report(severity, property.line, property.column, key: "TZID", value: tzid, message, hint: hint)
        }
        if let cached = zoneCache[tzid] {
            if cached == nil, let failure = zoneFailures[tzid] {
                reportTZID(.error, failure.message, hint: failure.hint)
            }
            return cached
        }
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
        let windowsZone = WindowsZones.tzdatabaseNames[tzid].flatMap { try? zones.zone($0) }
        if found == nil, let component = timeZones[tzid] {
            let definition = VTimeZone(component: component)
            let years = yearsUsing(tzid)
            found = VTimeZoneMatcher(zones: zones).match(definition, years: years)
            let range = "\(years.lowerBound)-\(years.upperBound)"
            if let zone = found {
                reportTZID(
                    .warning,
                    .tr(
                        "not a tz database name; its VTIMEZONE gives the offsets of %s in %s, which is used",
                        zone.identifier,
                        range
                    )
                )
            } else if let windowsZone {
                found = windowsZone
                reportTZID(
                    .warning,
                    .tr(
                        "its VTIMEZONE matches no zone of the system's tzdata in %s; read as the Windows zone name of %s",
                        range,
                        windowsZone.identifier
                    )
                )
            } else {
                zoneFailures[tzid] = (
                    .tr("its VTIMEZONE matches no zone of the system's tzdata in %s", range),
                    .tr("use a tz database name such as %s", "Europe/Paris")
                )
            }
        } else if found == nil, let windowsZone {
            found = windowsZone
        } else if found == nil {
            zoneFailures[tzid] = (
                .tr("unknown time zone, and the file has no VTIMEZONE for it"),
                zones.suggestions(for: tzid).first.map { .tr("did you mean \"%s\"?", $0) }
                    ?? .tr("use a tz database name such as %s", "Europe/Paris")
            )
        }
        if found == nil, let failure = zoneFailures[tzid] { reportTZID(.error, failure.message, hint: failure.hint) }
        zoneCache[tzid] = found
        return found
    }

    /// The years of the times written with `tzid` in the file, and five more when a rule repeats them.
    func yearsUsing(_ tzid: String) -> ClosedRange<Int> {
        var years: [Int] = []
        var repeats = false
        for component in timeZones.isEmpty ? [] : allEvents() {
            for property in component.properties where property.parameter("TZID") == tzid {
                for value in property.value.split(separator: ",")
                where ICalendarValue.time(String(value.prefix { $0 != "/" })) != nil {
                    if let year = Int(value.prefix(4)) { years.append(year) }
                }
            }
            if component.property("RRULE") != nil, component.property("DTSTART")?.parameter("TZID") == tzid {
                repeats = true
            }
        }
        let lower = max(1, (years.min() ?? 2000) - 1)
        // Two centuries from the first year used: a zone's rules repeat yearly after its last change, and
        // comparing a VTIMEZONE over thousands of years (an event ending in year 4028) costs seconds for nothing.
        let upper = min(9999, lower + 200, (years.max() ?? 2000) + (repeats ? 5 : 1))
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
            report(.warning, rules[1], .tr("more than one RRULE (deprecated in RFC 5545); only the first is used"))
        }
        if let property = rules.first {
            do {
                var parsed = try RecurrenceRule(parsing: property.value)
                if milestone.isAllDay {
                    let reading = parsed.readBesideDateStart(in: milestone.zone)
                    parsed = reading.rule
                    if let warning = reading.warning {
                        report(.warning, property, warning.text, hint: warning.hintText)
                    }
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
                        issue.part.isEmpty ? issue.text : .tr("%s: %s", issue.part, issue.text)
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
    static func readingWarnings(_ rule: RecurrenceRule) -> [(LocalizedText, LocalizedText)] {
        var warnings: [(LocalizedText, LocalizedText)] = []
        if !rule.byWeekNumber.isEmpty, rule.byDay.isEmpty {
            warnings.append(
                (
                    .tr(
                        "BYWEEKNO without BYDAY: read as every day of those weeks (as python-dateutil; libical takes only DTSTART's weekday)"
                    ),
                    .tr("add BYDAY to say which days")
                )
            )
        }
        if rule.frequency == .yearly, !rule.byMonthDay.isEmpty, rule.byMonth.isEmpty, rule.byWeekNumber.isEmpty,
            rule.byYearDay.isEmpty
        {
            warnings.append(
                (
                    .tr(
                        "YEARLY with BYMONTHDAY but no BYMONTH: read as those days of every month (as python-dateutil; libical takes only DTSTART's month)"
                    ),
                    .tr("add BYMONTH to say which months")
                )
            )
        }
        if rule.frequency == .yearly, !rule.byWeekNumber.isEmpty, rule.interval > 1 {
            warnings.append(
                (
                    .tr(
                        "YEARLY with BYWEEKNO and INTERVAL: INTERVAL=%s counts calendar years (as python-dateutil; libical counts the years weeks are numbered in)",
                        rule.interval
                    ),
                    .tr("weeks that cross a new year may fall in another year than libical's")
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
                    .tr("not a date or date-time: \"%s\"", raw),
                    hint: .tr("e.g. %s or %s", "20270607", "20270607T090000")
                )
                continue
            }
            let valueZone: Zone? = if case .utc = value { .utc } else { zone }
            result.append(convert(value, zone: valueZone, to: milestone, allDay: milestone.isAllDay))
        }
        return result
    }
}
