import DaemonTesting
import Foundation
import Testing
import Timeline

@testable import Daemon

/// Working days through the daemon's own reading and writing: a holiday set's `.ics` file read beside the config,
/// and the journal entry of a reminder moved off a holiday.
@Suite("Working days: files and journal")
struct WorkingDayFilesTests {
    static let config = """
        [defaults]
        timezone = "Europe/Berlin"
        holidays = ["national"]
        on_non_working_day = "before"

        [holidays.national]
        ics = "holidays/national.ics"

        [[milestone]]
        id = "assembly"
        title = "Assembly"
        start = 2030-12-25T10:00:00
        reminders = ["at start", "2 working days before"]
        """

    static let calendar = """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        PRODID:-//test//EN\r
        BEGIN:VEVENT\r
        UID:christmas@test\r
        DTSTART;VALUE=DATE:20291225\r
        RRULE:FREQ=YEARLY\r
        SUMMARY:Christmas Day\r
        END:VEVENT\r
        END:VCALENDAR\r

        """

    @Test func readsTheHolidayCalendarBesideTheConfigAndMovesTheReminderOffIt() throws {
        let temporary = TemporaryDirectory()
        mkdir(temporary.file("holidays"), 0o755)
        try Self.config.write(toFile: temporary.file("timeline.toml"), atomically: true, encoding: .utf8)
        try Self.calendar.write(toFile: temporary.file("holidays/national.ics"), atomically: true, encoding: .utf8)
        let files = ConfigFiles(mainPath: temporary.file("timeline.toml"), dropInDirectory: nil)
        let config = try files.load(loader: ConfigLoader(zones: ZoneDatabase(), systemZone: .utc)).get()
        let schedule = Schedule(config: config)
        let instances = schedule.next(after: Instant(secondsSinceEpoch: 1_900_000_000), count: 2)
        // Christmas 2030 is a Wednesday: the occurrence moves to Tuesday the 24th, its reminders with it.
        let atStart = try #require(instances.first { schedule.reminder(of: $0).text == "at start" })
        let entry = ReminderEntry(schedule: schedule).entry(for: atStart, now: WallTime(atStart.due), caughtUp: false)
        #expect(entry["DUE_AT"] == "2030-12-24T10:00:00+01:00")
        #expect(entry["MOVED_FROM"] == "2030-12-25T10:00:00+01:00")
        #expect(entry["MOVED_REASON"] == "Christmas Day")
        #expect(entry["REMINDER_KEY"] == "assembly|2030-12-25T10:00:00|at start")
        #expect(
            entry.message
                == "Assembly starts now (2030-12-25T10:00:00+01:00). Moved from 2030-12-25 10:00 CET (Christmas Day)."
        )
        let before = try #require(instances.first { schedule.reminder(of: $0).text == "2 working days before" })
        let early = ReminderEntry(schedule: schedule).entry(for: before, now: WallTime(before.due), caughtUp: false)
        #expect(early["DUE_AT"] == "2030-12-20T10:00:00+01:00")
        // Counted from the moved occurrence; without the move it would have been 2 working days before the 25th.
        #expect(early["MOVED_FROM"] == "2030-12-23T10:00:00+01:00")
        #expect(
            early.message
                == "Assembly starts in 2 working days (2030-12-25T10:00:00+01:00). Moved from 2030-12-23 10:00 CET (Christmas Day)."
        )
    }

    @Test func anUnreadableHolidayCalendarIsAnErrorAtItsKey() throws {
        let temporary = TemporaryDirectory()
        try Self.config.write(toFile: temporary.file("timeline.toml"), atomically: true, encoding: .utf8)
        let files = ConfigFiles(mainPath: temporary.file("timeline.toml"), dropInDirectory: nil)
        let result = files.load(loader: ConfigLoader(zones: ZoneDatabase(), systemZone: .utc))
        guard case .failure(let error) = result else {
            Issue.record("expected the missing holiday calendar to be an error")
            return
        }
        let text = error.errors.map(\.description)
        #expect(
            text.contains {
                $0.hasPrefix("\(temporary.file("timeline.toml")):7:7: error: holidays.national.ics")
                    && $0.contains("cannot read the holiday calendar \(temporary.file("holidays/national.ics"))")
                    && $0.contains("check the path")
            },
            "\(text)"
        )
    }
}
