import DaemonTesting
import Foundation
import Testing
import Timeline

@testable import Daemon

let threeMilestones = """
    [defaults]
    reminders = ["at start", "1 hour before"]
    [[milestone]]
    id = "b"
    title = "B"
    start = 2030-01-01T12:00:00Z
    [[milestone]]
    id = "a"
    title = "A"
    start = 2030-01-01T12:00:00Z
    [[milestone]]
    id = "c"
    title = "C"
    start = 2030-01-01T14:00:00Z
    """

@Suite("Scheduler")
struct SchedulerTests {
    @Test func sleepsUntilTheNextDueInstantAndFiresTiesInStableOrder() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        let first = try harness.start()
        #expect(first == wall("2030-01-01T11:00:00Z"))
        #expect(harness.sink.reminders.isEmpty)

        let next = harness.advance(to: wall("2030-01-01T11:00:00Z"))
        #expect(harness.sink.reminderNames == ["b 1 hour before", "a 1 hour before"])
        #expect(next == wall("2030-01-01T12:00:00Z"))

        harness.advance(to: wall("2030-01-01T12:00:00.000300Z"))
        #expect(harness.sink.reminderNames.suffix(2) == ["b at start", "a at start"])
        let entry = harness.sink.reminders.last!
        #expect(entry["LATENESS_USEC"] == "300")
        #expect(entry["DUE_AT"] == "2030-01-01T12:00:00+00:00")
        #expect(entry["MESSAGE_ID"] == MessageID.reminderDue)
        #expect(entry["CAUGHT_UP"] == nil)
        #expect(entry["REMINDER_KEY"] == "a|2030-01-01T12:00:00|at start")
        harness.stop()
    }

    @Test func firstStartSendsNothingFromThePast() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T13:00:00Z"), config: threeMilestones)
        let first = try harness.start()
        #expect(harness.sink.reminders.isEmpty)
        // "c 1 hour before" is due in the very second of the first start: that is not sent either.
        #expect(first == wall("2030-01-01T14:00:00Z"))
        harness.stop()
    }

    @Test func clockSteppedForwardFiresSkippedRemindersOnceInOrderMarkedLate() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        try harness.start()
        let next = harness.step(to: wall("2030-01-01T13:30:00Z"))
        #expect(
            harness.sink.reminderNames == [
                "b 1 hour before", "a 1 hour before", "b at start", "a at start", "c 1 hour before",
            ]
        )
        #expect(harness.sink.reminders.allSatisfy { $0["CAUGHT_UP"] == "1" })
        #expect(harness.sink.reminders[0]["LATENESS_USEC"] == String(Int64(2.5 * 3600) * 1_000_000))
        #expect(next == wall("2030-01-01T14:00:00Z"))
        harness.stop()
    }

    @Test func clockSteppedBackwardSendsNothingTwice() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        try harness.start()
        harness.advance(to: wall("2030-01-01T12:00:00Z"))
        #expect(harness.sink.reminders.count == 4)
        // Back to 09:00: the reminders of 11:00 and 12:00 are not due again; the next deadline stays 13:00.
        let next = harness.step(to: wall("2030-01-01T09:00:00Z"))
        #expect(next == wall("2030-01-01T13:00:00Z"))
        #expect(harness.sink.reminders.count == 4)
        harness.advance(to: wall("2030-01-01T13:00:00Z"))
        #expect(harness.sink.reminderNames.last == "c 1 hour before")
        #expect(harness.sink.reminders.count == 5)
        harness.stop()
    }

    @Test func restartSendsNothingTwiceAndCatchesUpWhatCameDueMeanwhile() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        harness.stop()
        #expect(harness.sink.reminders.count == 2)

        // Down from 11:00 to 13:30: "at start" of a and b and "1 hour before" of c came due meanwhile.
        harness.clock.time = wall("2030-01-01T13:30:00Z")
        let next = try harness.start()
        #expect(
            harness.sink.reminderNames == [
                "b 1 hour before", "a 1 hour before", "b at start", "a at start", "c 1 hour before",
            ]
        )
        let caughtUp = harness.sink.reminders.suffix(3)
        #expect(caughtUp.allSatisfy { $0["CAUGHT_UP"] == "1" && $0["MESSAGE_ID"] == MessageID.reminderCaughtUp })
        #expect(next == wall("2030-01-01T14:00:00Z"))
        harness.stop()

        // A third start at the same instant sends nothing again.
        try harness.start()
        #expect(harness.sink.reminders.count == 5)
        harness.stop()
    }

    @Test func remindersOlderThanTheCatchUpWindowAreSummarizedNotSent() throws {
        let config = """
            [defaults]
            catch_up_window = "2 days"
            reminders = ["at start"]
            [[milestone]]
            id = "old"
            title = "Old"
            start = 2030-01-02T00:00:00Z
            [[milestone]]
            id = "recent"
            title = "Recent"
            start = 2030-01-09T00:00:00Z
            [[milestone]]
            id = "future"
            title = "Future"
            start = 2030-02-01T00:00:00Z
            """
        let harness = SchedulerHarness(now: wall("2030-01-01T00:00:00Z"), config: config)
        try harness.start()
        harness.stop()
        // A suspend (or downtime) of ten days.
        harness.clock.time = wall("2030-01-10T00:00:00Z")
        let next = try harness.start()
        #expect(harness.sink.reminderNames == ["recent at start"])
        let summary = harness.sink.entries.first { $0["MESSAGE_ID"] == MessageID.remindersMissed }
        #expect(summary?["MISSED_COUNT"] == "1")
        #expect(summary?["MISSED_MILESTONES"] == "old")
        #expect(next == wall("2030-02-01T00:00:00Z"))
        harness.stop()
    }

    @Test func reloadMidWaitTakesTheNewTimelineAndBadConfigKeepsTheOld() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        let first = try harness.start()
        #expect(first == wall("2030-01-01T11:00:00Z"))

        harness.setConfig(
            threeMilestones
                + "\n[[milestone]]\nid = \"d\"\ntitle = \"D\"\nstart = 2030-01-01T10:30:00Z\nreminders = [\"at start\"]\n"
        )
        let afterReload = harness.reload()
        #expect(afterReload == wall("2030-01-01T10:30:00Z"))

        harness.setConfig("[[milestone]]\nid = \"broken\"\ntitle = 5\n")
        let afterBadReload = harness.reload()
        #expect(afterBadReload == wall("2030-01-01T10:30:00Z"))
        #expect(harness.scheduler!.lastStatus.hasPrefix("reload failed: 2 errors (first: t.toml:1:1)"))
        #expect(harness.logs.all.contains { $0.contains("reload failed: t.toml:3:9: error: milestone[0].title") })

        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        #expect(harness.sink.reminderNames == ["d at start", "b 1 hour before", "a 1 hour before"])
        harness.stop()
    }

    @Test func reloadKeepsTheStateOfUnchangedMilestones() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        let next = harness.reload()
        #expect(next == wall("2030-01-01T12:00:00Z"))
        #expect(harness.sink.reminders.count == 2)
        harness.stop()
    }

    @Test func zoneChangeReloadsTheTimeline() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        try harness.start()
        harness.changeZone()
        #expect(harness.logs.all.contains { $0.contains("time zone changed") })
        harness.stop()
    }

    @Test func corruptStateIsReportedAndDoesNotStopTheDaemon() throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.path
        try Data("this is not a state file\n".utf8).write(to: URL(fileURLWithPath: directory + "/state"))
        let harness = SchedulerHarness(
            now: wall("2030-01-01T10:00:00Z"),
            config: threeMilestones,
            stateDirectory: directory
        )
        let first = try harness.start()
        #expect(first == wall("2030-01-01T11:00:00Z"))
        #expect(harness.logs.all.filter { $0.hasPrefix("error") }.count == 1)
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        #expect(harness.sink.reminders.count == 2)
        harness.stop()
        let state = try String(contentsOfFile: directory + "/state", encoding: .utf8)
        #expect(state.hasPrefix("sse-timeline-state 1\nwatermark \(wall("2030-01-01T11:00:00Z").seconds)"))
    }
}

@Suite("Scheduler reload")
struct SchedulerReloadTests {
    @Test func milestoneAddedWithPastRemindersDoesNotSendThem() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        try harness.start()
        // Twenty minutes later, a milestone is added whose reminder came due ten minutes ago.
        harness.step(to: wall("2030-01-01T10:20:00Z"))
        harness.setConfig(
            threeMilestones
                + "\n[[milestone]]\nid = \"e\"\ntitle = \"E\"\nstart = 2030-01-01T10:10:00Z\nreminders = [\"at start\"]\n"
        )
        let next = harness.reload()
        #expect(next == wall("2030-01-01T11:00:00Z"))
        #expect(harness.sink.reminders.isEmpty)
        harness.stop()
    }
}
