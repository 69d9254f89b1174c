import Glibc
import Testing

@testable import Timeline

@Suite("ICalendarImport")
struct ICalendarImportTests {
    static let zones = ZoneDatabase()

    static func fixture(_ name: String) throws -> ConfigSource {
        let directory = String(#filePath).split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        let path = directory + "/Fixtures/ics/" + name
        let file = try #require(fopen(path, "rb"), "missing fixture \(name)")
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let read = fread(&buffer, 1, buffer.count, file)
            if read <= 0 { break }
            bytes += buffer[0..<read]
        }
        return ConfigSource(name: name, bytes: bytes)
    }

    static func read(_ source: ConfigSource, defaults: Defaults = Defaults()) -> (
        milestones: [Milestone], diagnostics: [Diagnostic]
    ) {
        var taken: Set<String> = []
        return ICalendarImport(zones: zones, defaults: defaults).read(source, takenIds: &taken)
    }

    static func read(_ text: String, defaults: Defaults = Defaults()) -> (
        milestones: [Milestone], diagnostics: [Diagnostic]
    ) {
        read(ConfigSource(name: "t.ics", text: text.replacing("\n", with: "\r\n")), defaults: defaults)
    }

    static func calendar(_ body: String) -> String {
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//test//EN\n\(body)\nEND:VCALENDAR\n"
    }

    // MARK: Real clients

    @Test(arguments: [
        "alarm_google_acknowledged.ics", "alarm_thunderbird_future.ics", "alarm_etar_future.ics",
        "issue_165_missing_event.ics", "issue_836_do_not_quote_tzid.ics", "timezone_same_start.ics",
        "issue_1050_calendar_with_events_and_todos.ics", "america_new_york.ics",
    ])
    func readsCalendarsOfRealClientsWithoutErrors(name: String) throws {
        let result = Self.read(try Self.fixture(name))
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        #expect(!result.milestones.isEmpty)
        #expect(result.milestones.allSatisfy { $0.origin == .iCalendar })
    }

    @Test func googleAlarmsBecomeRemindersAndTheEmailAttendeeIsSummarized() throws {
        let result = Self.read(try Self.fixture("alarm_google_acknowledged.ics"))
        let milestone = try #require(result.milestones.first)
        #expect(milestone.id == "79fs7pkqvht9m5igs0vjv1sfra")
        #expect(milestone.zone == .utc)
        #expect(milestone.start.description == "2024-10-04T18:15:00")
        // Two alarms at 15 minutes (one DISPLAY, one EMAIL) are one reminder.
        #expect(
            milestone.reminders.map(\.offset.description) == [
                "10 minutes before", "14 minutes before", "15 minutes before",
            ]
        )
        let warnings = result.diagnostics.filter { $0.severity == .warning }
        #expect(warnings.count == 1)
        // The EMAIL alarm's attendee is not in mail_allow (none is by default): warned of, not mailed.
        #expect(warnings.first?.message.contains("not in mail_allow") == true)
        #expect(warnings.first?.location.line == 49)
        #expect(milestone.reminders.allSatisfy { $0.delivery == nil })

        var defaults = Defaults()
        defaults.mailAllow = ["*@googlemail.com"]
        let allowed = try #require(
            Self.read(try Self.fixture("alarm_google_acknowledged.ics"), defaults: defaults).milestones.first
        )
        #expect(allowed.reminders.count == 3)
        #expect(allowed.delivery(ofReminder: 2).mailTo == ["niccokunzmann@googlemail.com"])
        #expect(allowed.delivery(ofReminder: 0).mailTo.isEmpty)
    }

    @Test func thunderbirdEventKeepsItsZone() throws {
        let milestone = try #require(Self.read(try Self.fixture("alarm_thunderbird_future.ics")).milestones.first)
        #expect(milestone.zone.identifier == "Europe/London")
        #expect(milestone.start.description == "2024-10-23T15:00:00")
        #expect(milestone.end?.description == "2024-10-23T16:00:00")
    }

    @Test func outlookWindowsZoneNameIsMatchedThroughItsVTimeZone() throws {
        let result = Self.read(try Self.fixture("issue_836_do_not_quote_tzid.ics"))
        let milestone = try #require(result.milestones.first)
        let newYork = try Self.zones.zone("America/New_York")
        // Whatever zone was picked gives the instants New York gives over the calendar's years.
        #expect(milestone.zone.instant(for: milestone.start) == newYork.instant(for: milestone.start))
        let warning = try #require(result.diagnostics.first { $0.key == "TZID" })
        #expect(warning.severity == .warning)
        #expect(warning.description.hasPrefix("issue_836_do_not_quote_tzid.ics:"))
        #expect(warning.message.contains("Eastern Standard Time") || warning.value == "Eastern Standard Time")
    }

    @Test func customTZIDNamingACityPicksThatCity() throws {
        let milestone = try #require(Self.read(try Self.fixture("america_new_york.ics")).milestones.first)
        #expect(milestone.zone.identifier == "America/New_York")
    }

    @Test func todosAndJournalsAreSkippedWithOneWarning() throws {
        let result = Self.read(try Self.fixture("issue_1050_calendar_with_events_and_todos.ics"))
        #expect(result.milestones.map(\.id) == ["event-1", "event-2"])
        let warnings = result.diagnostics.filter { $0.severity == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("VJOURNAL (1), VTODO (1)") == true)
    }

    // MARK: Problems, located

    @Test func reportsEveryProblemOfAFileWithLineAndColumn() {
        let result = Self.read(
            Self.calendar(
                """
                BEGIN:VEVENT
                UID:a
                SUMMARY:Bad start
                DTSTART:2027-06-07
                END:VEVENT
                BEGIN:VEVENT
                UID:b
                SUMMARY:Bad rule
                DTSTART:20270607T090000Z
                RRULE:FREQ=WEEKLY;BYDAY=XX
                END:VEVENT
                BEGIN:VEVENT
                UID:c
                SUMMARY:Bad zone
                DTSTART;TZID=Europe/Pariss:20270607T090000
                BEGIN:VALARM
                TRIGGER:soon
                END:VALARM
                END:VEVENT
                """
            )
        )
        // Other people's files are read leniently: each unreadable event is a warning that says it is skipped.
        #expect(
            result.diagnostics.map(\.description) == [
                "t.ics:7:9: warning: DTSTART = \"2027-06-07\": not a date or date-time (the VEVENT of line 4 is skipped); accepted: 20270607 (VALUE=DATE), 20270607T090000 with TZID=..., or 20270607T070000Z",
                "t.ics:13:25: warning: RRULE = \"XX\": BYDAY: BYDAY value \"XX\" is not a weekday; BYDAY takes MO, TU, WE, TH, FR, SA, SU, each optionally after an ordinal -53...-1 or 1...53 (1MO, -1FR) (the VEVENT of line 9 is skipped)",
                "t.ics:18:1: warning: TZID = \"Europe/Pariss\": unknown time zone, and the file has no VTIMEZONE for it (the VEVENT of line 15 is skipped); did you mean \"Europe/Paris\"?",
            ]
        )
        #expect(result.milestones.isEmpty)
    }

    @Test func brokenStructureIsLocated() {
        let result = Self.read("BEGIN:VCALENDAR\nBEGIN:VEVENT\nthis is not a line\nEND:VCALENDAR\n")
        let messages = result.diagnostics.map(\.description)
        #expect(messages.contains { $0.hasPrefix("t.ics:3:") && $0.contains("not a content line") })
        #expect(messages.contains { $0.hasPrefix("t.ics:4:") && $0.contains("does not close BEGIN:VEVENT") })
    }

    // MARK: Mapping

    @Test func mapsTheEventsPropertiesAndUnfoldsAndUnescapesText() throws {
        let result = Self.read(
            Self.calendar(
                """
                BEGIN:VEVENT
                UID:Team-Call_2027@example.org
                SUMMARY:Call\\, weekly\\; agenda
                DESCRIPTION:line one\\nline
                  two
                LOCATION:Geneva
                URL:https://example.org/call
                CATEGORIES:work,sse
                CATEGORIES:calls
                DTSTART;TZID=Europe/Zurich:20270112T150000
                DURATION:PT1H30M
                RRULE:FREQ=WEEKLY;COUNT=4
                EXDATE;TZID=Europe/Zurich:20270119T150000
                RDATE:20270301T140000Z
                END:VEVENT
                """
            )
        )
        #expect(result.diagnostics.isEmpty)
        let m = try #require(result.milestones.first)
        #expect(m.id == "team-call-2027")
        #expect(m.title == "Call, weekly; agenda")
        #expect(m.description == "line one\nline two")
        #expect(m.location == "Geneva")
        #expect(m.source == "https://example.org/call")
        #expect(m.tags == ["work", "sse", "calls"])
        #expect(m.zone.identifier == "Europe/Zurich")
        #expect(m.end?.description == "2027-01-12T16:30:00")
        #expect(m.recurrence?.rule?.rfcString == "FREQ=WEEKLY;COUNT=4")
        #expect(m.recurrence?.exdates.map(\.description) == ["2027-01-19T15:00:00"])
        // 14:00 UTC is 15:00 in Zurich in March.
        #expect(m.recurrence?.rdates.map(\.description) == ["2027-03-01T15:00:00"])
        #expect(m.reminders == Defaults().reminders)
    }

    @Test func recurrenceIdMovesOneOccurrenceAndCancelledRemovesOne() throws {
        let result = Self.read(
            Self.calendar(
                """
                BEGIN:VEVENT
                UID:standup
                SUMMARY:Standup
                DTSTART;TZID=Europe/Paris:20270104T090000
                RRULE:FREQ=DAILY;COUNT=5
                END:VEVENT
                BEGIN:VEVENT
                UID:standup
                RECURRENCE-ID;TZID=Europe/Paris:20270105T090000
                DTSTART;TZID=Europe/Paris:20270105T140000
                END:VEVENT
                BEGIN:VEVENT
                UID:standup
                RECURRENCE-ID;TZID=Europe/Paris:20270107T090000
                STATUS:CANCELLED
                DTSTART;TZID=Europe/Paris:20270107T090000
                END:VEVENT
                """
            )
        )
        #expect(result.diagnostics.isEmpty)
        #expect(result.milestones.map(\.id) == ["standup", "standup-20270105"])
        let schedule = Schedule(config: TimelineConfig(milestones: result.milestones, sources: ["t.ics"]))
        let starts = schedule.occurrences(
            from: Instant(secondsSinceEpoch: 1_798_761_600),
            through: Instant(secondsSinceEpoch: 1_799_625_600)
        ).map { "\(result.milestones[$0.milestoneIndex].id) \($0.start)" }
        #expect(
            starts == [
                "standup 2027-01-04T09:00:00", "standup-20270105 2027-01-05T14:00:00", "standup 2027-01-06T09:00:00",
                "standup 2027-01-08T09:00:00",
            ]
        )
        // The moved occurrence keeps the title of the series.
        #expect(result.milestones[1].title == "Standup")
    }

    @Test func alarmsBecomeRelativeAbsoluteAndAcknowledgedReminders() throws {
        let result = Self.read(
            Self.calendar(
                """
                BEGIN:VEVENT
                UID:x
                SUMMARY:X
                DTSTART:20270601T090000Z
                DTEND:20270601T100000Z
                BEGIN:VALARM
                ACTION:DISPLAY
                TRIGGER:-P1DT2H
                END:VALARM
                BEGIN:VALARM
                ACTION:DISPLAY
                TRIGGER;RELATED=END:PT15M
                END:VALARM
                BEGIN:VALARM
                ACTION:DISPLAY
                TRIGGER;VALUE=DATE-TIME:20270501T090000Z
                END:VALARM
                BEGIN:VALARM
                ACTION:DISPLAY
                TRIGGER:-PT30M
                ACKNOWLEDGED:20270601T083500Z
                END:VALARM
                END:VEVENT
                """
            )
        )
        #expect(result.diagnostics.isEmpty)
        let m = try #require(result.milestones.first)
        #expect(
            m.reminders.map(\.identity) == [
                "1 day 2 hours before", "15 minutes after end", "at 2027-05-01T09:00:00Z", "30 minutes before",
            ]
        )
        #expect(m.reminders[3].acknowledged?.description == "2027-06-01T08:35:00Z")
        // The acknowledged alarm, due 08:30, is not sent again; the others are.
        let schedule = Schedule(config: TimelineConfig(milestones: [m], sources: ["t.ics"]))
        let due = schedule.next(after: Instant(secondsSinceEpoch: 0), count: 10).map { "\($0.due)" }
        #expect(due == ["2027-05-01T09:00:00Z", "2027-05-31T07:00:00Z", "2027-06-01T10:15:00Z"])
    }

    @Test func allDayTriggersGiveBackTheExportedReminders() throws {
        let config = try load(
            """
            [defaults]
            all_day_time = "09:00"
            [[milestone]]
            id = "ilc"
            title = "ILC"
            start = 2027-06-07
            end = 2027-06-18
            reminders = ["30 days before", "1 day before", "at end", "2 hours after end", "1 week before end"]
            """
        )
        let bytes = ICalendarExport(config: config, dtstamp: Instant(secondsSinceEpoch: 0)).bytes()
        let result = Self.read(ConfigSource(name: "x.ics", bytes: bytes), defaults: config.defaults)
        let m = try #require(result.milestones.first)
        #expect(m.isAllDay && m.end == config.milestones[0].end)
        #expect(m.reminders.map(\.offset) == config.milestones[0].reminders.map(\.offset))
    }

    @Test func timeOfDayPartsOfAnAllDayRuleAreIgnoredWithAWarning() throws {
        // libical's own test table: four occurrences on one day from an all-day start.
        let result = Self.read(
            Self.calendar(
                """
                BEGIN:VEVENT
                UID:d
                SUMMARY:D
                DTSTART;VALUE=DATE:20270601
                RRULE:FREQ=DAILY;BYMINUTE=1,2,3,4;INTERVAL=2;COUNT=3
                END:VEVENT
                """
            )
        )
        let m = try #require(result.milestones.first)
        #expect(m.recurrence?.rule?.rfcString == "FREQ=DAILY;COUNT=3;INTERVAL=2")
        let warning = try #require(result.diagnostics.first)
        #expect(warning.severity == .warning && warning.description.hasPrefix("t.ics:8:7: warning: RRULE"))
        #expect(warning.message.hasPrefix("BYMINUTE=1,2,3,4 ignored: the start is a date"))
        let starts = Array(OccurrenceStarts(m)).map(\.description)
        #expect(starts == ["2027-06-01T00:00:00", "2027-06-03T00:00:00", "2027-06-05T00:00:00"])
    }

    @Test(arguments: [
        "FREQ=DAILY;BYMINUTE=1,2,3,4;INTERVAL=2;COUNT=3",
        "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=8,17;UNTIL=20270630T120000Z",
    ])
    func tomlAndICalendarReadAnAllDayRuleAlike(rule: String) throws {
        let imported = try #require(
            Self.read(
                Self.calendar("BEGIN:VEVENT\nUID:d\nSUMMARY:D\nDTSTART;VALUE=DATE:20270601\nRRULE:\(rule)\nEND:VEVENT")
            ).milestones.first
        )
        let config = try load("[[milestone]]\nid = \"d\"\ntitle = \"D\"\nstart = 2027-06-01\nrrule = \"\(rule)\"\n")
        let decoded = try #require(config.milestones.first)
        #expect(config.warnings.count == 1)
        #expect(decoded.recurrence?.rule == imported.recurrence?.rule)
        #expect(decoded.recurrence?.untilLocal == imported.recurrence?.untilLocal)
        let starts = Array(OccurrenceStarts(decoded))
        #expect(starts == Array(OccurrenceStarts(imported)))
        #expect(Set(starts.map(\.date)).count == starts.count)
    }

    @Test(arguments: [
        ("FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO without BYDAY"),
        ("FREQ=YEARLY;BYMONTHDAY=10", "YEARLY with BYMONTHDAY but no BYMONTH"),
        ("FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO;INTERVAL=3", "YEARLY with BYWEEKNO and INTERVAL"),
    ])
    func warnsWhereLibicalAndDateutilDiffer(rule: String, warning: String) throws {
        let result = Self.read(
            Self.calendar("BEGIN:VEVENT\nUID:r\nSUMMARY:R\nDTSTART:20270105T090000Z\nRRULE:\(rule)\nEND:VEVENT")
        )
        #expect(result.diagnostics.contains { $0.severity == .warning && $0.message.hasPrefix(warning) })
    }

    @Test func idsAreValidUniqueAndStable() throws {
        let text = Self.calendar(
            """
            BEGIN:VEVENT
            UID:Meeting@one.example
            SUMMARY:A
            DTSTART:20270105T090000Z
            END:VEVENT
            BEGIN:VEVENT
            UID:meeting@two.example
            SUMMARY:B
            DTSTART:20270106T090000Z
            END:VEVENT
            """
        )
        var taken: Set<String> = ["meeting-x"]
        let first = ICalendarImport(zones: Self.zones, defaults: Defaults())
            .read(ConfigSource(name: "t.ics", text: text), takenIds: &taken).milestones.map(\.id)
        var takenAgain: Set<String> = ["meeting-x"]
        let second = ICalendarImport(zones: Self.zones, defaults: Defaults())
            .read(ConfigSource(name: "t.ics", text: text), takenIds: &takenAgain).milestones.map(\.id)
        #expect(first == second)
        #expect(first[0] == "meeting")
        #expect(first[1].hasPrefix("meeting-") && first[1].count == "meeting-".count + 8)
    }

    // MARK: Through the config loader

    @Test func icsDropInsLoadBesideTOMLAndKeepTheirOrigin() throws {
        let config = try ConfigLoader(zones: Self.zones).load([
            ConfigSource(name: "timeline.toml", text: "[[milestone]]\nid = \"x\"\ntitle = \"X\"\nstart = 2027-01-01\n"),
            ConfigSource(
                name: "timeline.d/cal.ics",
                text: Self.calendar("BEGIN:VEVENT\nUID:x\nSUMMARY:Y\nDTSTART;VALUE=DATE:20270102\nEND:VEVENT")
            ),
        ])
        #expect(config.milestones.map(\.id).count == 2)
        #expect(config.milestones[0].origin == .config)
        #expect(config.milestones[1].origin == .iCalendar)
        #expect(config.milestones[1].id != "x")
    }

    @Test func icsEventThatCannotBeReadIsALocatedWarningOfTheLoad() throws {
        let config = try ConfigLoader(zones: Self.zones).load([
            ConfigSource(name: "cal.ics", text: Self.calendar("BEGIN:VEVENT\nUID:x\nDTSTART:tomorrow\nEND:VEVENT"))
        ])
        #expect(config.milestones.isEmpty)
        #expect(config.warnings.map(\.location.description) == ["cal.ics:6:9"])
        #expect(config.warnings.first?.message.hasSuffix("(the VEVENT of line 4 is skipped)") == true)
    }

    @Test func icsFileThatIsNotICalendarFailsTheLoadWithItsLocation() {
        do {
            _ = try ConfigLoader(zones: Self.zones).load([
                ConfigSource(name: "cal.ics", text: "BEGIN:VEVENT\nUID:x\nDTSTART:20270607\nEND:VEVENT\n")
            ])
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.map(\.location.description) == ["cal.ics:1:1"])
            #expect(error.errors.first?.message.contains("no BEGIN:VCALENDAR") == true)
        }
    }

    @Test func absoluteReminderInTOMLComesDueOnce() throws {
        let config = try load(
            """
            [[milestone]]
            id = "r"
            title = "R"
            start = 2027-01-05T09:00:00Z
            rrule = "FREQ=DAILY"
            reminders = [{ at = 2027-05-01T09:00:00+02:00, priority = "warning" }, "at start"]
            """
        )
        let reminder = config.milestones[0].reminders[0]
        #expect(reminder.absolute == Instant(secondsSinceEpoch: 1_809_154_800))
        #expect(reminder.priority == .warning)
        let schedule = Schedule(config: config)
        let absolute = schedule.instances(
            from: Instant(secondsSinceEpoch: 1_798_761_600),
            through: Instant(secondsSinceEpoch: 1_830_297_600)
        ).filter { $0.reminderIndex == 0 }
        #expect(absolute.map(\.due) == [Instant(secondsSinceEpoch: 1_809_154_800)])
        #expect(schedule.key(of: absolute[0]) == "r|2027-01-05T09:00:00|at 2027-05-01T07:00:00Z")
    }

    @Test func absoluteReminderWithoutOffsetIsAnError() {
        let found = errors(
            """
            [[milestone]]
            id = "r"
            title = "R"
            start = 2027-01-05
            reminders = [{ at = 2027-05-01T09:00:00 }]
            """
        )
        #expect(found.map(\.message) == ["an absolute reminder needs an offset"])
    }
}
