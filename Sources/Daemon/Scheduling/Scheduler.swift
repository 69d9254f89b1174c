import CLinux
import Glibc
import Logging
import Timeline

/// A timeline as loaded from its config files; it describes itself by a one-line account of which files those were.
public struct LoadedTimeline: Sendable, CustomStringConvertible {
    /// The timeline.
    public var config: TimelineConfig
    /// Which files it came from, e.g. `/etc/sse-timeline/timeline.toml + 2 drop-ins from ...`.
    public var description: String

    /// A loaded timeline and its description.
    public init(config: TimelineConfig, description: String) {
        self.config = config
        self.description = description
    }
}

/// What the scheduler needs from the outside world; tests pass doubles.
///
/// Only the clock, the sink, the loader and the logger must be given; the other seams default to what `replay`
/// wants (no systemd, no state on disk, no journal to read back, stderr's place taken by the sink itself).
public struct SchedulerEnvironment {
    /// Wall time, read to stamp entries and to know "now" at start and reload.
    public var clock: any WallClock
    /// Where reminder entries go (the journal, or stderr).
    public var sink: any NotificationSink
    /// Where an entry goes when `sink` fails, so that no reminder is lost (by default `sink` itself).
    public var fallbackSink: any NotificationSink
    /// systemd's notify socket, when running under systemd.
    public var notifier: SystemdNotifier? = nil
    /// The state store, or nil to keep the state in memory only (replay).
    public var store: StateStore? = nil
    /// Loads the timeline (again, on reload).
    public var loadTimeline: () -> Result<LoadedTimeline, ConfigError>
    /// Reminder keys already in the journal since a wall time (nil: the journal cannot be read).
    public var journalKeys: (_ since: WallTime) -> [String]? = { _ in nil }
    /// Operational messages.
    public var logger: Logger
    /// Reminders delivered more than this late are marked as caught up.
    public var caughtUpThreshold: Duration = .seconds(60)

    /// An environment writing to `sink`, loading with `loadTimeline`; every other seam keeps its default.
    public init(
        clock: any WallClock,
        sink: any NotificationSink,
        logger: Logger,
        loadTimeline: @escaping () -> Result<LoadedTimeline, ConfigError>
    ) {
        self.clock = clock
        self.sink = sink
        fallbackSink = sink
        self.logger = logger
        self.loadTimeline = loadTimeline
    }
}

/// Why the scheduler could not start.
public struct SchedulerError: Error, CustomStringConvertible {
    /// What went wrong, e.g. "the timeline has 2 errors; not starting".
    public var description: String
}

/// The daemon's engine: a synchronous core that is told "it is now T" and answers "wake me at T2".
///
/// It writes the reminders due by T, keeps the state, and reports to systemd; it never sleeps and never waits.
/// Whoever drives it owns time: the sd-event loop (`DaemonService`) arms a timer at the answer, `replay` jumps
/// a virtual clock from answer to answer, and tests move a manual clock. One thread calls it at a time.
public final class Scheduler {
    let environment: SchedulerEnvironment
    var schedule: Schedule?
    var queue: DueQueue?
    var state = DeliveryState()
    private var stateErrorReported = false
    var stateDirty = false
    /// Observers of deliveries and the journal read-back of returns and repeats (`Scheduler+Redelivery.swift`).
    public let hooks = SchedulerHooks()
    /// What was last sent as STATUS=, for tests and the bus.
    public private(set) var lastStatus = ""
    /// How many reminder entries were written (including caught-up ones).
    public private(set) var sentCount = 0

    /// journald's default per-service burst (RateLimitBurst=10000 per RateLimitIntervalSec=30s).
    static var journaldDefaultBurst: Int { 10_000 }

    /// A scheduler on `environment`; nothing happens until `start()`.
    public init(environment: SchedulerEnvironment) {
        self.environment = environment
    }

    /// When the next reminder is due (nil: nothing more is due).
    public var nextDeadline: WallTime? {
        Self.earliest(queue?.peek.map { WallTime($0.due) }, nextReturn)
    }

    /// Loads the timeline and the state, sends what came due while the daemon was not running (caught up),
    /// reports READY=1, and answers when to wake next.
    ///
    /// - Throws: `SchedulerError` when the timeline cannot be loaded (its errors are logged).
    public func start() throws(SchedulerError) -> WallTime? {
        try load()
        return nextDeadline
    }

    /// It is now `now` (a due timer fired, or the wall clock was stepped): writes every reminder due at or
    /// before `now`, in order, and answers when to wake next.
    public func advance(to now: WallTime) -> WallTime? {
        deliverDue(now: now)
        deliverReturns(now: now)
        deliverRepeats(now: now)
        return nextDeadline
    }

    /// Reloads the config (SIGHUP): a broken config keeps the running timeline. Answers when to wake next.
    public func reload() -> WallTime? {
        reloadTimeline()
        return nextDeadline
    }

    /// The system time zone changed: local times are re-read with the new zone. Answers when to wake next.
    public func timeZoneChanged() -> WallTime? {
        environment.logger.notice("the system time zone changed; re-reading the timeline")
        return reload()
    }

    /// Saves the state and reports STOPPING=1 (SIGTERM).
    public func stop() {
        _ = environment.notifier?.stopping(status: "stopping")
        commitState()
    }

    // MARK: - Start and reload

    private func load() throws(SchedulerError) {
        let loaded: LoadedTimeline
        switch environment.loadTimeline() {
        case .success(let value): loaded = value
        case .failure(let error):
            logConfigErrors(error.diagnostics, prefix: "")
            throw SchedulerError(description: "the timeline has \(plural(error.errorCount, "error")); not starting")
        }
        let now = environment.clock.now()
        loadState(now: now)
        install(loaded.config)
        // Everything due before this start came due while the daemon was not running: caught up.
        deliverDue(now: now, catchingUp: true)
        deliverReturns(now: now, catchingUp: true)
        deliverRepeats(now: now, catchingUp: true)
        commitState()
        environment.logger.info(
            "loaded \(loaded.description): \(status(now: now))",
            metadata: ["message_id": "\(MessageID.timelineLoaded)", "config": "\(loaded.description)"]
        )
        for warning in loaded.config.warnings {
            environment.logger.warning("\(warning)")
        }
        setStatus(status(now: now), ready: true)
    }

    private func loadState(now: WallTime) {
        guard let store = environment.store else {
            state = DeliveryState(watermark: now.seconds)
            return
        }
        do {
            state = try store.load()
        } catch {
            reportStateError("cannot read the state: \(error); starting as if from now, nothing will be caught up")
            if let path = try? store.quarantineSnapshot() {
                environment.logger.notice("the unreadable state file was kept as \(path)")
            }
            state = DeliveryState(watermark: now.seconds)
            stateDirty = true
        }
        guard let watermark = state.watermark else {
            // The very first start: nothing before now is sent (no flood of 2021).
            state.watermark = now.seconds
            stateDirty = true
            return
        }
        // Close the window between a journal write and the state write: what is in the journal was sent.
        if let keys = environment.journalKeys(WallTime(seconds: watermark)) {
            state.sentAfterWatermark.formUnion(keys)
        }
        readBackRedeliveries(watermark: watermark)
    }

    private func install(_ config: TimelineConfig) {
        let schedule = Schedule(config: config)
        self.schedule = schedule
        queue = DueQueue(schedule: schedule, after: Instant(secondsSinceEpoch: state.watermark ?? 0))
        // Parsing a large config leaves freed memory in malloc's arenas; give it back, so the steady RSS is
        // the timeline's own.
        malloc_trim(0)
    }

    private func reloadTimeline() {
        let now = environment.clock.now()
        _ = environment.notifier?.reloading(status: "reloading the timeline")
        switch environment.loadTimeline() {
        case .success(let loaded):
            // What the old timeline has due by now goes out first; the new one starts from now, so a milestone
            // added with reminders in the past does not send them (as on a first start).
            deliverDue(now: now)
            if (state.watermark ?? now.seconds) < now.seconds {
                state.watermark = now.seconds
                stateDirty = true
                commitState()
            }
            install(loaded.config)
            environment.logger.notice(
                "reloaded \(loaded.description): \(status(now: now))",
                metadata: ["message_id": "\(MessageID.timelineReloaded)", "config": "\(loaded.description)"]
            )
            for warning in loaded.config.warnings { environment.logger.warning("\(warning)") }
            setStatus(status(now: now), ready: true)
        case .failure(let error):
            logConfigErrors(error.errors, prefix: "reload failed: ")
            let first = error.errors.first.map { " (first: \($0.location))" } ?? ""
            setStatus(
                "reload failed: \(plural(error.errorCount, "error"))\(first); still running the previous timeline. "
                    + status(now: now),
                ready: true
            )
        }
    }

    /// Logs each config problem at PRIORITY=err with its place as fields.
    private func logConfigErrors(_ diagnostics: [Diagnostic], prefix: String) {
        for diagnostic in diagnostics {
            environment.logger.error(
                "\(prefix)\(diagnostic)",
                metadata: [
                    "message_id": "\(MessageID.reloadFailed)", "config_file": "\(diagnostic.location.file)",
                    "config_line": "\(diagnostic.location.line)", "config_column": "\(diagnostic.location.column)",
                ]
            )
        }
    }

    // MARK: - Delivering

    /// Writes every reminder due at or before `now`, in order; then saves the state once.
    ///
    /// A reminder is marked caught up (`CAUGHT_UP=1`, its own MESSAGE_ID) when it is sent at start after
    /// downtime (`catchingUp`), or more than `caughtUpThreshold` late (a clock jump, a resume from suspend).
    private func deliverDue(now: WallTime, catchingUp: Bool = false) {
        guard var queue, let schedule else { return }
        let nowSeconds = now.seconds
        let batch = queue.popAll(through: Instant(now))
        self.queue = queue
        guard !batch.isEmpty else { return }
        if batch.count > Self.journaldDefaultBurst {
            // journald drops a service's messages beyond its burst limit (10,000 per 30 s by default, raised
            // with free disk space) unless the unit raises LogRateLimitBurst= (the shipped unit does); say so
            // before the burst, not after.
            environment.logger.notice(
                "\(batch.count) reminders are due at once; if the unit does not raise LogRateLimitBurst= (the shipped unit does), journald may drop some of them"
            )
        }
        let formatter = ReminderEntry(schedule: schedule)
        let window = schedule.config.defaults.catchUpWindow
        var missed: [ReminderInstance] = []
        for instance in batch {
            let key = schedule.key(of: instance)
            if state.sentAfterWatermark.contains(key) { continue }
            if state.followUps.holdsBack(key) { continue }
            let lateness = WallTime(instance.due).duration(to: now)
            if lateness > .seconds(window) {
                missed.append(instance)
                continue
            }
            let caughtUp = catchingUp ? lateness > .zero : lateness > environment.caughtUpThreshold
            let entry = formatter.entry(for: instance, now: environment.clock.now(), caughtUp: caughtUp, key: key)
            write(entry)
            notifyDelivered(entry, instance: instance, key: key)
            sentCount += 1
            state.sentAfterWatermark.insert(key)
            let repeats = startRepeats(key: key, instance: instance, now: now)
            for record in repeats { state.followUps.apply(record) }
            if let store = environment.store {
                do {
                    try store.recordSent(key: key, with: repeats)
                } catch {
                    reportStateError("cannot record a sent reminder: \(error)")
                }
            }
        }
        if !missed.isEmpty { writeMissedSummary(missed, schedule: schedule, window: window) }
        state.watermark = max(state.watermark ?? nowSeconds, nowSeconds)
        state.sentAfterWatermark = []
        stateDirty = true
        commitState()
        setStatus(status(now: now), ready: false)
    }

    func write(_ entry: JournalEntry) {
        do {
            try environment.sink.write(entry)
        } catch {
            // Never lose a reminder: if the journal refuses it, it goes to stderr.
            try? environment.fallbackSink.write(entry)
        }
    }

    private func writeMissedSummary(_ missed: [ReminderInstance], schedule: Schedule, window: Int64) {
        let ids = Array(Set(missed.map { schedule.milestone(of: $0).id })).sorted()
        let shown = ids.prefix(10).joined(separator: ", ") + (ids.count > 10 ? ", ..." : "")
        let first = missed.first!
        let last = missed.last!
        let zone = schedule.milestone(of: first).zone
        let entry = JournalEntry(
            message: "\(missed.count) reminders came due while sse-timeline was not running and are older than "
                + "the catch-up window (\(ReminderMath.relative(window).dropFirst(3))); they were not sent: \(shown).",
            priority: .warning,
            fields: [
                ("MESSAGE_ID", MessageID.remindersMissed),
                ("SYSLOG_IDENTIFIER", "sse-timeline"),
                ("MISSED_COUNT", String(missed.count)),
                ("MISSED_MILESTONES", ids.joined(separator: ",")),
                ("MISSED_FROM", ReminderMath.iso8601(first.due, in: zone)),
                ("MISSED_TO", ReminderMath.iso8601(last.due, in: zone)),
            ]
        )
        write(entry)
    }

    // MARK: - State

    func commitState() {
        guard stateDirty, let store = environment.store else { return }
        do {
            try store.commit(state)
            stateDirty = false
            if stateErrorReported {
                stateErrorReported = false
                environment.logger.notice(
                    "the state can be saved again",
                    metadata: ["message_id": "\(MessageID.stateError)"]
                )
            }
        } catch {
            reportStateError("cannot save the state: \(error)")
        }
    }

    /// Logs a state problem once (not once per reminder) until the state can be saved again.
    func reportStateError(_ text: String) {
        guard !stateErrorReported else { return }
        stateErrorReported = true
        environment.logger.error(
            "\(text); reminders are still sent, the state is saved when it can be",
            metadata: ["message_id": "\(MessageID.stateError)"]
        )
    }

    // MARK: - Status

    /// "22 milestones, 61 reminders pending; next: ..., at ... (in 5 days)".
    public func status(now: WallTime) -> String {
        guard let schedule, let queue else { return "no timeline" }
        var text =
            "\(plural(schedule.milestones.count, "milestone")), \(plural(queue.pendingCount, "reminder")) pending"
        if let next = queue.peek {
            text +=
                "; next: "
                + InstanceFormatting(schedule: schedule).sentence(next, now: Instant(now))
        } else {
            text += "; nothing more is due"
        }
        return text
    }

    private func setStatus(_ text: String, ready: Bool) {
        lastStatus = text
        if ready {
            _ = environment.notifier?.ready(status: text)
        } else {
            _ = environment.notifier?.status(text)
        }
    }
}
