import DaemonTesting
import Testing
import Timeline

@testable import Daemon

/// The service manager's double for the channels: records each `StartUnit` and answers only when the test says,
/// as the bus answers later, on another iteration of the loop.
final class DeferredUnitManager: UnitManager {
    var calls: [(unit: String, completion: (Result<BusObjectPath, BusError>) -> Void)] = []
    var jobRemoved: ((JobResult) -> Void)?
    private var answered = 0

    var units: [String] { calls.map(\.unit) }

    func startUnit(_ unit: String, completion: @escaping (Result<BusObjectPath, BusError>) -> Void) {
        calls.append((unit, completion))
    }

    func startTransient(_ service: TransientService, completion: @escaping (Result<BusObjectPath, BusError>) -> Void) {
        Issue.record("a channel started a transient unit: \(service.name)")
    }

    /// Answers the calls not answered yet, in order: a job each (its path ends in the call's number), or `error`.
    @discardableResult
    func answer(error: BusError? = nil) -> [(unit: String, job: BusObjectPath)] {
        var jobs: [(unit: String, job: BusObjectPath)] = []
        while answered < calls.count {
            let (unit, completion) = calls[answered]
            answered += 1
            let job = BusObjectPath("/org/freedesktop/systemd1/job/\(answered)")
            if let error {
                completion(.failure(error))
            } else {
                jobs.append((unit, job))
                completion(.success(job))
            }
        }
        return jobs
    }

    /// Ends `jobs` with `result`, as systemd's JobRemoved.
    func end(_ jobs: [(unit: String, job: BusObjectPath)], _ result: String) {
        for (unit, job) in jobs { jobRemoved?(JobResult(id: 0, path: job, unit: unit, result: result)) }
    }
}

/// Named channels on the manual clock: each reminder's deliveries are recorded once, started as units, retried
/// with backoff, given up after `retry_for`, and resumed (never re-sent) after a crash.
@Suite("Channel deliveries")
struct ChannelDelivererTests {
    let runtime = TemporaryDirectory()
    static let key = "exam|2030-01-01T12:00:00|at start"

    static func timeline(retryFor: String = "24 hours", extra: String = "") -> String {
        """
        [channel.board]
        mail = ["board@example.org", "Ana <ana@example.org>"]
        language = "fr"
        retry_for = "\(retryFor)"

        [channel.phone]
        apprise = "phone"

        [[milestone]]
        id = "exam"
        title = "Exam \\"final\\""
        start = 2030-01-01T12:00:00Z
        reminders = ["at start"]
        notify = ["journal", "board", "phone"]
        \(extra)
        """
    }

    /// A running "daemon": the harness's scheduler with a deliverer on `manager`, its retry timer's deadline kept.
    final class Instance {
        let harness: SchedulerHarness
        let manager = DeferredUnitManager()
        var deliverer: ChannelDeliverer?
        var retryAt: WallTime?

        init(_ harness: SchedulerHarness, runtime: String) throws {
            self.harness = harness
            harness.prepare = { [unowned self] scheduler in
                let deliverer = ChannelDeliverer(
                    scheduler: scheduler,
                    manager: manager,
                    clock: harness.clock,
                    runtimeDirectory: runtime,
                    write: { try? harness.sink.write($0) },
                    wake: { [unowned self] in retryAt = $0 }
                )
                self.deliverer = deliverer
                scheduler.observers.append(deliverer)
            }
            try harness.start()
            deliverer?.resume()
        }

        /// Moves the clock to `time`, waking the scheduler if something is due, and ends the wake-up as the loop does
        /// (`flush()`).
        func advance(to time: WallTime) {
            harness.advance(to: time)
            deliverer?.flush()
        }

        /// Moves the clock to the retry timer's deadline and fires it.
        func fireRetry() throws {
            let deadline = try #require(retryAt)
            advance(to: deadline)
            deliverer?.retryDue()
        }
    }

    func entries(_ harness: SchedulerHarness, _ id: String) -> [JournalEntry] {
        harness.sink.entries.filter { $0["MESSAGE_ID"] == id }
    }

    static func unit(_ channel: String, attempt: Int) -> String {
        DeliveryUnit(id: "\(key)|\(channel)", attempt: attempt).name
    }

    @Test func eachChannelIsQueuedOnceAndItsUnitReadsTheContractsEnvironment() throws {
        let harness = SchedulerHarness(
            now: wall("2030-01-01T11:00:00Z"),
            config: Self.timeline(extra: "repeat = { every = \"5 minutes\", times = 2 }")
        )
        let instance = try Instance(harness, runtime: runtime.path)
        instance.advance(to: wall("2030-01-01T12:00:00Z"))
        #expect(instance.manager.units == [Self.unit("board", attempt: 1), Self.unit("phone", attempt: 1)])
        #expect(Self.unit("board", attempt: 1).wholeMatch(of: /sse-timeline-deliver@[0-9a-f]{16}-1\.service/) != nil)
        let queued = entries(harness, MessageID.deliveryQueued)
        #expect(queued.map { $0["CHANNEL"] } == ["board", "phone"])
        #expect(queued.first?["DELIVERY_ID"] == "\(Self.key)|board")
        #expect(queued.first?["REMINDER_KEY"] == Self.key)
        #expect(queued.first?["ATTEMPT"] == "1")
        #expect(harness.scheduler?.pendingDeliveries.keys.sorted() == ["\(Self.key)|board", "\(Self.key)|phone"])

        let instanceName = DeliveryUnit(id: "\(Self.key)|board", attempt: 1).instance
        let text = String(decoding: try #require(readFile(runtime.file("deliver/\(instanceName).env"))), as: UTF8.self)
        for line in [
            "SSE_DELIVERY_ID=\"\(Self.key)|board\"", "SSE_CHANNEL=\"board\"", "SSE_CHANNEL_KIND=\"mail\"",
            "SSE_MAIL_TO=\"board@example.org,Ana <ana@example.org>\"", "SSE_LANGUAGE=\"fr\"", "SSE_ATTEMPT=\"1\"",
            "SSE_MILESTONE_TITLE=\"Exam \\\"final\\\"\"", "SSE_REMINDER_KEY=\"\(Self.key)\"",
            "SSE_DUE_AT=\"2030-01-01T12:00:00+00:00\"",
        ] {
            #expect(text.contains(line + "\n"), "\(line)")
        }
        let phone = DeliveryUnit(id: "\(Self.key)|phone", attempt: 1).instance
        let phoneText = String(decoding: try #require(readFile(runtime.file("deliver/\(phone).env"))), as: UTF8.self)
        #expect(phoneText.contains("SSE_CHANNEL_KIND=\"apprise\"\nSSE_APPRISE=\"phone\"\n"))

        // The nagging repeats go to the journal, not to the channels again.
        harness.run(through: wall("2030-01-01T12:10:00Z"))
        instance.deliverer?.flush()
        #expect(harness.sink.entries.count { $0["MESSAGE_ID"] == MessageID.reminderRepeated } == 2)
        #expect(instance.manager.units.count == 2)
        #expect(entries(harness, MessageID.deliveryQueued).count == 2)
        harness.stop()
    }

    @Test func aJobDoneIsRecordedAsSentAndNeverStartedAgain() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T11:00:00Z"), config: Self.timeline())
        let first = try Instance(harness, runtime: runtime.path)
        first.advance(to: wall("2030-01-01T12:00:00Z"))
        let jobs = first.manager.answer()
        first.manager.end(jobs, "done")
        #expect(harness.scheduler?.pendingDeliveries.isEmpty == true)
        #expect(first.retryAt == nil)
        let instanceName = DeliveryUnit(id: "\(Self.key)|board", attempt: 1).instance
        #expect(!fileExists(runtime.file("deliver/\(instanceName).env")))

        harness.crash()
        let second = try Instance(harness, runtime: runtime.path)
        #expect(second.manager.units.isEmpty)
        harness.stop()
        let third = try Instance(harness, runtime: runtime.path)
        #expect(third.manager.units.isEmpty)
        harness.stop()
    }

    @Test func aFailedAttemptIsRetriedWithBackoffAndListed() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T11:00:00Z"), config: Self.timeline())
        let instance = try Instance(harness, runtime: runtime.path)
        instance.advance(to: wall("2030-01-01T12:00:00Z"))
        instance.manager.end(instance.manager.answer(), "failed")
        #expect(instance.retryAt == wall("2030-01-01T12:01:00Z"))
        let retries = try #require(instance.deliverer?.waitingRetries)
        #expect(retries.map(\.id) == ["\(Self.key)|board", "\(Self.key)|phone"])
        #expect(retries.first?.attempts == 1)
        #expect(retries.first?.lastFailure == "failed")
        #expect(retries.first?.next == wall("2030-01-01T12:01:00Z"))

        try instance.fireRetry()
        #expect(instance.manager.units.suffix(2) == [Self.unit("board", attempt: 2), Self.unit("phone", attempt: 2)])
        #expect(instance.deliverer?.waitingRetries.isEmpty == true)
        // StartUnit itself refused: a failure too, retried 2 minutes later (the backoff doubles).
        instance.manager.answer(error: BusError(name: "org.freedesktop.systemd1.NoSuchUnit", message: "no unit"))
        #expect(instance.retryAt == wall("2030-01-01T12:03:00Z"))
        #expect(instance.deliverer?.waitingRetries.first?.lastFailure == "org.freedesktop.systemd1.NoSuchUnit")
        try instance.fireRetry()
        #expect(instance.manager.units.suffix(2) == [Self.unit("board", attempt: 3), Self.unit("phone", attempt: 3)])
        instance.manager.end(instance.manager.answer(), "done")
        #expect(harness.scheduler?.pendingDeliveries.isEmpty == true)
        #expect(instance.retryAt == nil)
        #expect(entries(harness, MessageID.deliveryGivenUp).isEmpty)
        harness.stop()
    }

    @Test func aDeliveryIsGivenUpOnceRetryForHasPassed() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T11:00:00Z"), config: Self.timeline(retryFor: "10 minutes"))
        let instance = try Instance(harness, runtime: runtime.path)
        instance.advance(to: wall("2030-01-01T12:00:00Z"))
        var tries: [WallTime] = [harness.clock.now()]
        while entries(harness, MessageID.deliveryGivenUp).isEmpty {
            instance.manager.end(instance.manager.answer(), "timeout")
            guard entries(harness, MessageID.deliveryGivenUp).isEmpty else { break }
            try instance.fireRetry()
            tries.append(harness.clock.now())
            try #require(tries.count < 10)
        }
        // 1, 2 and 4 minutes apart, then the last at the end of retry_for (not 8 minutes later).
        #expect(
            tries == ["12:00", "12:01", "12:03", "12:07", "12:10"].map { wall("2030-01-01T\($0):00Z") }
        )
        let givenUp = entries(harness, MessageID.deliveryGivenUp)
        #expect(givenUp.map { $0["CHANNEL"] } == ["board"])
        #expect(givenUp.first?["ATTEMPT"] == "5")
        #expect(givenUp.first?.priority == .warning)
        #expect(givenUp.first?["REASON"]?.contains("timeout") == true)
        // The phone channel retries for its default 24 hours.
        #expect(harness.scheduler?.pendingDeliveries.keys.sorted() == ["\(Self.key)|phone"])
        harness.stop()
    }

    @Test func aRestartResumesWhatWasNotSentAndOnlyThat() throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T11:00:00Z"), config: Self.timeline())
        let first = try Instance(harness, runtime: runtime.path)
        first.advance(to: wall("2030-01-01T12:00:00Z"))
        let jobs = first.manager.answer()
        first.manager.end([jobs[0]], "done")  // board sent
        first.manager.end([jobs[1]], "failed")  // phone failed once, then kill -9 before its retry

        harness.crash()
        first.deliverer = nil
        harness.advance(to: wall("2030-01-01T12:00:30Z"))
        let second = try Instance(harness, runtime: runtime.path)
        #expect(second.manager.units == [Self.unit("phone", attempt: 2)])
        // kill -9 again while that attempt runs: the next start tries it again under the same name.
        harness.crash()
        second.deliverer = nil
        let third = try Instance(harness, runtime: runtime.path)
        #expect(third.manager.units == [Self.unit("phone", attempt: 2)])
        third.manager.end(third.manager.answer(), "done")
        harness.stop()
        let fourth = try Instance(harness, runtime: runtime.path)
        #expect(fourth.manager.units.isEmpty)
        #expect(entries(harness, MessageID.deliveryQueued).count == 2)
        harness.stop()
    }

    @Test func aBurstOfAThousandIsQueuedWithoutAThousandCallsInOneIteration() throws {
        var text = "[channel.board]\nmail = [\"board@example.org\"]\n"
        for n in 0..<1000 {
            text += """

                [[milestone]]
                id = "m\(n)"
                title = "M \(n)"
                start = 2030-01-01T12:00:00Z
                reminders = ["at start"]
                notify = ["board"]

                """
        }
        let harness = SchedulerHarness(now: wall("2030-01-01T11:00:00Z"), config: text)
        let instance = try Instance(harness, runtime: runtime.path)
        harness.advance(to: wall("2030-01-01T12:00:00Z"))
        // While the burst is written, each delivery is only recorded: the reminders' entries come first, together.
        #expect(harness.scheduler?.pendingDeliveries.count == 1000)
        #expect(harness.sink.entries.count { $0["MESSAGE_ID"] == MessageID.reminderDue } == 1000)
        #expect(entries(harness, MessageID.deliveryQueued).isEmpty)
        #expect(instance.manager.calls.isEmpty)
        // At the end of the wake-up: the entries, and only as many starts as may run at once.
        instance.deliverer?.flush()
        #expect(entries(harness, MessageID.deliveryQueued).count == 1000)
        #expect(instance.manager.calls.count == ChannelDeliverer.maximumRunning)
        // Each job's end starts the next: all are handed over, each once.
        var rounds = 0
        while harness.scheduler?.pendingDeliveries.isEmpty == false {
            let jobs = instance.manager.answer()
            try #require(!jobs.isEmpty && jobs.count <= ChannelDeliverer.maximumRunning)
            instance.manager.end(jobs, "done")
            rounds += 1
        }
        #expect(rounds == 1000 / ChannelDeliverer.maximumRunning + 1)
        #expect(Set(instance.manager.units).count == 1000)
        harness.stop()
    }
}
