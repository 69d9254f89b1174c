import CSystemd
import Glibc
import Logging
import Synchronization
import Timeline

/// What the scheduler needs from the outside world; tests pass doubles.
struct SchedulerEnvironment<Clock: WallClock>: Sendable {
    /// Wall time and sleeping.
    var clock: Clock
    /// Where reminder entries go (the journal, or stderr).
    var sink: any NotificationSink
    /// Where an entry goes when `sink` fails, so that no reminder is lost.
    var fallbackSink: any NotificationSink
    /// systemd's notify socket, when running under systemd.
    var notifier: SystemdNotifier?
    /// The state store, or nil to keep the state in memory only (replay).
    var store: StateStore?
    /// Loads the timeline (again, on reload); says which config it used.
    var loadTimeline: @Sendable () -> Result<(config: TimelineConfig, description: String), ConfigError>
    /// Reminder keys already in the journal since a wall time (nil: the journal cannot be read).
    var journalKeys: @Sendable (_ since: WallTime) -> [String]?
    /// Watchdog pings, when systemd asked for them.
    var watchdog: WatchdogSettings?
    /// Operational messages.
    var logger: Logger
    /// Reminders delivered more than this late are marked as caught up.
    var caughtUpThreshold: Duration = .seconds(60)
    /// Stop instead of sleeping past this time (replay's window end); nil: run until asked to stop.
    var stopAfter: WallTime? = nil
    /// Called after each load of the timeline (at start and at every reload, good or bad), when the loading
    /// code will not run again for a while: the daemon has its clock give back the code pages when it next
    /// goes idle (`SystemWallClock.releaseCodePagesWhenIdle`).
    var afterLoad: @Sendable () -> Void = {}
}

/// Why the scheduler stopped or could not start.
struct SchedulerError: Error, CustomStringConvertible {
    var description: String
}

/// The daemon's engine: sleeps until the next reminder is due, writes it, and keeps the state.
///
/// Generic over its clock, so tests drive time by hand and `replay` runs it on virtual time. All its
/// state lives in this actor; `requestReload()` and `requestStop()` may be called from any task and wake it.
actor Scheduler<Clock: WallClock> {
    private let environment: SchedulerEnvironment<Clock>
    private var schedule: Schedule?
    private var queue: DueQueue?
    private var state = DeliveryState()
    private var configDescription = ""
    /// Reload and stop requests, set from any thread (signal handlers' tasks) and read by the loop.
    private let requests = Mutex<(reload: Bool, stop: Bool)>((false, false))
    private var stateErrorReported = false
    private var stateDirty = false
    private var nextWatchdogPing: WallTime?
    /// What was last sent as STATUS=, for tests and `status`.
    private(set) var lastStatus = ""
    /// How many reminder entries were written (including caught-up ones).
    private(set) var sentCount = 0

    /// journald's default per-service burst (RateLimitBurst=10000 per RateLimitIntervalSec=30s).
    static var journaldDefaultBurst: Int { 10_000 }

    init(environment: SchedulerEnvironment<Clock>) {
        self.environment = environment
    }

    /// Asks for a reload of the config (SIGHUP); handled at once, between reminders.
    nonisolated func requestReload() {
        requests.withLock { $0.reload = true }
        environment.clock.interrupt()
    }

    /// Asks the scheduler to stop (SIGTERM); it flushes the state and returns from `run()`.
    nonisolated func requestStop() {
        requests.withLock { $0.stop = true }
        environment.clock.interrupt()
    }

    private var stopRequested: Bool { requests.withLock { $0.stop } }

    /// Takes a pending reload request.
    private func takeReloadRequest() -> Bool {
        requests.withLock { requests in
            defer { requests.reload = false }
            return requests.reload
        }
    }

    /// Loads the timeline, catches up, reports READY=1, then delivers reminders until asked to stop.
    func run() async throws {
        try start()
        while !stopRequested && !Task.isCancelled {
            let deadline = nextDeadline()
            if let end = environment.stopAfter, deadline.map({ $0 > end }) ?? true { break }
            let reason = await environment.clock.sleep(until: deadline)
            if stopRequested || Task.isCancelled { break }
            if takeReloadRequest() {
                reload()
            } else if reason == .zoneChanged {
                environment.logger.notice("the system time zone changed; re-reading the timeline")
                reload()
            }
            let now = environment.clock.now()
            pingWatchdogIfDue(now)
            deliverDue(now: now)
        }
        _ = environment.notifier?.stopping(status: "stopping")
        commitState()
    }

    // MARK: - Start and reload

    private func start() throws {
        let loaded: (config: TimelineConfig, description: String)
        switch environment.loadTimeline() {
        case .success(let value): loaded = value
        case .failure(let error):
            logConfigErrors(error.diagnostics, prefix: "")
            throw SchedulerError(description: "the timeline has \(plural(error.errors.count, "error")); not starting")
        }
        let now = environment.clock.now()
        loadState(now: now)
        install(loaded.config, description: loaded.description)
        // Everything due before this start came due while the daemon was not running: caught up.
        deliverDue(now: now, catchingUp: true)
        commitState()
        if let watchdog = environment.watchdog {
            nextWatchdogPing = now.advanced(by: watchdog.pingInterval)
        }
        environment.logger.info(
            "loaded \(loaded.description): \(status(now: now))",
            metadata: ["message_id": "\(MessageID.timelineLoaded)", "config": "\(loaded.description)"]
        )
        for warning in loaded.config.warnings {
            environment.logger.warning("\(warning)")
        }
        setStatus(status(now: now), ready: true)
        environment.afterLoad()
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
    }

    private func install(_ config: TimelineConfig, description: String) {
        let schedule = Schedule(config: config)
        self.schedule = schedule
        self.configDescription = description
        queue = DueQueue(schedule: schedule, after: Instant(secondsSinceEpoch: state.watermark ?? 0))
        // Parsing a large config leaves freed memory in malloc's arenas; give it back, so the steady RSS is
        // the timeline's own.
        malloc_trim(0)
    }

    private func reload() {
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
            install(loaded.config, description: loaded.description)
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
                "reload failed: \(plural(error.errors.count, "error"))\(first); still running the previous timeline. "
                    + status(now: now),
                ready: true
            )
        }
        environment.afterLoad()
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

    private func nextDeadline() -> WallTime? {
        let due = queue?.peek.map { WallTime(seconds: $0.due.secondsSinceEpoch) }
        switch (due, nextWatchdogPing) {
        case (let d?, let w?): return min(d, w)
        case (let d?, nil): return d
        case (nil, let w?): return w
        case (nil, nil): return nil
        }
    }

    private func pingWatchdogIfDue(_ now: WallTime) {
        guard let next = nextWatchdogPing, let watchdog = environment.watchdog, now >= next else { return }
        _ = environment.notifier?.watchdog()
        let interval = watchdog.pingInterval
        var following = next.advanced(by: interval)
        if following <= now { following = now.advanced(by: interval) }
        nextWatchdogPing = following
    }

    /// Writes every reminder due at or before `now`, in order; then saves the state once.
    ///
    /// A reminder is marked caught up (`CAUGHT_UP=1`, its own MESSAGE_ID) when it is sent at start after
    /// downtime (`catchingUp`), or more than `caughtUpThreshold` late (a clock jump, a resume from suspend).
    private func deliverDue(now: WallTime, catchingUp: Bool = false) {
        guard var queue, let schedule else { return }
        let nowSeconds = now.seconds
        let batch = queue.popAll(through: Instant(secondsSinceEpoch: nowSeconds))
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
            let lateness = WallTime(seconds: instance.due.secondsSinceEpoch).duration(to: now)
            if lateness > .seconds(window) {
                missed.append(instance)
                continue
            }
            let caughtUp = catchingUp ? lateness > .zero : lateness > environment.caughtUpThreshold
            let entry = formatter.entry(for: instance, now: environment.clock.now(), caughtUp: caughtUp, key: key)
            write(entry)
            sentCount += 1
            state.sentAfterWatermark.insert(key)
            if let store = environment.store {
                do {
                    try store.recordSent(key: key)
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

    private func write(_ entry: JournalEntry) {
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

    private func commitState() {
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
    private func reportStateError(_ text: String) {
        guard !stateErrorReported else { return }
        stateErrorReported = true
        environment.logger.error(
            "\(text); reminders are still sent, the state is saved when it can be",
            metadata: ["message_id": "\(MessageID.stateError)"]
        )
    }

    // MARK: - Status

    /// "22 milestones, 61 reminders pending; next: ..., at ... (in 5 days)".
    func status(now: WallTime) -> String {
        guard let schedule, let queue else { return "no timeline" }
        var text = "\(schedule.milestones.count) milestones, \(queue.pendingCount) reminders pending"
        if let next = queue.peek {
            text +=
                "; next: "
                + InstanceFormatting(schedule: schedule).sentence(
                    next,
                    now: Instant(secondsSinceEpoch: now.seconds)
                )
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

/// "1 error", "3 errors".
func plural(_ count: Int, _ noun: String) -> String {
    count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
}
