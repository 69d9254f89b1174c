import DaemonTesting
import Testing
import Timeline

@testable import Daemon

let followUpTimeline = """
    [[milestone]]
    id = "exam"
    title = "Exam"
    start = 2030-01-01T12:00:00Z
    reminders = ["1 hour before", "at start"]
    """
let examHourBefore = "exam|2030-01-01T12:00:00|1 hour before"
let examAtStart = "exam|2030-01-01T12:00:00|at start"

/// Snooze and dismiss on the manual clock: what is written when, what the scheduler answers, and what survives a
/// restart or a crash.
@Suite("Scheduler follow-ups")
struct SchedulerFollowUpTests {
    func entries(_ harness: SchedulerHarness, _ id: String) -> [JournalEntry] {
        harness.sink.entries.filter { $0["MESSAGE_ID"] == id }
    }

    @Test func snoozedReminderComesBackOnceAfterTheDuration() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: followUpTimeline)
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        #expect(harness.sink.reminderNames == ["exam 1 hour before"])

        harness.clock.time = wall("2030-01-01T11:00:30.5Z")
        // Rounded up to the whole second: never back before the time asked.
        #expect(try harness.snooze(key: examHourBefore, for: .seconds(600)) == wall("2030-01-01T11:10:31Z"))
        let snoozed = try #require(entries(harness, MessageID.reminderSnoozed).first)
        #expect(snoozed["REMINDER_KEY"] == examHourBefore)
        #expect(snoozed["SNOOZED_UNTIL"] == "2030-01-01T11:10:31+00:00")
        #expect(snoozed["SNOOZE_USEC"] == "600000000")
        #expect(snoozed.message == "Reminder snoozed until 2030-01-01T11:10:31+00:00: Exam (1 hour before).")

        harness.advance(to: wall("2030-01-01T11:10:30Z"))
        #expect(entries(harness, MessageID.reminderReturned).isEmpty)
        let next = harness.advance(to: wall("2030-01-01T11:10:31Z"))
        let back = try #require(entries(harness, MessageID.reminderReturned).first)
        #expect(back["REMINDER_KEY"] == examHourBefore)
        #expect(back["MILESTONE_ID"] == "exam")
        #expect(back["DUE_AT"] == "2030-01-01T11:00:00+00:00")
        #expect(back["LATENESS_USEC"] == "0")
        #expect(back["RETURN_KEY"] == "\(examHourBefore)@\(wall("2030-01-01T11:10:31Z").seconds)")
        #expect(back.message?.hasSuffix("Back after a snooze (until 2030-01-01T11:10:31+00:00).") == true)
        #expect(next == wall("2030-01-01T12:00:00Z"))

        harness.run(through: wall("2030-01-01T13:00:00Z"))
        #expect(entries(harness, MessageID.reminderReturned).count == 1)
        #expect(harness.sink.reminderNames == ["exam 1 hour before", "exam at start"])
        harness.stop()
    }

    @Test func aSnoozeSurvivesARestartAndAKillAndComesBackOnce() throws {
        let directory = TemporaryDirectory()
        let harness = SchedulerHarness(
            now: wall("2030-01-01T10:00:00Z"),
            config: followUpTimeline,
            stateDirectory: directory.path
        )
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        try harness.snooze(key: examHourBefore, for: .seconds(1800))
        // kill -9 right after the snooze: the state has it (record, then snapshot).
        harness.crash()

        harness.clock.time = wall("2030-01-01T11:05:00Z")
        #expect(try harness.start() == wall("2030-01-01T11:30:00Z"))
        harness.stop()
        // A clean restart too.
        harness.clock.time = wall("2030-01-01T11:10:00Z")
        #expect(try harness.start() == wall("2030-01-01T11:30:00Z"))
        harness.advance(to: wall("2030-01-01T11:30:00Z"))
        #expect(entries(harness, MessageID.reminderReturned).count == 1)
        harness.crash()
        harness.clock.time = wall("2030-01-01T11:31:00Z")
        #expect(try harness.start() == wall("2030-01-01T12:00:00Z"))
        #expect(entries(harness, MessageID.reminderReturned).count == 1)
        harness.stop()
    }

    @Test func aSnoozeDueWhileStoppedComesBackAtStartMarkedCaughtUp() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: followUpTimeline)
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        try harness.snooze(key: examHourBefore, for: .seconds(300))
        harness.stop()
        harness.clock.time = wall("2030-01-01T11:20:00Z")
        try harness.start()
        let back = try #require(entries(harness, MessageID.reminderReturned).first)
        #expect(back["CAUGHT_UP"] == "1")
        #expect(back["LATENESS_USEC"] == String(15 * 60 * 1_000_000))
        harness.stop()
    }

    @Test func aReturnAlreadyInTheJournalIsNotWrittenAgainAfterACrash() throws {
        let directory = TemporaryDirectory()
        let harness = SchedulerHarness(
            now: wall("2030-01-01T10:00:00Z"),
            config: followUpTimeline,
            stateDirectory: directory.path
        )
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        try harness.snooze(key: examHourBefore, for: .seconds(600))
        harness.crash()
        // The process wrote the return into the journal and was killed before recording it: at the next start
        // the journal says so.
        let until = wall("2030-01-01T11:10:00Z").seconds
        var asked: [(String, [String])] = []
        var environment = harness.environment()
        environment.journalValues = { field, ids, _ in
            asked.append((field, ids))
            return field == "RETURN_KEY" ? ["\(examHourBefore)@\(until)"] : []
        }
        harness.clock.time = wall("2030-01-01T11:10:00.2Z")
        #expect(try harness.start(environment: environment) == wall("2030-01-01T12:00:00Z"))
        #expect(entries(harness, MessageID.reminderReturned).isEmpty)
        #expect(asked.map(\.0) == ["REMINDER_KEY", "RETURN_KEY"])
        #expect(asked.map(\.1) == [MessageID.reminderIDs, [MessageID.reminderReturned]])
        harness.stop()
    }

    @Test func dismissEndsASnooze() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: followUpTimeline)
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        try harness.snooze(key: examHourBefore, for: .seconds(600))
        #expect(try harness.dismiss(key: examHourBefore) == wall("2030-01-01T12:00:00Z"))
        let dismissed = try #require(entries(harness, MessageID.reminderDismissed).first)
        #expect(dismissed["REMINDER_KEY"] == examHourBefore)
        #expect(dismissed["DISMISSED_AHEAD"] == nil)
        harness.run(through: wall("2030-01-01T12:30:00Z"))
        #expect(entries(harness, MessageID.reminderReturned).isEmpty)
        harness.stop()
        #expect(try StateStore(directory: harness.stateDirectory).load().followUps.isEmpty)
    }

    @Test func aReminderDismissedBeforeItIsDueIsNotSentAlsoAfterARestart() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: followUpTimeline)
        try harness.start()
        try harness.dismiss(key: examAtStart)
        let dismissed = try #require(entries(harness, MessageID.reminderDismissed).first)
        #expect(dismissed["DISMISSED_AHEAD"] == "1")
        #expect(
            try StateStore(directory: harness.stateDirectory).load().followUps.dismissedAhead
                == [examAtStart: wall("2030-01-01T12:00:00Z").seconds]
        )
        harness.crash()
        try harness.start()
        harness.run(through: wall("2030-01-01T13:00:00Z"))
        #expect(harness.sink.reminderNames == ["exam 1 hour before"])
        // Once its instant has passed, the dismissal is no longer kept.
        #expect(try StateStore(directory: harness.stateDirectory).load().followUps.isEmpty)
        harness.stop()
    }

    @Test func snoozingAnUpcomingReminderHoldsItBackUntilTheSnoozeEnds() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T11:55:00Z"), config: followUpTimeline)
        try harness.start()
        #expect(throws: FollowUpError.self) { try harness.snooze(key: examAtStart, for: .seconds(120)) }
        // The answer is still its due instant, when the scheduler wakes to hold it back.
        #expect(try harness.snooze(key: examAtStart, for: .seconds(600)) == wall("2030-01-01T12:00:00Z"))
        #expect(harness.advance(to: wall("2030-01-01T12:00:00Z")) == wall("2030-01-01T12:05:00Z"))
        #expect(harness.sink.reminders.isEmpty)
        harness.run(through: wall("2030-01-01T12:04:59Z"))
        #expect(harness.sink.reminders.isEmpty)
        harness.advance(to: wall("2030-01-01T12:05:00Z"))
        let back = try #require(entries(harness, MessageID.reminderReturned).first)
        #expect(back["REMINDER_KEY"] == examAtStart)
        #expect(back["DUE_AT"] == "2030-01-01T12:00:00+00:00")
        harness.stop()
    }

    @Test(arguments: [
        ("nope|2030-01-01T12:00:00|at start", Duration.seconds(60), "UnknownKey"),
        ("exam|2030-01-01T13:00:00|at start", Duration.seconds(60), "UnknownKey"),
        ("exam|2030-01-01T12:00:00|2 hours before", Duration.seconds(60), "UnknownKey"),
        (examHourBefore, Duration.zero, "InvalidDuration"),
        (examHourBefore, Duration.seconds(367 * 86400), "InvalidDuration"),
    ])
    func refusesUnknownKeysAndDurationsOutOfRange(key: String, duration: Duration, name: String) throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T11:30:00Z"), config: followUpTimeline)
        try harness.start()
        do {
            try harness.snooze(key: key, for: duration)
            Issue.record("snoozed \(key) for \(duration)")
        } catch {
            #expect(error.name == name)
            if name == "UnknownKey" { #expect(error.description.contains("sse-timeline pending")) }
        }
        #expect(harness.sink.entries.allSatisfy { $0["MESSAGE_ID"] != MessageID.reminderSnoozed })
        harness.stop()
    }

    @Test func pendingListsUpcomingAndSnoozedInOrderWithoutDismissed() throws {
        let timeline =
            followUpTimeline + """

                [[milestone]]
                id = "later"
                title = "Later"
                start = 2030-01-02T12:00:00Z
                reminders = ["at start"]
                """
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: timeline)
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        try harness.snooze(key: examHourBefore, for: .seconds(7200))
        try harness.dismiss(key: examAtStart)
        let scheduler = try #require(harness.scheduler)
        let pending = scheduler.pending(limit: 10)
        #expect(pending.map(\.key) == [examHourBefore, "later|2030-01-02T12:00:00|at start"])
        #expect(pending.map(\.state) == [.snoozed, .upcoming])
        #expect(pending[0].due == wall("2030-01-01T13:00:00Z"))
        #expect(pending[0].originalDue == wall("2030-01-01T11:00:00Z"))
        #expect(pending[1].title == "Later")
        #expect(scheduler.pending(limit: 1).count == 1)
        harness.stop()
    }
}
