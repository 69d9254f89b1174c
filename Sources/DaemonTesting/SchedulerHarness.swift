import Daemon
import Timeline

/// A scheduler on a manual clock, a memory sink and a temporary state directory, driven as the daemon's loop
/// drives it: the harness keeps the scheduler's last answer (when to wake it) and wakes it only once the clock
/// reaches that instant, or when the clock is stepped, the config reloaded or the zone changed.
///
/// ```
/// let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: text)
/// #expect(try harness.start() == wall("2030-01-01T11:00:00Z"))
/// harness.advance(to: wall("2030-01-01T11:00:00Z"))
/// #expect(harness.sink.reminderNames == ["a 1 hour before"])
/// harness.stop()
/// ```
public final class SchedulerHarness {
    /// The scheduler's clock.
    public let clock: ManualClock
    /// Where its entries go.
    public let sink = MemorySink()
    /// Its log messages.
    public let logs = LogStore()
    /// Its state directory.
    public let stateDirectory: String
    /// The scheduler of the last `start()`.
    public private(set) var scheduler: Scheduler?
    /// The scheduler's last answer: when it asked to be woken (nil: nothing is due).
    public private(set) var deadline: WallTime?
    /// Called with each new scheduler before it starts (to add its observers).
    public var prepare: ((Scheduler) -> Void)?
    private var configText: String
    private var temporary: TemporaryDirectory?

    /// A harness at `now` whose config is `config` (as `t.toml`), with a fresh state directory unless one is given.
    public init(now: WallTime, config: String, stateDirectory: String? = nil) {
        clock = ManualClock(now: now)
        configText = config
        if let stateDirectory {
            self.stateDirectory = stateDirectory
        } else {
            let temporary = TemporaryDirectory()
            self.temporary = temporary
            self.stateDirectory = temporary.path
        }
    }

    /// Replaces the config text; the next load (start or reload) reads it.
    public func setConfig(_ text: String) {
        configText = text
    }

    /// Loads the current config text as `t.toml`, in UTC.
    public func loadConfig() -> Result<LoadedTimeline, ConfigError> {
        let source = ConfigSource(name: "t.toml", text: configText)
        do {
            let config = try ConfigLoader(zones: ZoneDatabase(), systemZone: .utc).load([source])
            return .success(LoadedTimeline(config: config, description: "t.toml"))
        } catch {
            return .failure(error)
        }
    }

    /// The environment of a scheduler of this harness; `sink` replaces the memory sink when given.
    public func environment(sink: (any NotificationSink)? = nil) -> SchedulerEnvironment {
        var environment = SchedulerEnvironment(clock: clock, sink: sink ?? self.sink, logger: logs.logger()) {
            [unowned self] in self.loadConfig()
        }
        environment.fallbackSink = self.sink
        environment.store = StateStore(directory: stateDirectory)
        return environment
    }

    /// Starts a new scheduler (a start of the daemon) at the clock's time; returns its first answer.
    ///
    /// - Throws: `SchedulerError` when the config does not load.
    @discardableResult
    public func start(environment: SchedulerEnvironment? = nil) throws(SchedulerError) -> WallTime? {
        let scheduler = Scheduler(environment: environment ?? self.environment())
        self.scheduler = scheduler
        prepare?(scheduler)
        deadline = try scheduler.start()
        return deadline
    }

    /// Moves the clock forward to `time`; wakes the scheduler if its deadline is reached, as the loop's timer
    /// would. Returns its (new) answer.
    @discardableResult
    public func advance(to time: WallTime) -> WallTime? {
        precondition(time >= clock.now(), "advance(to:) moves forward; use step(to:) to jump")
        clock.time = time
        if let deadline, deadline <= time, let scheduler {
            self.deadline = scheduler.advance(to: time)
        }
        return deadline
    }

    /// Moves the clock from deadline to deadline, as real time would, through `end`; returns the last answer.
    @discardableResult
    public func run(through end: WallTime) -> WallTime? {
        while let next = deadline, next <= end {
            advance(to: next)
        }
        if clock.now() < end { clock.time = end }
        return deadline
    }

    /// Steps the clock to `time` (forward or back, as settimeofday or a resume would) and wakes the scheduler, as
    /// the loop's clock-change watch would. Returns its answer.
    @discardableResult
    public func step(to time: WallTime) -> WallTime? {
        clock.time = time
        if let scheduler { deadline = scheduler.advance(to: time) }
        return deadline
    }

    /// Reloads the config (SIGHUP); returns the answer.
    @discardableResult
    public func reload() -> WallTime? {
        if let scheduler { deadline = scheduler.reload() }
        return deadline
    }

    /// Signals a change of the system time zone; returns the answer.
    @discardableResult
    public func changeZone() -> WallTime? {
        if let scheduler { deadline = scheduler.timeZoneChanged() }
        return deadline
    }

    /// Snoozes `key` for `duration` (as the bus API would); keeps and returns the answer.
    @discardableResult
    public func snooze(key: String, for duration: Duration) throws(FollowUpError) -> WallTime? {
        guard let scheduler else { return deadline }
        deadline = try scheduler.snooze(key: key, for: duration)
        return deadline
    }

    /// Dismisses `key`; keeps and returns the answer.
    @discardableResult
    public func dismiss(key: String) throws(FollowUpError) -> WallTime? {
        guard let scheduler else { return deadline }
        deadline = try scheduler.dismiss(key: key)
        return deadline
    }

    /// Ends the scheduler as `kill -9` would: nothing is saved beyond what it saved as it went.
    public func crash() {
        scheduler = nil
        deadline = nil
    }

    /// Stops the scheduler (SIGTERM): it saves the state.
    public func stop() {
        scheduler?.stop()
        scheduler = nil
        deadline = nil
    }
}

/// A wall time written `2030-01-01T10:00:00Z` (or with an offset); a fraction of a second may follow the
/// seconds: `2030-01-01T10:00:00.000300Z`.
public func wall(_ text: String) -> WallTime {
    var whole = text
    var nanoseconds: Int64 = 0
    if let dot = text.firstIndex(of: ".") {
        let digits = text[text.index(after: dot)...].prefix { $0.isNumber }
        nanoseconds = Int64(String(digits) + String(repeating: "0", count: 9 - digits.count))!
        whole = String(text[..<dot]) + String(text[text.index(after: dot)...].dropFirst(digits.count))
    }
    guard case .absolute(let dt, let offset)? = TimeArgument.parseValue(whole) else { fatalError("bad time \(text)") }
    return WallTime(seconds: dt.secondsSinceEpoch - Int64(offset), nanoseconds: nanoseconds)
}
