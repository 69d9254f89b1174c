import Foundation
import Logging
import Synchronization
import Timeline

@testable import Daemon

/// Keeps every entry written, for assertions.
final class MemorySink: NotificationSink {
    private let stored = Mutex<[JournalEntry]>([])

    func write(_ entry: JournalEntry) throws {
        stored.withLock { $0.append(entry) }
    }

    var entries: [JournalEntry] { stored.withLock { $0 } }

    /// Entries with a reminder MESSAGE_ID.
    var reminders: [JournalEntry] {
        entries.filter { MessageID.reminderIDs.contains($0["MESSAGE_ID"] ?? "") }
    }

    /// `MILESTONE_ID REMINDER` of each reminder entry.
    var reminderNames: [String] {
        reminders.map { "\($0["MILESTONE_ID"]!) \($0["REMINDER"]!)" }
    }
}

/// A log handler that keeps messages in memory (the global logging system is never bootstrapped in tests).
struct MemoryLogHandler: LogHandler {
    let store: LogStore
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.lines.withLock { $0.append("\(event.level): \(event.message)") }
    }
}

final class LogStore: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }

    func logger() -> Logger {
        Logger(label: "test") { _ in MemoryLogHandler(store: self) }
    }
}

/// A scheduler on a manual clock, a memory sink and a temporary state directory, with the config text
/// swappable between loads.
final class SchedulerHarness: Sendable {
    let clock: ManualWallClock
    let sink = MemorySink()
    let logs = LogStore()
    let stateDirectory: String
    private let configText: Mutex<String>
    /// How many times the scheduler said it had finished loading (its `afterLoad` hook).
    let afterLoadCount = Atomic<Int>(0)

    init(now: String, config: String, stateDirectory: String? = nil) {
        clock = ManualWallClock(now: wall(now))
        configText = Mutex(config)
        self.stateDirectory = stateDirectory ?? SchedulerHarness.temporaryDirectory()
    }

    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sse-test-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func setConfig(_ text: String) { configText.withLock { $0 = text } }

    /// Loads the current config text as `t.toml`.
    func loadConfig() -> Result<(config: TimelineConfig, description: String), ConfigError> {
        let source = ConfigSource(name: "t.toml", text: configText.withLock { $0 })
        do {
            let config = try ConfigLoader(zones: ZoneDatabase(), systemZone: .utc).load([source])
            return .success((config: config, description: "t.toml"))
        } catch {
            return .failure(error)
        }
    }

    func makeScheduler(watchdog: WatchdogSettings? = nil) -> Scheduler<ManualWallClock> {
        let environment = SchedulerEnvironment<ManualWallClock>(
            clock: clock,
            sink: sink,
            fallbackSink: sink,
            notifier: nil,
            store: StateStore(directory: stateDirectory),
            loadTimeline: { [self] in self.loadConfig() },
            journalKeys: { _ in nil },
            watchdog: watchdog,
            logger: logs.logger(),
            afterLoad: { [self] in _ = self.afterLoadCount.add(1, ordering: .relaxed) }
        )
        return Scheduler(environment: environment)
    }

    /// Starts `scheduler.run()` and waits until it sleeps; returns the task and the first deadline.
    func start(_ scheduler: Scheduler<ManualWallClock>) async throws -> (Task<Void, any Error>, WallTime?) {
        let before = clock.sleepCount
        let task = Task { try await scheduler.run() }
        let deadline = try await nextSleep(after: before)
        return (task, deadline)
    }

    /// Waits (bounded) until the scheduler has gone back to sleep after sleep number `count`.
    func nextSleep(after count: Int) async throws -> WallTime? {
        try await bounded { try await self.clock.waitForSleep(after: count) }
    }

    /// Moves the clock to `time` and waits until the scheduler sleeps again; returns its new deadline.
    @discardableResult
    func advance(to time: String) async throws -> WallTime? {
        let before = clock.sleepCount
        clock.advance(to: wall(time))
        return try await nextSleep(after: before)
    }

    /// Steps the clock (forward or back) and waits until the scheduler sleeps again.
    @discardableResult
    func step(to time: String) async throws -> WallTime? {
        let before = clock.sleepCount
        clock.step(to: wall(time))
        return try await nextSleep(after: before)
    }

    /// Stops the scheduler and waits for `run()` to return.
    func stop(_ scheduler: Scheduler<ManualWallClock>, _ task: Task<Void, any Error>) async throws {
        scheduler.requestStop()
        try await bounded { try await task.value }
    }
}

/// A wall time from `2030-01-01T10:00:00Z`.
/// A fraction of a second may follow the seconds: `2030-01-01T10:00:00.000300Z`.
func wall(_ text: String) -> WallTime {
    var whole = text
    var nanoseconds: Int64 = 0
    if let dot = text.firstIndex(of: ".") {
        let digits = text[text.index(after: dot)...].prefix { $0.isNumber }
        nanoseconds = Int64(digits.padding(toLength: 9, withPad: "0", startingAt: 0))!
        whole = String(text[..<dot]) + String(text[text.index(after: dot)...].dropFirst(digits.count))
    }
    guard case .absolute(let dt, let offset)? = TimeArgument.parseValue(whole) else { fatalError("bad time \(text)") }
    return WallTime(seconds: dt.secondsSinceEpoch - Int64(offset), nanoseconds: nanoseconds)
}

/// Runs `operation`, failing with `TimedOut` after 10 seconds (a guard against a hung test, not a wait).
func bounded<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .seconds(10))
            throw TimedOut()
        }
        let result = try await group.next()!
        group.cancelAll()
        return result
    }
}
