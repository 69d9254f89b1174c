import Gettext
import Logging
import Timeline

/// The daemon's engine: a synchronous core that is told "it is now T" and answers "wake me at T2"; it writes the
/// reminders due by T, keeps the state and reports to systemd, and never sleeps. The caller owns time (the
/// sd-event loop, `replay`'s virtual clock, a test's manual clock), on one thread at a time.
///
/// Crash safety (docs/robustness.md): what it writes goes to the journal, then into the state's log, then into a
/// snapshot; after a `kill -9` between the first two, the next start reads its own journal entries back
/// (`SchedulerEnvironment.journalValues`), so nothing is lost and nothing is written twice.
public final class Scheduler {
    let environment: SchedulerEnvironment
    private(set) var schedule: Schedule?
    private(set) var queue: DueQueue?
    private(set) var state = DeliveryState()
    private var stateDirty = false
    private var stateErrorReported = false
    /// Told of each reminder written and each follow-up recorded, in order; set before `start()`.
    public var observers: [any DeliveryObserver] = []
    /// What was last sent as STATUS=, for tests and the bus.
    public private(set) var lastStatus = ""

    /// journald's default per-service burst (RateLimitBurst=10000 per RateLimitIntervalSec=30s).
    static var journaldDefaultBurst: Int { 10_000 }

    /// A scheduler on `environment`; nothing happens until `start()`.
    public init(environment: SchedulerEnvironment) {
        self.environment = environment
    }

    /// Where the scheduler logs; the parts wired to it log there too.
    public var logger: Logger { environment.logger }

    /// The language of what the daemon writes for people (journal entries, its log lines, STATUS=): the config's
    /// `language`, else the process's locale, through gettext.
    public var localizer: Localizer { Gettext.localizer(language: schedule?.config.defaults.language) }

    /// The milestones of the running timeline (none before `start()`).
    public var milestones: [Milestone] { schedule?.milestones ?? [] }

    /// When the scheduler must be woken next: the next reminder due, or the next return or repeat of a follow-up
    /// (nil: nothing more is due).
    public var nextDeadline: WallTime? {
        let due = queue?.peek.map { WallTime($0.due) }
        let followUp = state.followUps.nextFollowUp.map { WallTime(seconds: $0) }
        guard let due, let followUp else { return due ?? followUp }
        return min(due, followUp)
    }

    /// Loads the timeline and the state, sends what came due while the daemon was not running (caught up),
    /// reports READY=1, and answers when to wake next.
    ///
    /// - Throws: `SchedulerError` when the timeline cannot be loaded (its errors are logged).
    public func start() throws(SchedulerError) -> WallTime? {
        let loaded: LoadedTimeline
        switch environment.loadTimeline() {
        case .success(let value): loaded = value
        case .failure(let error):
            logConfigErrors(error.diagnostics, prefix: "")
            throw SchedulerError(
                description: localizer.trn(
                    "the timeline has %d error; not starting",
                    "the timeline has %d errors; not starting",
                    error.errorCount
                )
            )
        }
        let now = environment.clock.now()
        loadState(now: now)
        install(loaded.config)
        // Everything due before this start came due while the daemon was not running: caught up.
        deliver(now: now, catchingUp: true)
        commitState()
        announce(loaded, reloaded: false, now: now)
        return nextDeadline
    }

    /// It is now `now` (a due timer fired, or the wall clock was stepped): writes every reminder due at or
    /// before `now`, in order, then the returns and repeats due, and answers when to wake next.
    public func advance(to now: WallTime) -> WallTime? {
        deliver(now: now, catchingUp: false)
        return nextDeadline
    }

    /// Reloads the config (SIGHUP): a broken config keeps the running timeline. Answers when to wake next.
    public func reload() -> WallTime? {
        let now = environment.clock.now()
        _ = environment.notifier?.reloading(status: localizer.tr("reloading the timeline"))
        switch environment.loadTimeline() {
        case .success(let loaded):
            // What the old timeline has due by now goes out first; the new one starts from now, so a milestone
            // added with reminders in the past does not send them (as on a first start).
            deliverDue(now: now, catchingUp: false)
            if (state.watermark ?? now.seconds) < now.seconds {
                state.watermark = now.seconds
                stateDirty = true
                commitState()
            }
            install(loaded.config)
            announce(loaded, reloaded: true, now: now)
        case .failure(let error):
            let l10n = localizer
            logConfigErrors(error.errors, prefix: l10n.tr("reload failed: "))
            let errors = l10n.trn("%d error", "%d errors", error.errorCount)
            let failed =
                error.errors.first.map { l10n.tr("reload failed: %s (first: %s)", errors, "\($0.location)") }
                ?? l10n.tr("reload failed: %s", errors)
            setStatus(l10n.tr("%s; still running the previous timeline. %s", failed, status(now: now)), ready: true)
        }
        return nextDeadline
    }

    /// The system time zone changed: local times are re-read with the new zone. Answers when to wake next.
    public func timeZoneChanged() -> WallTime? {
        environment.logger.notice(
            .init(stringLiteral: localizer.tr("the system time zone changed; re-reading the timeline"))
        )
        return reload()
    }

    /// Saves the state and reports STOPPING=1 (SIGTERM).
    public func stop() {
        _ = environment.notifier?.stopping(status: localizer.tr("stopping"))
        commitState()
    }

    /// "22 milestones, 61 reminders pending; next: ..., at ... (in 5 days)".
    public func status(now: WallTime) -> String {
        let l10n = localizer
        guard let schedule, let queue else { return l10n.tr("no timeline") }
        let milestones = l10n.trn("%d milestone", "%d milestones", schedule.milestones.count)
        let reminders = l10n.trn("%d reminder pending", "%d reminders pending", queue.pendingCount)
        guard let next = queue.peek else { return l10n.tr("%s, %s; nothing more is due", milestones, reminders) }
        let sentence = InstanceFormatting(schedule: schedule, localizer: l10n).sentence(next, now: Instant(now))
        return l10n.tr("%s, %s; next: %s", milestones, reminders, sentence)
    }

    // MARK: - Loading

    private func loadState(now: WallTime) {
        guard let store = environment.store else {
            state = DeliveryState(watermark: now.seconds)
            return
        }
        do {
            state = try store.load()
        } catch {
            reportStateError(
                localizer.tr(
                    "cannot read the state: %s; starting as if from now, nothing will be caught up",
                    "\(error)"
                )
            )
            if let path = try? store.quarantineSnapshot() {
                environment.logger.notice(
                    .init(stringLiteral: localizer.tr("the unreadable state file was kept as %s", path))
                )
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
        if let keys = environment.journalValues("REMINDER_KEY", MessageID.reminderIDs, WallTime(seconds: watermark)) {
            state.sentAfterWatermark.formUnion(keys)
        }
        for (key, until) in writtenAgain(.returned, from: state.followUps.nextReturn, watermark: watermark) {
            state.followUps.apply(.returned(key: key, until: until))
        }
        for (key, next) in writtenAgain(.repeated, from: state.followUps.nextRepeat, watermark: watermark) {
            guard let current = state.followUps.repeating[key], current.next == next else { continue }
            state.followUps.apply(.repeating(key: key, next: current.following(writtenAt: next)))
        }
    }

    /// The reminders this daemon's journal says were written again as `kind` (their keys and instants) since the
    /// earlier of `watermark` and `first` (the first such the state still owes; nil: none, and nothing is read).
    private func writtenAgain(_ kind: Redelivery.Kind, from first: Int64?, watermark: Int64) -> [(String, Int64)] {
        guard let first else { return [] }
        let since = WallTime(seconds: min(watermark, first))
        guard let values = environment.journalValues(kind.keyField, [kind.messageID], since) else { return [] }
        return values.compactMap { value in
            guard let at = value.lastIndex(of: "@"), let seconds = Int64(value[value.index(after: at)...]) else {
                return nil
            }
            return (String(value[..<at]), seconds)
        }
    }

    private func install(_ config: TimelineConfig) {
        let schedule = Schedule(config: config)
        self.schedule = schedule
        queue = DueQueue(schedule: schedule, after: Instant(secondsSinceEpoch: state.watermark ?? 0))
    }

    /// Logs the timeline just (re)loaded and its warnings, and reports READY=1 with the new status.
    private func announce(_ loaded: LoadedTimeline, reloaded: Bool, now: WallTime) {
        let l10n = localizer
        let text =
            reloaded
            ? l10n.tr("reloaded %s: %s", loaded.description, status(now: now))
            : l10n.tr("loaded %s: %s", loaded.description, status(now: now))
        let messageID = reloaded ? MessageID.timelineReloaded : MessageID.timelineLoaded
        environment.logger.log(
            level: reloaded ? .notice : .info,
            "\(text)",
            metadata: ["message_id": "\(messageID)", "config": "\(loaded.description)"]
        )
        for warning in loaded.config.warnings {
            environment.logger.warning("\(warning.description(in: l10n))")
        }
        setStatus(status(now: now), ready: true)
    }

    /// Logs each config problem at PRIORITY=err with its place as fields.
    private func logConfigErrors(_ diagnostics: [Diagnostic], prefix: String) {
        for diagnostic in diagnostics {
            environment.logger.error(
                "\(prefix)\(diagnostic.description(in: localizer))",
                metadata: [
                    "message_id": "\(MessageID.reloadFailed)", "config_file": "\(diagnostic.location.file)",
                    "config_line": "\(diagnostic.location.line)", "config_column": "\(diagnostic.location.column)",
                ]
            )
        }
    }

    // MARK: - Delivering

    /// Writes what is due by `now`: the reminders, then the returns of snoozes, then the repeats of nagging ones.
    private func deliver(now: WallTime, catchingUp: Bool) {
        deliverDue(now: now, catchingUp: catchingUp)
        guard schedule != nil else { return }
        let watermark = state.watermark ?? now.seconds
        var changed = false
        if state.followUps.dismissedAhead.contains(where: { $0.value <= watermark }) {
            state.followUps.prune(watermark: watermark)
            changed = true
        }
        let returns = state.followUps.snoozed.filter { $0.value <= now.seconds }
        redeliver(returns.map { Redelivery.returned(key: $0.key, until: $0.value) }, now: now, catchingUp: catchingUp)
        // A return starts its repeats from now, so those are not due yet.
        let repeats = state.followUps.repeating.filter { $0.value.next <= now.seconds }
        redeliver(repeats.map { Redelivery.repeated(key: $0.key, $0.value) }, now: now, catchingUp: catchingUp)
        if changed || !returns.isEmpty || !repeats.isEmpty {
            stateDirty = true
            commitState()
        }
    }

    /// Writes every reminder due at or before `now`, in order; then saves the state once.
    ///
    /// A reminder is marked caught up (`CAUGHT_UP=1`, its own MESSAGE_ID) when it is sent at start after
    /// downtime (`catchingUp`), or more than `caughtUpThreshold` late (a clock jump, a resume from suspend).
    private func deliverDue(now: WallTime, catchingUp: Bool) {
        guard let schedule, let batch = queue?.popAll(through: Instant(now)), !batch.isEmpty else { return }
        if batch.count > Self.journaldDefaultBurst {
            // journald drops a service's messages beyond its burst limit unless the unit raises
            // LogRateLimitBurst= (the shipped unit does); say so before the burst, not after.
            let notice = localizer.tr(
                "%s reminders are due at once; if the unit does not raise LogRateLimitBurst= (the shipped unit does), journald may drop some of them",
                String(batch.count)
            )
            environment.logger.notice("\(notice)")
        }
        let formatter = ReminderEntry(schedule: schedule)
        let window = schedule.config.defaults.catchUpWindow
        var missed: [ReminderInstance] = []
        for instance in batch {
            let key = schedule.key(of: instance)
            if state.sentAfterWatermark.contains(key) || state.followUps.holdsBack(key) { continue }
            let lateness = WallTime(instance.due).duration(to: now)
            if lateness > .seconds(window) {
                missed.append(instance)
                continue
            }
            let caughtUp = catchingUp ? lateness > .zero : lateness > environment.caughtUpThreshold
            let entry = formatter.entry(for: instance, now: environment.clock.now(), caughtUp: caughtUp, key: key)
            write(entry)
            if !observers.isEmpty { tellObservers(entry, instance: instance, key: key, as: nil) }
            state.sentAfterWatermark.insert(key)
            let repeats = startRepeats(key: key, instance: instance, now: now)
            for record in repeats { state.followUps.apply(record) }
            do {
                try environment.store?.recordSent(key: key, with: repeats)
            } catch {
                reportStateError(localizer.tr("cannot record a sent reminder: %s", "\(error)"))
            }
        }
        if !missed.isEmpty {
            write(
                ReminderEntry.missedSummary(missed, schedule: schedule, window: window, localizer: formatter.localizer)
            )
        }
        state.watermark = max(state.watermark ?? now.seconds, now.seconds)
        state.sentAfterWatermark = []
        stateDirty = true
        commitState()
        setStatus(status(now: now), ready: false)
    }

    /// Writes `due` again in the order of their instants (then keys), each caught up when it is late by `now` as a
    /// reminder would be, and records what follows each (the snapshot waits for the caller): a return ends the
    /// snooze and starts the repeats again; a repeat makes way for the next, if any. One whose reminder is gone
    /// is dropped, with a notice.
    private func redeliver(_ due: [Redelivery], now: WallTime, catchingUp: Bool) {
        guard let schedule else { return }
        for redelivery in due.sorted(by: { ($0.due, $0.key) < ($1.due, $1.key) }) {
            let key = redelivery.key
            guard let instance = schedule.instance(forKey: key),
                redelivery.isOwed(with: schedule.delivery(of: instance))
            else {
                let dropped = redelivery.dropped
                environment.logger.notice(
                    "\(dropped.notice.text(in: localizer))",
                    metadata: ["message_id": "\(dropped.messageID)", "reminder_key": "\(key)"]
                )
                record([dropped.record], commit: false)
                continue
            }
            let lateness = WallTime(seconds: redelivery.due).duration(to: now)
            let caughtUp = catchingUp ? lateness > .zero : lateness > environment.caughtUpThreshold
            let entry = redelivery.entry(
                of: instance,
                schedule: schedule,
                at: environment.clock.now(),
                caughtUp: caughtUp
            )
            write(entry)
            switch redelivery {
            case .returned(_, let until):
                let repeats = startRepeats(key: key, instance: instance, now: now)
                record([.returned(key: key, until: until)] + repeats, commit: false)
            case .repeated(_, let current):
                record([.repeating(key: key, next: current.following(writtenAt: now.seconds))], commit: false)
            }
            tellObservers(entry, instance: instance, key: key, as: redelivery)
        }
    }

    /// The record that starts the repeats of `instance` written at `now`: none when its delivery does not repeat.
    private func startRepeats(key: String, instance: ReminderInstance, now: WallTime) -> [FollowUpRecord] {
        guard let schedule, let repetition = schedule.delivery(of: instance).repetition, repetition.times > 0 else {
            return []
        }
        let first = FollowUps.Repeat(
            next: now.seconds + repetition.every,
            left: repetition.times,
            every: repetition.every
        )
        return [.repeating(key: key, next: first)]
    }

    /// Tells the observers of `entry`, just written for `instance`: on time or caught up, or again (`redelivery`).
    private func tellObservers(
        _ entry: JournalEntry,
        instance: ReminderInstance,
        key: String,
        as redelivery: Redelivery?
    ) {
        guard let schedule, !observers.isEmpty else { return }
        let delivered = DeliveredReminder(
            entry: entry,
            key: key,
            milestone: schedule.milestone(of: instance),
            instance: instance,
            isReturn: redelivery?.kind == .returned,
            isRepeat: redelivery?.kind == .repeated
        )
        for observer in observers { observer.delivered(delivered) }
    }

    /// Writes `entry` to the sink; when the sink refuses it, to the fallback, so that no entry is lost.
    func write(_ entry: JournalEntry) {
        do {
            try environment.sink.write(entry)
        } catch {
            try? environment.fallbackSink.write(entry)
        }
    }

    // MARK: - State

    /// Applies `records` to the state, appends them to the log in one write, and (unless told not to) saves a
    /// new snapshot; then tells the observers.
    func record(_ records: [FollowUpRecord], commit: Bool = true) {
        guard let first = records.first else { return }
        for record in records { state.followUps.apply(record) }
        do {
            try environment.store?.record(records)
        } catch {
            reportStateError(
                localizer.tr(
                    "cannot record a %s: %s",
                    String(first.logLine.split(separator: " ")[0].dropFirst()),
                    "\(error)"
                )
            )
        }
        if commit {
            stateDirty = true
            commitState()
        }
        for record in records {
            for observer in observers { observer.followedUp(record) }
        }
    }

    /// Applies delivery `records` to the state and appends them to the log in one write; the next snapshot takes
    /// them.
    func record(_ records: [DeliveryRecord]) {
        guard !records.isEmpty else { return }
        for record in records { state.deliveries.apply(record) }
        do {
            try environment.store?.record(records)
        } catch {
            reportStateError(localizer.tr("cannot record a delivery: %s", "\(error)"))
        }
        stateDirty = true
    }

    private func commitState() {
        guard stateDirty, let store = environment.store else { return }
        do {
            try store.commit(state)
            stateDirty = false
            if stateErrorReported {
                stateErrorReported = false
                environment.logger.notice(
                    .init(stringLiteral: localizer.tr("the state can be saved again")),
                    metadata: ["message_id": "\(MessageID.stateError)"]
                )
            }
        } catch {
            reportStateError(localizer.tr("cannot save the state: %s", "\(error)"))
        }
    }

    /// Logs a state problem once (not once per reminder) until the state can be saved again.
    private func reportStateError(_ text: String) {
        guard !stateErrorReported else { return }
        stateErrorReported = true
        environment.logger.error(
            .init(stringLiteral: localizer.tr("%s; reminders are still sent, the state is saved when it can be", text)),
            metadata: ["message_id": "\(MessageID.stateError)"]
        )
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
