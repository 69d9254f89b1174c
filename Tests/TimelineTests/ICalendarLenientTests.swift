import Testing

@testable import Timeline

/// Other people's calendars are read leniently: what cannot be read is skipped with a located warning and the
/// rest of the file stays; Windows zone names and occurrences without their series are understood.
@Suite("ICalendarImport, lenient")
struct ICalendarLenientTests {
    static func read(_ body: String) -> (milestones: [Milestone], diagnostics: [Diagnostic]) {
        ICalendarImportTests.read(ICalendarImportTests.calendar(body))
    }

    static func read(events: String...) -> (milestones: [Milestone], diagnostics: [Diagnostic]) {
        read(events.joined(separator: "\n"))
    }

    static func event(_ uid: String, _ lines: String) -> String {
        "BEGIN:VEVENT\nUID:\(uid)\nSUMMARY:\(uid)\n\(lines)\nEND:VEVENT"
    }

    // MARK: Skipped, located

    @Test func oneUnreadableEventIsSkippedAndTheOthersStay() {
        let result = Self.read(
            events: Self.event("a", "DTSTART:20270607T090000Z"),
            Self.event("b", "DTSTART:20270608T090000Z\nDTEND:20270607T090000Z"),
            Self.event("c", "DTSTART;VALUE=DATE:20270609")
        )
        #expect(result.milestones.map(\.id) == ["a", "c"])
        #expect(
            result.diagnostics.map(\.description) == [
                "t.ics:13:7: warning: DTEND = \"20270607T090000Z\": DTEND is before DTSTART (the VEVENT of line 9 is skipped)"
            ]
        )
    }

    @Test func aLineThatIsNotAContentLineIsSkippedAndItsEventStays() throws {
        let result = Self.read(
            Self.event("a", "DTSTART:20270607T090000Z\nthis is not a line\nLOCATION;LANGUAGE:Room 1\nDESCRIPTION:kept")
        )
        let milestone = try #require(result.milestones.first)
        #expect(milestone.description == "kept")
        #expect(milestone.location == nil)
        #expect(result.diagnostics.allSatisfy { $0.severity == .warning })
        #expect(
            result.diagnostics.map(\.description) == [
                "t.ics:8:5: warning: not a content line (NAME:value or NAME;PARAM=value:value): \"this is not a line\"; skipped",
                "t.ics:9:18: warning: LOCATION: a parameter without =value; skipped",
            ]
        )
    }

    @Test func aTruncatedFileKeepsTheEventsItHas() throws {
        let result = ICalendarImportTests.read(
            "BEGIN:VCALENDAR\n" + Self.event("a", "DTSTART:20270607T090000Z") + "\nBEGIN:VEVENT\nUID:b\nDTSTART:2027"
        )
        #expect(result.milestones.map(\.id) == ["a"])
        #expect(
            result.diagnostics.map(\.description) == [
                "t.ics:1:1: warning: BEGIN:VCALENDAR is never closed (END:VCALENDAR); the components are closed there and read",
                "t.ics:7:1: warning: BEGIN:VEVENT is never closed (END:VEVENT); the components are closed there and read",
                "t.ics:9:9: warning: DTSTART = \"2027\": not a date or date-time (the VEVENT of line 7 is skipped); accepted: 20270607 (VALUE=DATE), 20270607T090000 with TZID=..., or 20270607T070000Z",
            ]
        )
    }

    @Test func anUnreadableAlarmIsSkippedAndTheEventKeepsTheOthersOrTheDefaults() throws {
        let alarm = { (trigger: String) in "BEGIN:VALARM\nACTION:DISPLAY\n\(trigger)\nEND:VALARM" }
        let result = Self.read(
            events: Self.event(
                "a",
                "DTSTART:20270607T090000Z\n" + alarm("TRIGGER:soon") + "\n" + alarm("TRIGGER:-PT1H")
            ),
            Self.event("b", "DTSTART:20270608T090000Z\n" + alarm("DESCRIPTION:no trigger"))
        )
        #expect(result.milestones.map(\.id) == ["a", "b"])
        #expect(result.milestones.first?.reminders.map(\.text) == ["1 hour before"])
        #expect(result.milestones.last?.reminders == Defaults().reminders)
        #expect(
            result.diagnostics.map(\.description) == [
                "t.ics:10:9: warning: TRIGGER = \"soon\": not a duration (the VALARM of line 8 is skipped); e.g. -PT15M, -P1D, PT0S, or VALUE=DATE-TIME:20270501T090000Z",
                "t.ics:21:1: warning: VALARM: no TRIGGER (the VALARM of line 21 is skipped); e.g. TRIGGER:-PT15M",
            ]
        )
    }

    @Test func anUnknownZoneIsReportedAtEveryEventItMakesUnreadable() {
        let result = Self.read(
            events: Self.event("a", "DTSTART;TZID=Mars/Olympus:20270607T090000"),
            Self.event("b", "DTSTART;TZID=Mars/Olympus:20270608T090000"),
            Self.event("c", "DTSTART:20270609T090000Z")
        )
        #expect(result.milestones.map(\.id) == ["c"])
        #expect(result.diagnostics.map(\.location.description) == ["t.ics:7:1", "t.ics:12:1"])
        #expect(result.diagnostics.allSatisfy { $0.severity == .warning && $0.message.contains("is skipped") })
    }

    @Test func aDuplicateUIDKeepsTheFirstEvent() {
        let result = Self.read(
            events: Self.event("a", "DTSTART:20270607T090000Z"),
            Self.event("a", "DTSTART:20270608T090000Z")
        )
        #expect(result.milestones.map(\.start.description) == ["2027-06-07T09:00:00"])
        #expect(result.diagnostics.map(\.location.description) == ["t.ics:10:5"])
        #expect(result.diagnostics.first?.severity == .warning)
    }

    @Test func anUnreadableOverrideLeavesItsOccurrenceWhereItWas() throws {
        let result = Self.read(
            events: Self.event("s", "DTSTART:20270607T090000Z\nRRULE:FREQ=DAILY;COUNT=3"),
            Self.event("s", "RECURRENCE-ID:20270608T090000Z\nDTSTART:20270608T100000Z\nDURATION:soon")
        )
        let series = try #require(result.milestones.first)
        #expect(result.milestones.count == 1)
        #expect(series.recurrence?.exdates.isEmpty == true)
        #expect(result.diagnostics.map(\.location.description) == ["t.ics:15:10"])
        #expect(result.diagnostics.first?.message.hasSuffix("(the VEVENT of line 10 is skipped)") == true)
    }

    // MARK: Still an error

    @Test(arguments: [
        ("BEGIN:VEVENT\nDTSTART:20270607\nEND:VEVENT\n", "no BEGIN:VCALENDAR"),
        ("hello\n", "no BEGIN:VCALENDAR"),
    ])
    func aFileThatIsNotICalendarIsAnError(text: String, message: String) {
        let result = ICalendarImportTests.read(text)
        #expect(result.diagnostics.contains { $0.severity == .error && $0.message.contains(message) })
        #expect(result.milestones.isEmpty)
    }

    @Test func aFileThatIsNotUTF8IsAnError() {
        let bytes = Array(ICalendarImportTests.calendar(Self.event("a", "DTSTART:20270607")).utf8) + [0xFF]
        let result = ICalendarImportTests.read(ConfigSource(name: "t.ics", bytes: bytes))
        #expect(result.diagnostics.map(\.severity) == [.error])
        #expect(result.milestones.isEmpty)
    }

    // MARK: Windows zone names

    @Test(arguments: [
        ("W. Europe Standard Time", "Europe/Berlin"), ("Pacific Standard Time", "America/Los_Angeles"),
        ("India Standard Time", "Asia/Kolkata"), ("FLE Standard Time", "Europe/Kyiv"),
    ])
    func aWindowsZoneNameWithoutVTimeZoneIsItsCLDRZone(windows: String, zone: String) throws {
        let result = Self.read(Self.event("a", "DTSTART;TZID=\"\(windows)\":20270607T090000"))
        let milestone = try #require(result.milestones.first)
        #expect(milestone.zone.identifier == zone)
        #expect(milestone.start.description == "2027-06-07T09:00:00")
        #expect(result.diagnostics.isEmpty)
    }

    /// A VTIMEZONE called `name` with a fixed offset.
    static func fixedZone(_ name: String, offset: String) -> String {
        """
        BEGIN:VTIMEZONE
        TZID:\(name)
        BEGIN:STANDARD
        DTSTART:16010101T000000
        TZOFFSETFROM:\(offset)
        TZOFFSETTO:\(offset)
        END:STANDARD
        END:VTIMEZONE
        """
    }

    @Test func aVTimeZoneThatMatchesAZoneComesBeforeTheWindowsName() throws {
        // The file's own definition says UTC+9 all year, which is what the sender's client meant.
        let result = Self.read(
            Self.fixedZone("Pacific Standard Time", offset: "+0900") + "\n"
                + Self.event("a", "DTSTART;TZID=Pacific Standard Time:20270607T090000")
        )
        let milestone = try #require(result.milestones.first)
        #expect(milestone.zone.instant(for: milestone.start).secondsSinceEpoch == 1_812_326_400)
        #expect(result.diagnostics.map(\.key) == ["TZID"])
    }

    @Test func aVTimeZoneThatMatchesNoZoneFallsBackToTheWindowsName() throws {
        let result = Self.read(
            Self.fixedZone("W. Europe Standard Time", offset: "+0013") + "\n"
                + Self.event("a", "DTSTART;TZID=W. Europe Standard Time:20270607T090000")
        )
        let milestone = try #require(result.milestones.first)
        #expect(milestone.zone.identifier == "Europe/Berlin")
        let warning = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(warning.severity == .warning)
        #expect(warning.location.description == "t.ics:15:1")
        #expect(warning.message.contains("read as the Windows zone name of Europe/Berlin"))
    }

    @Test func everyWindowsNameOfTheTableNamesAZoneOfTheSystem() {
        let missing = WindowsZones.tzdatabaseNames.values.filter { (try? ICalendarImportTests.zones.zone($0)) == nil }
        #expect(missing.isEmpty, "\(missing)")
        #expect(WindowsZones.tzdatabaseNames.count > 100)
    }

    // MARK: Occurrences without their series

    @Test func anOverrideWithoutItsSeriesIsAnEventOfItsOwn() throws {
        let result = Self.read(
            events: Self.event(
                "inv@google.com",
                "RECURRENCE-ID;TZID=Europe/Paris:20270607T090000\nDTSTART;TZID=Europe/Paris:20270607T100000\n"
                    + "BEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-PT10M\nEND:VALARM"
            ),
            Self.event("inv@google.com", "RECURRENCE-ID;VALUE=DATE:20270614\nDTSTART;VALUE=DATE:20270615"),
            Self.event("gone", "RECURRENCE-ID:20270601T090000Z\nDTSTART:20270601T090000Z\nSTATUS:CANCELLED")
        )
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.milestones.map(\.id) == ["inv-20270607", "inv-20270614"])
        let first = try #require(result.milestones.first)
        #expect(first.zone.identifier == "Europe/Paris")
        #expect(first.start.description == "2027-06-07T10:00:00")
        #expect(first.recurrence == nil)
        #expect(first.reminders.map(\.text) == ["10 minutes before"])
        #expect(result.milestones.last?.isAllDay == true)
    }
}
