import Testing

@testable import Timeline

@Suite("ICalendarExport")
struct ICalendarExportTests {
    static let config = """
        [defaults]
        all_day_time = "09:00"
        reminders = ["1 day before"]

        [[milestone]]
        id = "ilc-2027"
        title = "International Labour Conference, 115th session"
        start = 2027-06-07
        end = 2027-06-18
        timezone = "Europe/Zurich"
        location = "Geneva"
        source = "https://www.ilo.org/international-labour-conference"
        tags = ["ilo", "ilc"]
        reminders = ["30 days before", "at end", "2 hours after end"]

        [[milestone]]
        id = "team-call"
        title = "SSE call; monthly, second Tuesday"
        description = "Agenda:\\n1. news"
        start = 2027-01-12T15:00:00
        end = 2027-01-12T16:00:00
        timezone = "America/New_York"
        rrule = "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20271231"
        exdate = [2027-08-10T15:00:00]
        reminders = ["15 minutes before", "1 day 2 hours before", "at end"]

        [[milestone]]
        id = "academy"
        title = "Academy"
        start = 2010-10-01
        precision = "month"
        reminders = []

        [[milestone]]
        id = "utc-thing"
        title = "UTC"
        start = 2030-01-01T10:00:00Z
        rrule = "FREQ=YEARLY;COUNT=3"
        rdate = [2030-06-01T10:00:00Z]

        [[milestone]]
        id = "offset-thing"
        title = "At an offset"
        start = 2030-01-01T10:00:00+02:00
        end = 2030-01-01T11:00:00+02:00
        reminders = ["at end"]
        """

    static func exported(_ text: String = config) throws -> [String] {
        let export = ICalendarExport(config: try load(text), dtstamp: Instant(secondsSinceEpoch: 1_800_000_000))
        let lines = ICalendarWriterTests.physicalLines(export.bytes())
        // Unfolded logical lines.
        var logical: [String] = []
        for line in lines {
            if line.first == UInt8(ascii: " ") {
                logical[logical.count - 1] += String(decoding: line.dropFirst(), as: UTF8.self)
            } else {
                logical.append(String(decoding: line, as: UTF8.self))
            }
        }
        return logical
    }

    /// The lines of the event with `uid`, from BEGIN:VEVENT to END:VEVENT.
    static func event(_ uid: String, in lines: [String]) throws -> [String] {
        let uidIndex = try #require(lines.firstIndex(of: "UID:\(uid)@sse-timeline"))
        let begin = try #require(lines[..<uidIndex].lastIndex(of: "BEGIN:VEVENT"))
        let end = try #require(lines[uidIndex...].firstIndex(of: "END:VEVENT"))
        return Array(lines[begin...end])
    }

    @Test func writesTheCalendarHeaderAndOneEventPerMilestone() throws {
        let lines = try Self.exported()
        #expect(
            Array(lines.prefix(4)) == [
                "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//sse-timeline//sse-timeline//EN", "CALSCALE:GREGORIAN",
            ]
        )
        #expect(lines.last == "END:VCALENDAR")
        #expect(lines.count { $0 == "BEGIN:VEVENT" } == 5)
        // Zones of timed milestones only, UTC without one; an offset as the tz database's Etc zone.
        #expect(lines.filter { $0.hasPrefix("TZID:") } == ["TZID:America/New_York", "TZID:Etc/GMT-2"])
    }

    @Test func writesAnAllDayMilestoneWithExclusiveEndAndAlarmsAtTheirTimeOfDay() throws {
        let event = try Self.event("ilc-2027", in: Self.exported())
        #expect(
            event == [
                "BEGIN:VEVENT",
                "UID:ilc-2027@sse-timeline",
                "DTSTAMP:20270115T080000Z",
                "DTSTART;VALUE=DATE:20270607",
                "DTEND;VALUE=DATE:20270619",
                "SUMMARY:International Labour Conference\\, 115th session",
                "LOCATION:Geneva",
                "URL:https://www.ilo.org/international-labour-conference",
                "CATEGORIES:ilo,ilc",
                "BEGIN:VALARM",
                "UID:ilc-2027-30-days-before@sse-timeline",
                "X-WR-ALARMUID:ilc-2027-30-days-before@sse-timeline",
                "ACTION:DISPLAY",
                "DESCRIPTION:International Labour Conference\\, 115th session (30 days before)",
                // 30 days before 09:00 on the first day: 29 days back from midnight, then 15 hours.
                "TRIGGER:-P29DT15H",
                "END:VALARM",
                "BEGIN:VALARM",
                "UID:ilc-2027-at-end@sse-timeline",
                "X-WR-ALARMUID:ilc-2027-at-end@sse-timeline",
                "ACTION:DISPLAY",
                "DESCRIPTION:International Labour Conference\\, 115th session (at end)",
                // 09:00 on the last day: 15 hours before DTEND, midnight after it.
                "TRIGGER;RELATED=END:-PT15H",
                "END:VALARM",
                "BEGIN:VALARM",
                "UID:ilc-2027-2-hours-after-end@sse-timeline",
                "X-WR-ALARMUID:ilc-2027-2-hours-after-end@sse-timeline",
                "ACTION:DISPLAY",
                "DESCRIPTION:International Labour Conference\\, 115th session (2 hours after end)",
                "TRIGGER;RELATED=END:-PT13H",
                "END:VALARM",
                "END:VEVENT",
            ]
        )
    }

    @Test func writesATimedRecurringMilestoneInItsZoneWithUntilInUTC() throws {
        let event = try Self.event("team-call", in: Self.exported())
        #expect(event.contains("DTSTART;TZID=America/New_York:20270112T150000"))
        #expect(event.contains("DTEND;TZID=America/New_York:20270112T160000"))
        // UNTIL=20271231 means midnight local time; beside a zoned DTSTART it must be UTC (RFC 5545).
        #expect(event.contains("RRULE:FREQ=MONTHLY;UNTIL=20271231T050000Z;BYDAY=2TU"))
        #expect(event.contains("EXDATE;TZID=America/New_York:20270810T150000"))
        #expect(event.contains("SUMMARY:SSE call\\; monthly\\, second Tuesday"))
        #expect(event.contains("DESCRIPTION:Agenda:\\n1. news"))
        #expect(
            event.filter { $0.hasPrefix("TRIGGER") } == [
                "TRIGGER:-PT15M", "TRIGGER:-P1DT2H", "TRIGGER;RELATED=END:PT0S",
            ]
        )
    }

    @Test func statesThePrecisionOfAMonthMilestone() throws {
        let event = try Self.event("academy", in: Self.exported())
        #expect(event.contains("DTSTART;VALUE=DATE:20101001"))
        #expect(event.contains("DTEND;VALUE=DATE:20101002"))
        #expect(event.contains("DESCRIPTION:Date known to the month only: 2010-10 (shown on its first day)."))
        #expect(!event.contains("BEGIN:VALARM"))
    }

    @Test func writesUTCTimesWithoutATimeZone() throws {
        let event = try Self.event("utc-thing", in: Self.exported())
        #expect(event.contains("DTSTART:20300101T100000Z"))
        #expect(event.contains("RRULE:FREQ=YEARLY;COUNT=3"))
        #expect(event.contains("RDATE:20300601T100000Z"))
        #expect(!event.contains { $0.hasPrefix("DTEND") })
        #expect(event.contains("TRIGGER:-P1D"))
    }

    @Test func writesAFixedOffsetAsAnEtcZoneAndEndAlarmsWithAnEnd() throws {
        let event = try Self.event("offset-thing", in: Self.exported())
        #expect(event.contains("DTSTART;TZID=Etc/GMT-2:20300101T100000"))
        #expect(event.contains("TRIGGER;RELATED=END:PT0S"))
    }

    @Test func endAlarmOfATimedMilestoneWithoutEndCountsFromItsStart() throws {
        let lines = try Self.exported(
            """
            [[milestone]]
            id = "x"
            title = "X"
            start = 2030-01-01T10:00:00Z
            reminders = ["1 hour after end"]
            """
        )
        #expect(lines.contains("TRIGGER:PT1H"))
        #expect(!lines.contains { $0.hasPrefix("TRIGGER;RELATED") })
    }

    @Test func aNaggingReminderIsAnAlarmWithRepeatAndDuration() throws {
        let lines = try Self.exported(
            """
            [defaults]
            repeat = { every = "5 minutes", times = 3 }

            [[milestone]]
            id = "x"
            title = "X"
            start = 2030-01-01T10:00:00Z
            reminders = ["1 hour before", { at = "at start", repeat = false }]
            """
        )
        let alarms = lines.split(separator: "BEGIN:VALARM").dropFirst().map { $0.prefix { $0 != "END:VALARM" } }
        #expect(alarms.count == 2)
        #expect(alarms[0].contains("TRIGGER:-PT1H"))
        #expect(alarms[0].contains("REPEAT:3"))
        #expect(alarms[0].contains("DURATION:PT5M"))
        #expect(!alarms[1].contains { $0.hasPrefix("REPEAT") || $0.hasPrefix("DURATION") })
    }

    @Test func isStableAndUsesCRLFOnly() throws {
        let a = ICalendarExport(config: try load(Self.config), dtstamp: Instant(secondsSinceEpoch: 0)).bytes()
        let b = ICalendarExport(config: try load(Self.config), dtstamp: Instant(secondsSinceEpoch: 0)).bytes()
        #expect(a == b)
        for (index, byte) in a.enumerated() where byte == 0x0A {
            #expect(index > 0 && a[index - 1] == 0x0D)
        }
    }
}
