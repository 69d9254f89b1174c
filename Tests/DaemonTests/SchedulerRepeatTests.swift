import DaemonTesting
import Testing
import Timeline

@testable import Daemon

let naggingTimeline = """
    [[milestone]]
    id = "exam"
    title = "Exam"
    start = 2030-01-01T12:00:00Z
    reminders = [{ at = "1 hour before", repeat = { every = "5 minutes", times = 3 } }, "at start"]
    """
let naggingKey = "exam|2030-01-01T12:00:00|1 hour before"

/// Nagging repeats on the manual clock: when they come, what ends them, and what survives a restart or a crash.
@Suite("Scheduler repeats")
struct SchedulerRepeatTests {
    func repeats(_ harness: SchedulerHarness) -> [JournalEntry] {
        harness.sink.entries.filter { $0["MESSAGE_ID"] == MessageID.reminderRepeated }
    }

    @Test func aNaggingReminderRepeatsEveryIntervalTheGivenNumberOfTimes() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: naggingTimeline)
        try harness.start()
        #expect(harness.advance(to: wall("2030-01-01T11:00:00Z")) == wall("2030-01-01T11:05:00Z"))
        #expect(repeats(harness).isEmpty)
        harness.advance(to: wall("2030-01-01T11:04:59Z"))
        #expect(repeats(harness).isEmpty)
        #expect(harness.advance(to: wall("2030-01-01T11:05:00Z")) == wall("2030-01-01T11:10:00Z"))
        let first = try #require(repeats(harness).first)
        #expect(first["REMINDER_KEY"] == naggingKey)
        #expect(first["REPEAT_KEY"] == "\(naggingKey)@\(wall("2030-01-01T11:05:00Z").seconds)")
        #expect(first["REPEATS_LEFT"] == "2")
        #expect(first["DUE_AT"] == "2030-01-01T11:00:00+00:00")
        #expect(first["LATENESS_USEC"] == "0")
        #expect(
            first.message
                == "Exam starts in 1 hour (2030-01-01T12:00:00+00:00). Repeated: 2 more repeats unless dismissed."
        )
        harness.run(through: wall("2030-01-01T13:00:00Z"))
        #expect(repeats(harness).map { $0["REPEATS_LEFT"] } == ["2", "1", "0"])
        #expect(repeats(harness).last?.message?.hasSuffix("Repeated: the last repeat.") == true)
        // The reminder itself once, its repeats apart from the reminders.
        #expect(harness.sink.reminderNames == ["exam 1 hour before", "exam at start"])
        harness.stop()
        #expect(try StateStore(directory: harness.stateDirectory).load().followUps.isEmpty)
    }

    @Test func aDismissalEndsTheRepeats() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: naggingTimeline)
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        harness.advance(to: wall("2030-01-01T11:05:00Z"))
        #expect(repeats(harness).count == 1)
        harness.clock.time = wall("2030-01-01T11:06:00Z")
        #expect(try harness.dismiss(key: naggingKey) == wall("2030-01-01T12:00:00Z"))
        harness.run(through: wall("2030-01-01T13:00:00Z"))
        #expect(repeats(harness).count == 1)
        harness.stop()
    }

    @Test func aSnoozeEndsTheRepeatsAndTheReturnNagsAgain() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: naggingTimeline)
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        harness.clock.time = wall("2030-01-01T11:01:00Z")
        #expect(try harness.snooze(key: naggingKey, for: .seconds(1200)) == wall("2030-01-01T11:21:00Z"))
        harness.run(through: wall("2030-01-01T11:20:59Z"))
        #expect(repeats(harness).isEmpty)
        #expect(harness.advance(to: wall("2030-01-01T11:21:00Z")) == wall("2030-01-01T11:26:00Z"))
        let returned = harness.sink.entries.filter { $0["MESSAGE_ID"] == MessageID.reminderReturned }
        #expect(returned.count == 1)
        harness.run(through: wall("2030-01-01T11:40:00Z"))
        #expect(
            repeats(harness).map { $0["REPEAT_KEY"] } == [
                "\(naggingKey)@\(wall("2030-01-01T11:26:00Z").seconds)",
                "\(naggingKey)@\(wall("2030-01-01T11:31:00Z").seconds)",
                "\(naggingKey)@\(wall("2030-01-01T11:36:00Z").seconds)",
            ]
        )
        harness.stop()
    }

    @Test func repeatsSurviveAKillAndAreNeitherLostNorDoubled() throws {
        let directory = TemporaryDirectory()
        let harness = SchedulerHarness(
            now: wall("2030-01-01T10:00:00Z"),
            config: naggingTimeline,
            stateDirectory: directory.path
        )
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        // kill -9 right after the reminder: its key and the start of its repeats went out in one write.
        harness.crash()
        #expect(
            try StateStore(directory: directory.path).load().followUps.repeating[naggingKey]?.next
                == wall("2030-01-01T11:05:00Z").seconds
        )
        harness.clock.time = wall("2030-01-01T11:02:00Z")
        #expect(try harness.start() == wall("2030-01-01T11:05:00Z"))
        harness.advance(to: wall("2030-01-01T11:05:00Z"))
        harness.crash()
        harness.clock.time = wall("2030-01-01T11:06:00Z")
        #expect(try harness.start() == wall("2030-01-01T11:10:00Z"))
        harness.run(through: wall("2030-01-01T11:30:00Z"))
        #expect(repeats(harness).map { $0["REPEATS_LEFT"] } == ["2", "1", "0"])
        harness.stop()
    }

    @Test func aRepeatAlreadyInTheJournalIsNotWrittenAgainAfterACrash() throws {
        let directory = TemporaryDirectory()
        let harness = SchedulerHarness(
            now: wall("2030-01-01T10:00:00Z"),
            config: naggingTimeline,
            stateDirectory: directory.path
        )
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        harness.crash()
        // The process wrote the repeat due at 11:05 into the journal and was killed before recording it.
        let due = wall("2030-01-01T11:05:00Z").seconds
        var environment = harness.environment()
        environment.journalValues = { field, ids, _ in
            field == "REPEAT_KEY" && ids == [MessageID.reminderRepeated] ? ["\(naggingKey)@\(due)"] : []
        }
        harness.clock.time = wall("2030-01-01T11:05:00.3Z")
        #expect(try harness.start(environment: environment) == wall("2030-01-01T11:10:00Z"))
        #expect(repeats(harness).isEmpty)
        harness.run(through: wall("2030-01-01T11:30:00Z"))
        #expect(repeats(harness).map { $0["REPEATS_LEFT"] } == ["1", "0"])
        harness.stop()
    }

    @Test func repeatsMissedWhileStoppedAreNotWrittenInABurst() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: naggingTimeline)
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        harness.stop()
        harness.clock.time = wall("2030-01-01T11:12:00Z")
        // One repeat at start, caught up; the next 5 minutes later.
        #expect(try harness.start() == wall("2030-01-01T11:17:00Z"))
        let caughtUp = try #require(repeats(harness).first)
        #expect(caughtUp["CAUGHT_UP"] == "1")
        #expect(caughtUp["LATENESS_USEC"] == String(7 * 60 * 1_000_000))
        #expect(repeats(harness).count == 1)
        harness.run(through: wall("2030-01-01T11:30:00Z"))
        #expect(repeats(harness).count == 3)
        harness.stop()
    }

    @Test func aReminderThatLostItsRepeatInAReloadStopsNagging() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: naggingTimeline)
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        harness.setConfig(
            naggingTimeline.replacing("repeat = { every = \"5 minutes\", times = 3 }", with: "repeat = false")
        )
        harness.reload()
        #expect(harness.advance(to: wall("2030-01-01T11:05:00Z")) == wall("2030-01-01T12:00:00Z"))
        #expect(repeats(harness).isEmpty)
        #expect(harness.logs.all.contains { $0.contains("repeats no more") })
        harness.stop()
    }

    @Test func observersAreToldOfRepeatsAndOfFollowUps() throws {
        final class Recorder: DeliveryObserver {
            var delivered: [(key: String, isRepeat: Bool, isReturn: Bool)] = []
            var records: [FollowUpRecord] = []
            func delivered(_ reminder: DeliveredReminder) {
                delivered.append((reminder.key, reminder.isRepeat, reminder.isReturn))
            }
            func followedUp(_ record: FollowUpRecord) { records.append(record) }
        }
        let recorder = Recorder()
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: naggingTimeline)
        harness.prepare = { $0.observers = [recorder] }
        try harness.start()
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        harness.advance(to: wall("2030-01-01T11:05:00Z"))
        try harness.dismiss(key: naggingKey)
        #expect(recorder.delivered.map(\.isRepeat) == [false, true])
        #expect(recorder.delivered.map(\.key) == [naggingKey, naggingKey])
        #expect(recorder.records.contains(.dismissed(key: naggingKey, due: nil)))
        harness.stop()
    }
}

/// Repeats in the state: snapshot lines, log records, and what ends them.
@Suite struct FollowUpRepeatStateTests {
    let directory = TemporaryDirectory()

    @Test func repeatsRoundTripThroughTheSnapshotAndTheLog() throws {
        let store = StateStore(directory: directory.path)
        let next = FollowUps.Repeat(next: 700, left: 2, every: 300)
        let state = DeliveryState(watermark: 100, followUps: FollowUps(repeating: ["k|x|1 hour before": next]))
        try store.commit(state)
        let text = String(decoding: try #require(readFile(directory.file("state"))), as: UTF8.self)
        #expect(text.hasPrefix("sse-timeline-state 2\nwatermark 100\nrepeat 700,2,300 k|x|1 hour before\n"))
        #expect(try store.load() == state)

        // The key of a reminder and the start of its repeats in one line group, then a repeat, then the end.
        try store.recordSent(
            key: "a",
            with: [.repeating(key: "a", next: FollowUps.Repeat(next: 200, left: 3, every: 60))]
        )
        try store.record(.repeating(key: "a", next: FollowUps.Repeat(next: 260, left: 2, every: 60)))
        try store.record(.repeating(key: "k|x|1 hour before", next: nil))
        let log = String(decoding: try #require(readFile(directory.file("sent.log"))), as: UTF8.self)
        #expect(log == "a\n+repeat 200,3,60 a\n+repeat 260,2,60 a\n+repeat - k|x|1 hour before\n")
        let loaded = try store.load()
        #expect(loaded.sentAfterWatermark == ["a"])
        #expect(loaded.followUps.repeating == ["a": FollowUps.Repeat(next: 260, left: 2, every: 60)])
    }

    @Test func aSnoozeOrADismissalEndsRepeatsAndTheNextFollowUpIsTheEarliest() {
        var followUps = FollowUps(
            snoozed: ["s": 900],
            repeating: ["a": .init(next: 500, left: 1, every: 60), "b": .init(next: 400, left: 2, every: 60)]
        )
        #expect(followUps.nextFollowUp == 400)
        followUps.apply(.dismissed(key: "b", due: nil))
        #expect(followUps.nextFollowUp == 500)
        followUps.apply(.snoozed(key: "a", until: 1000))
        #expect(followUps.repeating.isEmpty)
        #expect(followUps.nextFollowUp == 900)
        #expect(FollowUps.Repeat(next: 500, left: 1, every: 60).following(writtenAt: 500) == nil)
        #expect(FollowUps.Repeat(next: 500, left: 2, every: 60).following(writtenAt: 990)?.next == 1050)
    }

    @Test(arguments: ["+repeat 1,0,60 k", "+repeat 1,2 k", "+repeat x,1,60 k", "+repeat 1,1,0 k", "+repeat 1,1,60 "])
    func malformedRepeatRecordsAreIgnored(line: String) {
        #expect(FollowUpRecord(logLine: Array(line.utf8)) == nil)
    }
}
