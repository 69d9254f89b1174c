import DaemonTesting
import Glibc
import Testing
import Timeline

@testable import Daemon

/// An entry built ahead of its instant and written at it is the entry that would have been written at once: the
/// same bytes, the lateness of the moment it was written.
@Suite("Prepared entries")
struct PreparedEntryTests {
    static let entries: [JournalEntry] = [
        JournalEntry(
            message: "Exam starts in 15 minutes (2030-06-02T10:00:00+02:00, Room 3).",
            priority: .notice,
            fields: [
                ("MESSAGE_ID", MessageID.reminderDue), ("MILESTONE_ID", "exam"), ("REMINDER_KEY", "exam|x|15 minutes"),
                ("DUE_AT", "2030-06-02T09:45:00+02:00"), ("LATENESS_USEC", "0"), ("TAGS", "a b [c]"),
            ]
        ),
        // A message that could be misread as a field list, so the line guards it.
        JournalEntry(message: "[not a field list] <5>", fields: [("LATENESS_USEC", "0"), ("NOTE", "")]),
        // No lateness field at all: written whole.
        JournalEntry(message: "plain", fields: [("X", "1")]),
    ]

    func lateness(_ entry: JournalEntry, _ value: Int64) -> JournalEntry {
        PreparedEntry(entry: entry).entry(latenessMicroseconds: value)
    }

    @Test(arguments: entries, [Int64(0), 7, 1_234_567, 9_223_372_036_854_775_807])
    func stderrLineIsTheSameBytes(entry: JournalEntry, value: Int64) throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        let sink = StderrSink(descriptor: ends[1])
        try sink.write(sink.prepare(entry), latenessMicroseconds: value)
        try sink.write(lateness(entry, value))
        var buffer = [UInt8](repeating: 0, count: 8192)
        let count = buffer.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
        let lines = buffer[..<count].split(separator: 10, omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(Array(lines[0]) == Array(lines[1]))
        #expect(
            StderrLine.parse(String(decoding: lines[0], as: UTF8.self))?["LATENESS_USEC"]
                == entry["LATENESS_USEC"].map { _ in String(value) }
        )
    }

    @Test(arguments: entries, [Int64(0), 42, 1_234_567_890_123])
    func journalFieldsAreTheSame(entry: JournalEntry, value: Int64) throws {
        let recorder = SendRecorder()
        let sink = SystemdJournalSink(send: recorder.send)
        try sink.write(sink.prepare(entry), latenessMicroseconds: value)
        try sink.write(lateness(entry, value))
        let calls = recorder.calls.withLock { $0 }
        #expect(calls.count == 2)
        #expect(calls[0] == calls[1])
        if entry["LATENESS_USEC"] != nil { #expect(calls[0].contains("LATENESS_USEC=\(value)")) }
    }
}

@Suite("Scheduler: prepared ahead")
struct SchedulerPrepareTests {
    @Test func preparedRemindersAreWrittenAtTheInstantWithTheLatenessOfTheWrite() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        #expect(try harness.start() == wall("2030-01-01T11:00:00Z"))
        harness.advance(to: wall("2030-01-01T10:59:59.980Z"))
        harness.wakeToPrepare()
        // Nothing is written ahead of the instant, and the answer is still the instant.
        #expect(harness.sink.reminders.isEmpty)
        #expect(harness.deadline == wall("2030-01-01T11:00:00Z"))
        #expect(harness.advance(to: wall("2030-01-01T11:00:00.000250Z")) == wall("2030-01-01T12:00:00Z"))
        #expect(harness.sink.reminderNames == ["b 1 hour before", "a 1 hour before"])
        #expect(harness.sink.reminders.allSatisfy { $0["LATENESS_USEC"] == "250" && $0["CAUGHT_UP"] == nil })

        // The same reminders, not prepared, give the same entries.
        let plain = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        try plain.start()
        plain.advance(to: wall("2030-01-01T11:00:00.000250Z"))
        #expect(plain.sink.reminders == harness.sink.reminders)
        harness.stop()
    }

    @Test func aReloadBetweenPrepareAndInstantTakesTheNewTimeline() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        try harness.start()
        harness.advance(to: wall("2030-01-01T10:59:59.990Z"))
        harness.wakeToPrepare()
        // Milestone b is gone and a is renamed: the prepared entries must not be written.
        harness.setConfig(
            threeMilestones.replacing("id = \"b\"\ntitle = \"B\"", with: "id = \"d\"\ntitle = \"D\"")
                .replacing("title = \"A\"", with: "title = \"A, renamed\"")
        )
        #expect(harness.reload() == wall("2030-01-01T11:00:00Z"))
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        #expect(harness.sink.reminderNames == ["d 1 hour before", "a 1 hour before"])
        #expect(harness.sink.reminders[1]["MILESTONE_TITLE"] == "A, renamed")
        harness.stop()
    }

    @Test func aClockStepPastThePreparedInstantSendsThemOnceMarkedLate() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        try harness.start()
        harness.advance(to: wall("2030-01-01T10:59:59.990Z"))
        harness.wakeToPrepare()
        // Suspended right after preparing, resumed two hours later.
        #expect(harness.step(to: wall("2030-01-01T13:00:00Z")) == wall("2030-01-01T14:00:00Z"))
        #expect(
            harness.sink.reminderNames == [
                "b 1 hour before", "a 1 hour before", "b at start", "a at start", "c 1 hour before",
            ]
        )
        // The four that came due while suspended are marked late; c's, due at 13:00 itself, is on time.
        #expect(harness.sink.reminders.map { $0["CAUGHT_UP"] ?? "-" } == ["1", "1", "1", "1", "-"])
        harness.stop()
    }

    @Test func aClockStepBackAfterPrepareKeepsThemForTheirInstant() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        try harness.start()
        harness.advance(to: wall("2030-01-01T10:59:59.990Z"))
        harness.wakeToPrepare()
        #expect(harness.step(to: wall("2030-01-01T10:30:00Z")) == wall("2030-01-01T11:00:00Z"))
        #expect(harness.sink.reminders.isEmpty)
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        #expect(harness.sink.reminderNames == ["b 1 hour before", "a 1 hour before"])
        harness.stop()
    }

    @Test func aStopAfterPrepareLosesNothing() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        try harness.start()
        harness.advance(to: wall("2030-01-01T10:59:59.990Z"))
        harness.wakeToPrepare()
        harness.stop()
        harness.clock.time = wall("2030-01-01T11:00:05Z")
        try harness.start()
        #expect(harness.sink.reminderNames == ["b 1 hour before", "a 1 hour before"])
        harness.stop()
    }

    @Test func aBurstLargerThanThePreparedLimitIsWrittenWholeInOrder() throws {
        var config = "[defaults]\nreminders = [\"at start\"]\n"
        for index in 0..<300 {
            config += "[[milestone]]\nid = \"m\(index)\"\ntitle = \"M\"\nstart = 2030-01-01T12:00:00Z\n"
        }
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: config)
        #expect(try harness.start() == wall("2030-01-01T12:00:00Z"))
        harness.advance(to: wall("2030-01-01T11:59:59.990Z"))
        harness.wakeToPrepare()
        harness.advance(to: wall("2030-01-01T12:00:00Z"))
        #expect(harness.sink.reminderNames == (0..<300).map { "m\($0) at start" })
        harness.stop()
    }
}
