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
    @Test func sleepsUntilTheNextDueInstantAndFiresTiesInStableOrder() async throws {
        let harness = SchedulerHarness(now: "2030-01-01T10:00:00Z", config: threeMilestones)
        let scheduler = harness.makeScheduler()
        let (task, first) = try await harness.start(scheduler)
        #expect(first == wall("2030-01-01T11:00:00Z"))
        #expect(harness.sink.reminders.isEmpty)

        let next = try await harness.advance(to: "2030-01-01T11:00:00Z")
        #expect(harness.sink.reminderNames == ["b 1 hour before", "a 1 hour before"])
        #expect(next == wall("2030-01-01T12:00:00Z"))

        try await harness.advance(to: "2030-01-01T12:00:00.000300Z")
        #expect(harness.sink.reminderNames.suffix(2) == ["b at start", "a at start"])
        let entry = harness.sink.reminders.last!
        #expect(entry["LATENESS_USEC"] == "300")
        #expect(entry["DUE_AT"] == "2030-01-01T12:00:00+00:00")
        #expect(entry["MESSAGE_ID"] == MessageID.reminderDue)
        #expect(entry["CAUGHT_UP"] == nil)
        #expect(entry["REMINDER_KEY"] == "a|2030-01-01T12:00:00|at start")
        try await harness.stop(scheduler, task)
    }

    @Test func firstStartSendsNothingFromThePast() async throws {
        let harness = SchedulerHarness(now: "2030-01-01T13:00:00Z", config: threeMilestones)
        let scheduler = harness.makeScheduler()
        let (task, first) = try await harness.start(scheduler)
        #expect(harness.sink.reminders.isEmpty)
        // "c 1 hour before" is due in the very second of the first start: that is not sent either.
        #expect(first == wall("2030-01-01T14:00:00Z"))
        try await harness.stop(scheduler, task)
    }

    @Test func clockSteppedForwardFiresSkippedRemindersOnceInOrderMarkedLate() async throws {
        let harness = SchedulerHarness(now: "2030-01-01T10:00:00Z", config: threeMilestones)
        let scheduler = harness.makeScheduler()
        let (task, _) = try await harness.start(scheduler)
        let next = try await harness.step(to: "2030-01-01T13:30:00Z")
        #expect(
            harness.sink.reminderNames == [
                "b 1 hour before", "a 1 hour before", "b at start", "a at start", "c 1 hour before",
            ]
        )
        #expect(harness.sink.reminders.allSatisfy { $0["CAUGHT_UP"] == "1" })
        #expect(harness.sink.reminders[0]["LATENESS_USEC"] == String(Int64(2.5 * 3600) * 1_000_000))
        #expect(next == wall("2030-01-01T14:00:00Z"))
        try await harness.stop(scheduler, task)
    }

    @Test func clockSteppedBackwardSendsNothingTwice() async throws {
        let harness = SchedulerHarness(now: "2030-01-01T10:00:00Z", config: threeMilestones)
        let scheduler = harness.makeScheduler()
        let (task, _) = try await harness.start(scheduler)
        try await harness.advance(to: "2030-01-01T12:00:00Z")
        #expect(harness.sink.reminders.count == 4)
        // Back to 09:00: the reminders of 11:00 and 12:00 are not due again; the next deadline stays 13:00.
        let next = try await harness.step(to: "2030-01-01T09:00:00Z")
        #expect(next == wall("2030-01-01T13:00:00Z"))
        #expect(harness.sink.reminders.count == 4)
        try await harness.advance(to: "2030-01-01T13:00:00Z")
        #expect(harness.sink.reminderNames.last == "c 1 hour before")
        #expect(harness.sink.reminders.count == 5)
        try await harness.stop(scheduler, task)
    }

    @Test func restartSendsNothingTwiceAndCatchesUpWhatCameDueMeanwhile() async throws {
        let harness = SchedulerHarness(now: "2030-01-01T10:00:00Z", config: threeMilestones)
        let first = harness.makeScheduler()
        let (task, _) = try await harness.start(first)
        try await harness.advance(to: "2030-01-01T11:00:00Z")
        try await harness.stop(first, task)
        #expect(harness.sink.reminders.count == 2)

        // Down from 11:00 to 13:30: "at start" of a and b and "1 hour before" of c came due meanwhile.
        harness.clock.step(to: wall("2030-01-01T13:30:00Z"))
        let second = harness.makeScheduler()
        let (task2, next) = try await harness.start(second)
        #expect(
            harness.sink.reminderNames == [
                "b 1 hour before", "a 1 hour before", "b at start", "a at start", "c 1 hour before",
            ]
        )
        let caughtUp = harness.sink.reminders.suffix(3)
        #expect(caughtUp.allSatisfy { $0["CAUGHT_UP"] == "1" && $0["MESSAGE_ID"] == MessageID.reminderCaughtUp })
        #expect(next == wall("2030-01-01T14:00:00Z"))
        try await harness.stop(second, task2)

        // A third start at the same instant sends nothing again.
        let third = harness.makeScheduler()
        let (task3, _) = try await harness.start(third)
        #expect(harness.sink.reminders.count == 5)
        try await harness.stop(third, task3)
    }

    @Test func remindersOlderThanTheCatchUpWindowAreSummarizedNotSent() async throws {
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
        let harness = SchedulerHarness(now: "2030-01-01T00:00:00Z", config: config)
        let first = harness.makeScheduler()
        let (task, _) = try await harness.start(first)
        try await harness.stop(first, task)
        // A suspend (or downtime) of ten days.
        harness.clock.step(to: wall("2030-01-10T00:00:00Z"))
        let second = harness.makeScheduler()
        let (task2, next) = try await harness.start(second)
        #expect(harness.sink.reminderNames == ["recent at start"])
        let summary = harness.sink.entries.first { $0["MESSAGE_ID"] == MessageID.remindersMissed }
        #expect(summary?["MISSED_COUNT"] == "1")
        #expect(summary?["MISSED_MILESTONES"] == "old")
        #expect(next == wall("2030-02-01T00:00:00Z"))
        try await harness.stop(second, task2)
    }

    @Test func reloadMidWaitTakesTheNewTimelineAndBadConfigKeepsTheOld() async throws {
        let harness = SchedulerHarness(now: "2030-01-01T10:00:00Z", config: threeMilestones)
        let scheduler = harness.makeScheduler()
        let (task, first) = try await harness.start(scheduler)
        #expect(first == wall("2030-01-01T11:00:00Z"))
        #expect(harness.afterLoadCount.load(ordering: .relaxed) == 1)

        harness.setConfig(
            threeMilestones
                + "\n[[milestone]]\nid = \"d\"\ntitle = \"D\"\nstart = 2030-01-01T10:30:00Z\nreminders = [\"at start\"]\n"
        )
        var before = harness.clock.sleepCount
        scheduler.requestReload()
        let afterReload = try await harness.nextSleep(after: before)
        #expect(afterReload == wall("2030-01-01T10:30:00Z"))

        harness.setConfig("[[milestone]]\nid = \"broken\"\ntitle = 5\n")
        before = harness.clock.sleepCount
        scheduler.requestReload()
        let afterBadReload = try await harness.nextSleep(after: before)
        #expect(afterBadReload == wall("2030-01-01T10:30:00Z"))
        #expect(await scheduler.lastStatus.hasPrefix("reload failed: 2 errors (first: t.toml:1:1)"))
        #expect(harness.logs.all.contains { $0.contains("reload failed: t.toml:3:9: error: milestone[0].title") })
        // The loading code's pages are given back after every load, good or bad.
        #expect(harness.afterLoadCount.load(ordering: .relaxed) == 3)

        try await harness.advance(to: "2030-01-01T11:00:00Z")
        #expect(harness.sink.reminderNames == ["d at start", "b 1 hour before", "a 1 hour before"])
        try await harness.stop(scheduler, task)
    }

    @Test func reloadKeepsTheStateOfUnchangedMilestones() async throws {
        let harness = SchedulerHarness(now: "2030-01-01T10:00:00Z", config: threeMilestones)
        let scheduler = harness.makeScheduler()
        let (task, _) = try await harness.start(scheduler)
        try await harness.advance(to: "2030-01-01T11:00:00Z")
        let before = harness.clock.sleepCount
        scheduler.requestReload()
        let next = try await harness.nextSleep(after: before)
        #expect(next == wall("2030-01-01T12:00:00Z"))
        #expect(harness.sink.reminders.count == 2)
        try await harness.stop(scheduler, task)
    }

    @Test func zoneChangeReloadsTheTimeline() async throws {
        let harness = SchedulerHarness(now: "2030-01-01T10:00:00Z", config: threeMilestones)
        let scheduler = harness.makeScheduler()
        let (task, _) = try await harness.start(scheduler)
        let before = harness.clock.sleepCount
        harness.clock.changeZone()
        _ = try await harness.nextSleep(after: before)
        #expect(harness.logs.all.contains { $0.contains("time zone changed") })
        try await harness.stop(scheduler, task)
    }

    @Test func watchdogPingsAtHalfTheIntervalWhenIdle() async throws {
        let harness = SchedulerHarness(now: "2030-01-01T10:00:00Z", config: threeMilestones)
        let scheduler = harness.makeScheduler(watchdog: WatchdogSettings(timeoutMicroseconds: 20_000_000))
        let (task, first) = try await harness.start(scheduler)
        #expect(first == wall("2030-01-01T10:00:10Z"))
        let next = try await harness.advance(to: "2030-01-01T10:00:10Z")
        #expect(next == wall("2030-01-01T10:00:20Z"))
        try await harness.stop(scheduler, task)
    }

    @Test func corruptStateIsReportedAndDoesNotStopTheDaemon() async throws {
        let directory = SchedulerHarness.temporaryDirectory()
        try Data("this is not a state file\n".utf8).write(to: URL(fileURLWithPath: directory + "/state"))
        let harness = SchedulerHarness(now: "2030-01-01T10:00:00Z", config: threeMilestones, stateDirectory: directory)
        let scheduler = harness.makeScheduler()
        let (task, first) = try await harness.start(scheduler)
        #expect(first == wall("2030-01-01T11:00:00Z"))
        #expect(harness.logs.all.filter { $0.hasPrefix("error") }.count == 1)
        try await harness.advance(to: "2030-01-01T11:00:00Z")
        #expect(harness.sink.reminders.count == 2)
        try await harness.stop(scheduler, task)
        let state = try String(contentsOfFile: directory + "/state", encoding: .utf8)
        #expect(state.hasPrefix("sse-timeline-state 1\nwatermark \(wall("2030-01-01T11:00:00Z").seconds)"))
    }
}

@Suite("Scheduler reload")
struct SchedulerReloadTests {
    @Test func milestoneAddedWithPastRemindersDoesNotSendThem() async throws {
        let harness = SchedulerHarness(now: "2030-01-01T10:00:00Z", config: threeMilestones)
        let scheduler = harness.makeScheduler()
        let (task, _) = try await harness.start(scheduler)
        // Twenty minutes later, a milestone is added whose reminder came due ten minutes ago.
        try await harness.step(to: "2030-01-01T10:20:00Z")
        harness.setConfig(
            threeMilestones
                + "\n[[milestone]]\nid = \"e\"\ntitle = \"E\"\nstart = 2030-01-01T10:10:00Z\nreminders = [\"at start\"]\n"
        )
        let before = harness.clock.sleepCount
        scheduler.requestReload()
        let next = try await harness.nextSleep(after: before)
        #expect(next == wall("2030-01-01T11:00:00Z"))
        #expect(harness.sink.reminders.isEmpty)
        try await harness.stop(scheduler, task)
    }
}
