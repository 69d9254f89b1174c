import DaemonTesting
import Foundation
import Logging
import Synchronization
import Testing
import Timeline

@testable import Daemon

/// Clock and time-zone cases of issue 6 not covered by SchedulerTests (which steps the clock forward and back,
/// restarts after downtime and checks the catch-up window): a suspend of several days while running, the
/// local time zone changing under a running scheduler, and DST gaps and overlaps for all-day and timed
/// milestones, on the manual clock.
@Suite("Robustness: clock and time zone")
struct RobustnessClockTests {
    @Test func suspendOfSeveralDaysSendsRecentRemindersLateAndSummarizesOlderOnes() throws {
        let config = """
            [defaults]
            catch_up_window = "2 days"
            reminders = ["at start"]
            [[milestone]]
            id = "old"
            title = "Old"
            start = 2030-01-02T12:00:00Z
            [[milestone]]
            id = "recent"
            title = "Recent"
            start = 2030-01-04T14:00:00Z
            [[milestone]]
            id = "just"
            title = "Just"
            start = 2030-01-06T12:00:00Z
            [[milestone]]
            id = "future"
            title = "Future"
            start = 2030-01-09T00:00:00Z
            """
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: config)
        let first = try harness.start()
        #expect(first == wall("2030-01-02T12:00:00Z"))
        // Suspended at 10:00 on the 1st, resumed at 13:00 on the 6th: the wall clock jumps while running.
        let next = harness.step(to: wall("2030-01-06T13:00:00Z"))
        #expect(harness.sink.reminderNames == ["recent at start", "just at start"])
        #expect(
            harness.sink.reminders.allSatisfy {
                $0["CAUGHT_UP"] == "1" && $0["MESSAGE_ID"] == MessageID.reminderCaughtUp
            }
        )
        #expect(harness.sink.reminders[1]["LATENESS_USEC"] == "3600000000")
        let missed = harness.sink.entries.filter { $0["MESSAGE_ID"] == MessageID.remindersMissed }
        #expect(missed.count == 1)
        #expect(missed.first?["MISSED_MILESTONES"] == "old")
        #expect(next == wall("2030-01-09T00:00:00Z"))
        harness.stop()
    }

    @Test func localZoneChangeWhileRunningMovesFloatingMilestones() throws {
        let config = """
            [[milestone]]
            id = "standup"
            title = "Stand-up"
            start = 2030-01-01T12:00:00
            reminders = ["1 hour before", "at start"]
            [[milestone]]
            id = "fixed"
            title = "Fixed"
            start = 2030-01-01T12:30:00Z
            reminders = ["at start"]
            """
        let zone = Mutex(Zone.utc)
        let harness = SchedulerHarness(now: wall("2030-01-01T09:00:00Z"), config: config)
        var environment = harness.environment()
        environment.loadTimeline = {
            // As the daemon does: the system zone is read again on every load.
            let loader = ConfigLoader(zones: ZoneDatabase(), systemZone: zone.withLock { $0 })
            do throws(ConfigError) {
                let loaded = try loader.load([ConfigSource(name: "t.toml", text: config)])
                return .success(LoadedTimeline(config: loaded, description: "t.toml"))
            } catch {
                return .failure(error)
            }
        }
        #expect(try harness.start(environment: environment) == wall("2030-01-01T11:00:00Z"))

        // /etc/localtime now says Paris (UTC+1): the floating 12:00 is an hour earlier; the fixed one stays.
        zone.withLock { $0 = try! ZoneDatabase().zone("Europe/Paris") }
        #expect(harness.changeZone() == wall("2030-01-01T10:00:00Z"))
        #expect(harness.logs.all.contains { $0.contains("time zone changed") })

        harness.run(through: wall("2030-01-01T12:30:00Z"))
        #expect(harness.sink.reminderNames == ["standup 1 hour before", "standup at start", "fixed at start"])
        #expect(harness.sink.reminders[1]["DUE_AT"] == "2030-01-01T12:00:00+01:00")

        // Back to UTC at 12:45: the stand-up's 12:00 is now 13:00, ahead of the clock again. Its reminders were
        // sent (same REMINDER_KEY), so nothing is due any more.
        zone.withLock { $0 = .utc }
        harness.advance(to: wall("2030-01-01T12:45:00Z"))
        #expect(harness.changeZone() == nil)
        #expect(harness.sink.reminders.count == 3)
        harness.stop()
    }

    /// Europe/Paris springs forward on 2030-03-31 (02:00 → 03:00) and falls back on 2030-10-27 (03:00 → 02:00).
    /// All-day milestones come due at all_day_time 02:30, which does not exist on the first day and happens twice
    /// on the second; a timed milestone sits at 02:30 on the second. RFC 5545: a skipped time moves forward by
    /// the gap, a repeated time is the first; "1 day before" keeps the local time, minutes are exact. Each fires
    /// once, on time, in order, though the clock runs through both transitions.
    @Test func dstGapsAndOverlapsFireOnceAtTheRFC5545Instant() throws {
        let config = """
            [defaults]
            timezone = "Europe/Paris"
            all_day_time = "02:30"
            reminders = ["1 day before", "at start"]
            [[milestone]]
            id = "spring-all-day"
            title = "Spring"
            start = 2030-03-31
            [[milestone]]
            id = "autumn-all-day"
            title = "Autumn"
            start = 2030-10-27
            [[milestone]]
            id = "autumn-timed"
            title = "Autumn timed"
            start = 2030-10-27T02:30:00
            reminders = ["1 day before", "90 minutes before", "at start", "30 minutes after"]
            """
        let harness = SchedulerHarness(now: wall("2030-03-29T00:00:00Z"), config: config)
        let first = try harness.start()
        _ = first
        let last = harness.run(through: wall("2030-12-31T00:00:00Z"))
        #expect(last == nil)
        let fired = harness.sink.reminders.map { "\($0["MILESTONE_ID"]!) \($0["REMINDER"]!) \($0["DUE_AT"]!)" }
        #expect(
            fired == [
                "spring-all-day 1 day before 2030-03-30T02:30:00+01:00",
                // 02:30 does not exist: 03:30 CEST, the same instant as 02:30 CET.
                "spring-all-day at start 2030-03-31T03:30:00+02:00",
                "autumn-all-day 1 day before 2030-10-26T02:30:00+02:00",
                "autumn-timed 1 day before 2030-10-26T02:30:00+02:00",
                "autumn-timed 90 minutes before 2030-10-27T01:00:00+02:00",
                // 02:30 happens twice: the first, in CEST.
                "autumn-all-day at start 2030-10-27T02:30:00+02:00",
                "autumn-timed at start 2030-10-27T02:30:00+02:00",
                // 30 exact minutes later the clock has fallen back: 02:00 CET.
                "autumn-timed 30 minutes after 2030-10-27T02:00:00+01:00",
            ]
        )
        #expect(harness.sink.reminders.allSatisfy { $0["LATENESS_USEC"] == "0" && $0["CAUGHT_UP"] == nil })
        harness.stop()
    }
}
