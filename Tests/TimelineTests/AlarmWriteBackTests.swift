import Testing

@testable import Timeline

/// Dismissals and snoozes written into the item's text (RFC 9074), and nothing else changed.
@Suite("AlarmWriteBack")
struct AlarmWriteBackTests {
    static let at = Instant(secondsSinceEpoch: 1_811_234_567)  // 2027-05-25T08:42:47Z
    static let atText = "20270525T084247Z"

    /// Every VEVENT and VTODO alarm of a text: (uid, recurrence id as written, alarm index, whether the importer
    /// makes a reminder of it: an event's alarm whose TRIGGER no alarm before it has, as equal reminders are one).
    static func alarms(_ text: String) -> [(uid: String, recurrenceID: String?, index: Int, isReminder: Bool)] {
        var found: [(String, String?, Int, Bool)] = []
        func walk(_ components: [ICalendarComponent]) {
            for component in components {
                if component.name == "VEVENT" || component.name == "VTODO", let uid = component.property("UID") {
                    let alarms = component.components.filter { $0.name == "VALARM" }
                    for (index, alarm) in alarms.enumerated() {
                        let trigger = alarm.property("TRIGGER")
                        let isFirst = !alarms[..<index].contains { $0.property("TRIGGER")?.value == trigger?.value }
                        let isReminder = component.name == "VEVENT" && trigger != nil && isFirst
                        found.append(
                            (
                                ICalendarValue.text(uid.value), component.property("RECURRENCE-ID")?.value, index,
                                isReminder
                            )
                        )
                    }
                }
                walk(component.components)
            }
        }
        walk(ICalendarParser(text).components)
        return found
    }

    /// The lines of `text`, each with its line end.
    static func lines(_ text: String) -> [Substring] {
        // Split on the byte: "\r\n" is one Character, which a search for "\n" does not find.
        var result: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        while start < utf8.endIndex {
            let end = utf8[start...].firstIndex(of: 0x0A).map { utf8.index(after: $0) } ?? utf8.endIndex
            result.append(text[start..<end])
            start = end
        }
        return result
    }

    /// What differs between two texts, line by line: the lines of `before` and of `after` between their common
    /// first and last lines.
    static func difference(_ before: String, _ after: String) -> (removed: [Substring], added: [Substring]) {
        let a = lines(before)
        let b = lines(after)
        var prefix = 0
        while prefix < min(a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(a.count, b.count) - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        return (Array(a[prefix..<a.count - suffix]), Array(b[prefix..<b.count - suffix]))
    }

    /// The tree of a text without positions, as "NAME;PARAM=v:value" lines, with `ACKNOWLEDGED` left out of
    /// the VALARMs (that is what the write-back changes).
    static func shape(_ text: String) -> [String] {
        var result: [String] = []
        func walk(_ component: ICalendarComponent) {
            result.append("BEGIN:" + component.name)
            for property in component.properties where !(component.name == "VALARM" && property.name == "ACKNOWLEDGED")
            {
                let parameters = property.parameters.map { ";\($0.name)=\($0.values.joined(separator: ","))" }
                result.append(property.name + parameters.joined() + ":" + property.value)
            }
            component.components.forEach(walk)
            result.append("END:" + component.name)
        }
        ICalendarParser(text).components.forEach(walk)
        return result
    }

    static func text(_ fixture: String) throws -> String {
        String(decoding: try ICalendarImportTests.fixture(fixture).bytes, as: UTF8.self)
    }

    static let fixtures = [
        "rfc_9074_example_2.ics", "rfc_9074_example_4.ics", "alarm_thunderbird_snoozed_until_1457.ics",
        "alarm_thunderbird_future.ics", "alarm_google_acknowledged.ics", "alarm_etar_future.ics",
        "issue_1050_all_components.ics", "rfc_6868.ics",
    ]

    // MARK: Acknowledge

    @Test(arguments: fixtures)
    func acknowledgingChangesOneLineAndTheReaderSeesIt(fixture: String) throws {
        let original = try Self.text(fixture)
        let alarms = Self.alarms(original)
        if fixture != "rfc_6868.ics" { #expect(!alarms.isEmpty) }
        let newline = original.contains("\r\n") ? "\r\n" : "\n"
        for alarm in alarms {
            let written = try AlarmWriteBack.acknowledge(
                original,
                uid: alarm.uid,
                recurrenceID: alarm.recurrenceID,
                alarmIndex: alarm.index,
                at: Self.at
            )
            let (removed, added) = Self.difference(original, written)
            #expect(added == ["ACKNOWLEDGED:\(Self.atText)\(newline)"], "\(fixture) \(alarm)")
            #expect(removed.allSatisfy { $0.hasPrefix("ACKNOWLEDGED:") }, "\(fixture) \(alarm): \(removed)")
            #expect(Self.shape(written) == Self.shape(original))

            // The parser finds it in that alarm.
            let item = try #require(Self.item(written, alarm.uid, alarm.recurrenceID))
            let valarm = item.components.filter { $0.name == "VALARM" }[alarm.index]
            #expect(valarm.property("ACKNOWLEDGED")?.value == Self.atText)

            // The importer reads the same events; only acknowledgements differ, and one is this one.
            guard original.contains("BEGIN:VCALENDAR") else { continue }
            let before = ICalendarImportTests.read(ConfigSource(name: fixture, text: original))
            let after = ICalendarImportTests.read(ConfigSource(name: fixture, text: written))
            #expect(after.diagnostics.count == before.diagnostics.count)
            #expect(Self.unacknowledged(after.milestones) == Self.unacknowledged(before.milestones))
            let acknowledged = after.milestones.flatMap(\.reminders).compactMap(\.acknowledged)
            #expect(acknowledged.contains(Self.at) == alarm.isReminder, "\(fixture) \(alarm)")
        }
    }

    static func item(_ text: String, _ uid: String, _ recurrenceID: String?) -> ICalendarComponent? {
        func find(_ components: [ICalendarComponent]) -> ICalendarComponent? {
            for component in components {
                if component.name == "VEVENT" || component.name == "VTODO",
                    component.property("UID").map({ ICalendarValue.text($0.value) }) == uid,
                    component.property("RECURRENCE-ID")?.value == recurrenceID
                {
                    return component
                }
                if let found = find(component.components) { return found }
            }
            return nil
        }
        return find(ICalendarParser(text).components)
    }

    static func unacknowledged(_ milestones: [Milestone]) -> [Milestone] {
        milestones.map { milestone in
            var copy = milestone
            copy.reminders = copy.reminders.map { reminder in
                var plain = reminder
                plain.acknowledged = nil
                return plain
            }
            return copy
        }
    }

    @Test func anAcknowledgementFoldedOverTwoLinesIsReplacedWhole() throws {
        let text =
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20270607T090000Z\nBEGIN:VALARM\nTRIGGER:-PT5M\n"
            + "ACKNOWLEDGED:2027\n 0101T000000Z\nX-KEPT;A=\"b:c\":d\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR"
        let written = try AlarmWriteBack.acknowledge(text, uid: "a", recurrenceID: nil, alarmIndex: 0, at: Self.at)
        #expect(
            written
                == "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20270607T090000Z\nBEGIN:VALARM\nTRIGGER:-PT5M\n"
                + "ACKNOWLEDGED:\(Self.atText)\nX-KEPT;A=\"b:c\":d\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR"
        )
    }

    @Test func theItemIsFoundByUnfoldedUnescapedUIDAndRecurrenceID() throws {
        let text = [
            "BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:series\\,1", "DTSTART:20270607T090000Z", "RRULE:FREQ=DAILY",
            "BEGIN:VALARM", "TRIGGER:-PT5M", "END:VALARM", "END:VEVENT", "BEGIN:VEVENT", "UID:seri", " es\\,1",
            "RECURRENCE-ID;TZID=Europe/Paris:20270608T", " 110000", "DTSTART:20270608T100000Z", "BEGIN:VALARM",
            "TRIGGER:-PT1H", "END:VALARM", "BEGIN:VALARM", "TRIGGER:-PT2H", "END:VALARM", "END:VEVENT",
            "BEGIN:VTODO", "UID:task", "BEGIN:VALARM", "TRIGGER:-PT3H", "END:VALARM", "END:VTODO", "END:VCALENDAR", "",
        ].joined(separator: "\r\n")
        let moved = try AlarmWriteBack.acknowledge(
            text,
            uid: "series,1",
            recurrenceID: "20270608T110000",
            alarmIndex: 1,
            at: Self.at
        )
        #expect(moved == text.replacing("TRIGGER:-PT2H\r\n", with: "TRIGGER:-PT2H\r\nACKNOWLEDGED:\(Self.atText)\r\n"))
        let master = try AlarmWriteBack.acknowledge(
            text,
            uid: "series,1",
            recurrenceID: nil,
            alarmIndex: 0,
            at: Self.at
        )
        #expect(master == text.replacing("TRIGGER:-PT5M\r\n", with: "TRIGGER:-PT5M\r\nACKNOWLEDGED:\(Self.atText)\r\n"))
        let task = try AlarmWriteBack.acknowledge(text, uid: "task", recurrenceID: nil, alarmIndex: 0, at: Self.at)
        #expect(task == text.replacing("TRIGGER:-PT3H\r\n", with: "TRIGGER:-PT3H\r\nACKNOWLEDGED:\(Self.atText)\r\n"))
    }

    @Test func whatIsNotFoundIsNamed() throws {
        let text =
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nBEGIN:VALARM\nTRIGGER:-PT5M\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n"
        #expect(throws: AlarmWriteBackError.componentNotFound(uid: "b", recurrenceID: nil)) {
            try AlarmWriteBack.acknowledge(text, uid: "b", recurrenceID: nil, alarmIndex: 0, at: Self.at)
        }
        #expect(throws: AlarmWriteBackError.componentNotFound(uid: "a", recurrenceID: "20270101")) {
            try AlarmWriteBack.acknowledge(text, uid: "a", recurrenceID: "20270101", alarmIndex: 0, at: Self.at)
        }
        #expect(throws: AlarmWriteBackError.alarmNotFound(uid: "a", recurrenceID: nil, alarmIndex: 1, alarms: 1)) {
            try AlarmWriteBack.acknowledge(text, uid: "a", recurrenceID: nil, alarmIndex: 1, at: Self.at)
        }
        #expect(
            AlarmWriteBackError.alarmNotFound(uid: "a", recurrenceID: nil, alarmIndex: 1, alarms: 1).description
                == "no VALARM number 1 in UID \"a\" (the master, no RECURRENCE-ID): it has 1 (numbered from 0)"
        )
    }

    @Test func aFileWithoutAFinalLineEndGetsOneBeforeWhatIsAdded() throws {
        let text = "BEGIN:VEVENT\nUID:a\nBEGIN:VALARM\nTRIGGER:-PT5M"
        let written = try AlarmWriteBack.acknowledge(text, uid: "a", recurrenceID: nil, alarmIndex: 0, at: Self.at)
        #expect(written == text + "\nACKNOWLEDGED:\(Self.atText)\n")
    }

    // MARK: Snooze

    static let until = Instant(secondsSinceEpoch: 1_811_235_167)  // ten minutes after `at`
    static let untilText = "20270525T085247Z"

    @Test func snoozingAcknowledgesAndAddsASnoozeAlarmAfterTheOthers() throws {
        // DESCRIPTION as a client folds it: the snooze alarm copies it, folded the same way.
        let description = "A long description of the alarm, with a comma\\, written by a client that folds at 75"
        let folded = String(decoding: ICalendarWriter.fold(Array("DESCRIPTION:\(description)".utf8)), as: UTF8.self)
        let text = [
            "BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:a", "DTSTART:20270607T090000Z", "SUMMARY:Meeting", "BEGIN:VALARM",
            "UID:alarm-1", "TRIGGER:-PT15M", "ACTION:DISPLAY", folded + "END:VALARM",
            "BEGIN:VALARM", "TRIGGER:-PT5M", "END:VALARM", "END:VEVENT", "END:VCALENDAR", "",
        ].joined(separator: "\r\n")
        let written = try AlarmWriteBack.snooze(
            text,
            uid: "a",
            recurrenceID: nil,
            alarmIndex: 0,
            until: Self.until,
            now: Self.at
        )
        #expect(
            written
                == text.replacing(folded, with: folded + "ACKNOWLEDGED:\(Self.atText)\r\n")
                .replacing(
                    "END:VEVENT",
                    with: "BEGIN:VALARM\r\nACTION:DISPLAY\r\n" + folded
                        + "TRIGGER;VALUE=DATE-TIME:\(Self.untilText)\r\nRELATED-TO;RELTYPE=SNOOZE:alarm-1\r\n"
                        + "END:VALARM\r\nEND:VEVENT"
                )
        )
        #expect(Self.lines(written).allSatisfy { $0.utf8.count <= 77 })

        // The first alarm is acknowledged; the snooze alarm is no reminder of the reader's own (the snooze that
        // wrote it rings: the daemon's, or the other device's).
        let milestone = try #require(
            ICalendarImportTests.read(ConfigSource(name: "t.ics", text: written)).milestones.first
        )
        #expect(!milestone.reminders.contains { $0.absolute == Self.until })
        #expect(milestone.reminders.first?.acknowledged == Self.at)

        // A second snooze, of the first alarm or of the snooze alarm, replaces the snooze alarm.
        let later = Instant(secondsSinceEpoch: Self.until.secondsSinceEpoch + 600)
        for index in [0, 2] {
            let again = try AlarmWriteBack.snooze(
                written,
                uid: "a",
                recurrenceID: nil,
                alarmIndex: index,
                until: later,
                now: Self.until
            )
            #expect(
                again
                    == written.replacing("ACKNOWLEDGED:\(Self.atText)", with: "ACKNOWLEDGED:\(Self.untilText)")
                    .replacing("DATE-TIME:\(Self.untilText)", with: "DATE-TIME:\(ICalendarFormat.utc(later))")
            )
        }
    }

    @Test func anAlarmWithoutUIDCannotBeSnoozed() throws {
        let text = "BEGIN:VEVENT\nUID:a\nBEGIN:VALARM\nTRIGGER:-PT5M\nEND:VALARM\nEND:VEVENT\n"
        #expect(throws: AlarmWriteBackError.alarmWithoutUID(uid: "a", recurrenceID: nil, alarmIndex: 0)) {
            try AlarmWriteBack.snooze(text, uid: "a", recurrenceID: nil, alarmIndex: 0, until: Self.until, now: Self.at)
        }
    }

    @Test func rfc9074SnoozeExampleIsSnoozedAgainInPlace() throws {
        // Example 4: the alarm (UID 8297C37D...) and its snooze alarm, both acknowledged.
        let original = try Self.text("rfc_9074_example_4.ics")
        let written = try AlarmWriteBack.snooze(
            original,
            uid: "AC67C078-CED3-4BF5-9726-832C3749F627",
            recurrenceID: nil,
            alarmIndex: 1,
            until: Self.until,
            now: Self.at
        )
        let (removed, added) = Self.difference(original, written)
        #expect(
            removed == [
                "ACKNOWLEDGED:20210302T152507Z\n", "END:VALARM\n", "\n", "BEGIN:VALARM\n",
                "UID:87D690A7-B5E8-4EB4-8500-491F50AFE394\n", "TRIGGER;VALUE=DATE-TIME:20210302T152500Z\n",
                "RELATED-TO;RELTYPE=SNOOZE:8297C37D-BA2D-4476-91AE-C1EAA364F8E1\n", "DESCRIPTION:Event reminder\n",
                "ACTION:DISPLAY\n", "ACKNOWLEDGED:20210302T152507Z\n",
            ]
        )
        #expect(
            added == [
                "ACKNOWLEDGED:\(Self.atText)\n", "END:VALARM\n", "\n", "BEGIN:VALARM\n", "ACTION:DISPLAY\n",
                "DESCRIPTION:Event reminder\n", "TRIGGER;VALUE=DATE-TIME:\(Self.untilText)\n",
                "RELATED-TO;RELTYPE=SNOOZE:8297C37D-BA2D-4476-91AE-C1EAA364F8E1\n",
            ]
        )
    }
}
