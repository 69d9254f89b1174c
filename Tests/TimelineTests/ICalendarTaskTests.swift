import Testing

@testable import Timeline

/// VTODOs (todoman's tasks) as calendars read them, cancelled events, and which component each milestone and
/// reminder came from (what a dismissal is written back into).
@Suite("ICalendarImport tasks")
struct ICalendarTaskTests {
    static func read(_ body: String, readsTasks: Bool = true) -> ICalendarImport.FileItems {
        var importer = ICalendarImport(zones: ICalendarImportTests.zones, defaults: Defaults())
        importer.readsTasks = readsTasks
        var taken: Set<String> = []
        let text = ICalendarImportTests.calendar(body).replacing("\n", with: "\r\n")
        return importer.readItems(ConfigSource(name: "t.ics", text: text), takenIds: &taken)
    }

    static let tasks = """
        BEGIN:VTODO
        UID:taxes@example.org
        SUMMARY:Taxes
        DUE:20270410T170000Z
        BEGIN:VALARM
        ACTION:DISPLAY
        TRIGGER:-P1D
        END:VALARM
        BEGIN:VALARM
        ACTION:DISPLAY
        TRIGGER:-PT1H
        END:VALARM
        END:VTODO
        BEGIN:VTODO
        UID:done
        SUMMARY:Done
        DUE:20270410T170000Z
        STATUS:COMPLETED
        END:VTODO
        BEGIN:VTODO
        UID:finished
        SUMMARY:Finished
        DUE:20270410T170000Z
        COMPLETED:20270401T100000Z
        END:VTODO
        BEGIN:VTODO
        UID:dropped
        SUMMARY:Dropped
        DUE:20270410T170000Z
        STATUS:CANCELLED
        END:VTODO
        BEGIN:VTODO
        UID:someday
        SUMMARY:Someday
        END:VTODO
        BEGIN:VEVENT
        UID:off
        SUMMARY:Called off
        DTSTART:20270411T090000Z
        STATUS:CANCELLED
        END:VEVENT
        """

    @Test func aTaskWithDueRemindsAtItsAlarmsCountedFromDue() throws {
        let result = Self.read(Self.tasks)
        #expect(result.milestones.map(\.id) == ["taxes"])
        let task = try #require(result.milestones.first)
        #expect(task.title == "Taxes")
        #expect(task.start == CivilDateTime(date: CivilDate(year: 2027, month: 4, day: 10)!, secondOfDay: 17 * 3600))
        #expect(task.origin == .iCalendar)
        #expect(task.onDue == nil)
        #expect(task.reminders.map(\.identity) == ["1 day before", "1 hour before"])
        #expect(task.reminders.map(\.alarmIndex) == [0, 1])
        #expect(result.items == [ICalendarImport.Item(milestoneID: "taxes", uid: "taxes@example.org", recurrenceID: nil)])
        #expect(!result.diagnostics.contains { $0.severity == .error })
    }

    @Test func dropInsStillSkipTasks() {
        let result = Self.read(Self.tasks, readsTasks: false)
        #expect(result.milestones.isEmpty)
        #expect(result.diagnostics.contains { $0.message.contains("VTODO (5)") })
    }

    @Test func eachMilestoneSaysWhichComponentItsAlarmsAreIn() {
        let result = Self.read(
            """
            BEGIN:VEVENT
            UID:weekly
            SUMMARY:Weekly
            DTSTART:20270104T090000Z
            RRULE:FREQ=WEEKLY;COUNT=5
            BEGIN:VALARM
            ACTION:DISPLAY
            TRIGGER:-PT10M
            END:VALARM
            END:VEVENT
            BEGIN:VEVENT
            UID:weekly
            RECURRENCE-ID:20270111T090000Z
            SUMMARY:Weekly, moved
            DTSTART:20270111T100000Z
            END:VEVENT
            BEGIN:VEVENT
            UID:weekly
            RECURRENCE-ID:20270118T090000Z
            SUMMARY:Weekly, own alarm
            DTSTART:20270118T090000Z
            BEGIN:VALARM
            ACTION:DISPLAY
            TRIGGER:-PT5M
            END:VALARM
            END:VEVENT
            BEGIN:VEVENT
            UID:invite
            RECURRENCE-ID:20270120T090000Z
            SUMMARY:One occurrence
            DTSTART:20270120T090000Z
            END:VEVENT
            """
        )
        #expect(
            result.items.map { "\($0.milestoneID) \($0.uid) \($0.recurrenceID ?? "-")" } == [
                "weekly weekly -", "weekly-20270111 weekly -", "weekly-20270118 weekly 20270118T090000Z",
                "invite-20270120 invite 20270120T090000Z",
            ]
        )
        #expect(result.milestones[2].reminders.map(\.alarmIndex) == [0])
        #expect(result.milestones[3].reminders.allSatisfy { $0.alarmIndex == nil })
    }
}

extension ICalendarTaskTests {
    /// RFC 9074's snooze alarm rings on the device that snoozed; it is no reminder here, and the alarms after it
    /// keep their place in file order.
    @Test func snoozeAlarmsAreNotRemindersAndKeepTheCount() {
        let result = Self.read(
            """
            BEGIN:VEVENT
            UID:e
            SUMMARY:E
            DTSTART:20270105T100000Z
            BEGIN:VALARM
            UID:first
            ACTION:DISPLAY
            TRIGGER:-PT15M
            ACKNOWLEDGED:20270105T094600Z
            END:VALARM
            BEGIN:VALARM
            ACTION:DISPLAY
            TRIGGER;VALUE=DATE-TIME:20270105T095600Z
            RELATED-TO;RELTYPE=SNOOZE:first
            END:VALARM
            BEGIN:VALARM
            ACTION:DISPLAY
            TRIGGER:-PT5M
            END:VALARM
            END:VEVENT
            """
        )
        #expect(result.milestones.first?.reminders.map(\.identity) == ["15 minutes before", "5 minutes before"])
        #expect(result.milestones.first?.reminders.map(\.alarmIndex) == [0, 2])
    }
}
