import Glibc
import Timeline

/// Hands each reminder to its named channels (`[channel.NAME]` in `notify`, and an iCalendar alarm's `ics-mail`)
/// once: a delivery per channel, recorded in the state before its first unit starts
/// (`sse-timeline-deliver@<id>-<attempt>.service`, `DeliveryUnit`), recorded as sent when the job ends `done`,
/// retried with backoff until the channel's `retry_for` has passed since the reminder came due, then given up
/// with a warning. At start, every delivery the state holds (not sent) starts again.
///
/// A reminder's channels are its first delivery's: not its nagging repeats, nor its return after a snooze (a
/// person's snooze is about this machine's journal and desktop; the channels were told already).
///
/// The loop never waits, and the journal entries of reminders due together are not held up by their deliveries:
/// `delivered(_:)` only appends the deliveries' record to the state (one write per reminder, as the scheduler's own
/// record); their entries and units follow in `flush()`, which the daemon calls once the wake-up's reminders are all
/// written (a `PostSource`). `StartUnit` is an asynchronous call, and at most `maximumRunning` deliveries are
/// between their `StartUnit` and their `JobRemoved` at once; the others wait their turn in order and start as
/// earlier ones end.
public final class ChannelDeliverer: DeliveryObserver {
    /// Deliveries started and not ended at once, at most.
    public static let maximumRunning = 16

    /// A delivery waiting for its next attempt, as `sse-timeline pending` shows it.
    public struct Retry: Sendable, Equatable {
        /// The delivery's id, `KEY|channel`.
        public var id: String
        /// How many attempts failed.
        public var attempts: Int
        /// When the next starts.
        public var next: WallTime
        /// How the last failed.
        public var lastFailure: String
    }

    private unowned let scheduler: Scheduler
    private let manager: any UnitManager
    private let clock: any WallClock
    private let runtimeDirectory: String?
    private let write: (JournalEntry) -> Void
    private let wake: (WallTime?) -> Void
    /// The reminder of each delivery being dealt with, by id: queued, starting, running or waiting for a retry.
    private var reminders: [String: DeliveredReminder] = [:]
    /// Deliveries recorded by `delivered(_:)` whose entry and start wait for `flush()`.
    private var fresh: [String] = []
    private var queue: [String] = []
    private var queueStart = 0
    private var starting = 0
    private var running: [BusObjectPath: (unit: DeliveryUnit, file: String?)] = [:]
    private var retries: [String: Int64] = [:]

    /// Deliveries for `scheduler`'s reminders, whose state keeps them, through `manager`; `runtimeDirectory` holds
    /// the environment files, `write` writes the entries, and `wake` arms the retry timer (nil: none is waiting),
    /// which calls `retryDue()`.
    public init(
        scheduler: Scheduler,
        manager: any UnitManager,
        clock: any WallClock,
        runtimeDirectory: String?,
        write: @escaping (JournalEntry) -> Void,
        wake: @escaping (WallTime?) -> Void
    ) {
        self.scheduler = scheduler
        self.manager = manager
        self.clock = clock
        self.runtimeDirectory = runtimeDirectory
        self.write = write
        self.wake = wake
        let others = manager.jobRemoved
        manager.jobRemoved = { [weak self] in
            others?($0)
            self?.finished($0)
        }
    }

    public func delivered(_ reminder: DeliveredReminder) {
        guard !reminder.isRepeat, !reminder.isReturn else { return }
        let names = reminder.milestone.delivery(ofReminder: Int(reminder.instance.reminderIndex)).remote
        guard !names.isEmpty else { return }
        let due = reminder.instance.due.secondsSinceEpoch
        let ids = names.map { "\(reminder.key)|\($0)" }.filter { reminders[$0] == nil }
        scheduler.record(ids.map { .queued(id: $0, due: due) })
        for id in ids { reminders[id] = reminder }
        fresh += ids
    }

    /// Writes the entries of the deliveries recorded since the last call and starts them (as far as
    /// `maximumRunning` allows): the daemon calls it after each wake-up of the loop.
    public func flush() {
        guard !fresh.isEmpty else { return }
        for id in fresh {
            let queued = scheduler.localizer.tr("Delivery queued")
            write(entry(.info, MessageID.deliveryQueued, queued, id: id, attempt: 1, reminders[id]))
        }
        queue += fresh
        fresh.removeAll()
        startWaiting()
    }

    /// Starts every delivery the state holds that is not under way: at start, those a stop or a crash left.
    public func resume() {
        flush()
        for id in scheduler.pendingDeliveries.keys.sorted() where reminders[id] == nil {
            let key = PendingDelivery.parts(of: id).key
            guard let reminder = scheduler.reminder(forKey: key) else {
                giveUp(id, attempts: scheduler.pendingDeliveries[id]?.failures ?? 0, "the reminder left the timeline")
                continue
            }
            reminders[id] = reminder
            queue.append(id)
        }
        startWaiting()
    }

    /// Starts the retries whose time has come (the retry timer fired), and arms it for the next.
    public func retryDue() {
        let now = clock.now().seconds
        for (id, _) in retries.filter({ $0.value <= now }).sorted(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
            retries[id] = nil
            queue.append(id)
        }
        wake(retries.values.min().map { WallTime(seconds: $0) })
        startWaiting()
    }

    /// The deliveries waiting for a retry, the next first.
    public var waitingRetries: [Retry] {
        retries.map { id, next in
            let pending = scheduler.pendingDeliveries[id]
            return Retry(
                id: id,
                attempts: pending?.failures ?? 0,
                next: WallTime(seconds: next),
                lastFailure: pending?.lastFailure ?? ""
            )
        }.sorted { ($0.next, $0.id) < ($1.next, $1.id) }
    }

    // MARK: - Attempts

    /// Starts queued deliveries while fewer than `maximumRunning` are under way.
    private func startWaiting() {
        while starting + running.count < Self.maximumRunning, queueStart < queue.count {
            let id = queue[queueStart]
            queueStart += 1
            start(id)
        }
        if queueStart == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueStart = 0
        }
    }

    private func start(_ id: String) {
        guard let pending = scheduler.pendingDeliveries[id], let reminder = reminders[id] else {
            reminders[id] = nil
            return
        }
        let unit = DeliveryUnit(id: id, attempt: pending.failures + 1)
        guard let channel = channel(of: id, reminder) else {
            giveUp(id, attempts: pending.failures, "the channel is no longer configured")
            return
        }
        guard
            let file = unit.writeEnvironmentFile(
                channel: channel,
                entry: reminder.entry,
                runtimeDirectory: runtimeDirectory
            )
        else {
            failed(unit, reason: "no-environment-file")
            return
        }
        starting += 1
        manager.startUnit(unit.name) { [weak self] result in
            guard let self else { return }
            starting -= 1
            switch result {
            case .success(let job):
                running[job] = (unit, file)
            case .failure(let error):
                unlink(file)
                failed(unit, reason: error.name)
            }
            startWaiting()
        }
    }

    private func finished(_ job: JobResult) {
        guard let (unit, file) = running.removeValue(forKey: job.path) else { return }
        if let file { unlink(file) }
        if job.result == "done" {
            scheduler.record([.sent(id: unit.id, attempt: unit.attempt)])
            reminders[unit.id] = nil
        } else {
            failed(unit, reason: job.result)
        }
        startWaiting()
    }

    /// Records the failure, then schedules the next attempt (1 minute after the first failure, doubling up to an
    /// hour, the last at the end of `retry_for`), or gives up once `retry_for` has passed since the reminder came
    /// due.
    private func failed(_ unit: DeliveryUnit, reason: String) {
        scheduler.record([.failed(id: unit.id, attempt: unit.attempt, reason: reason)])
        guard let pending = scheduler.pendingDeliveries[unit.id], let reminder = reminders[unit.id] else { return }
        let retryFor = channel(of: unit.id, reminder)?.retryFor ?? Channel.defaultRetryFor
        let now = clock.now().seconds
        let end = pending.due + retryFor
        guard now < end else {
            giveUp(unit.id, attempts: unit.attempt, "retry_for has passed; last failure: \(reason)")
            return
        }
        retries[unit.id] = min(now + DeliveryUnit.backoff(afterAttempt: unit.attempt), end)
        wake(retries.values.min().map { WallTime(seconds: $0) })
    }

    private func giveUp(_ id: String, attempts: Int, _ why: String) {
        let reminder =
            reminders.removeValue(forKey: id) ?? scheduler.reminder(forKey: PendingDelivery.parts(of: id).key)
        scheduler.record([.gaveUp(id: id, attempt: attempts)])
        let l10n = scheduler.localizer
        let what = l10n.trn(
            "Delivery given up after %d attempt (%s)",
            "Delivery given up after %d attempts (%s)",
            attempts,
            why
        )
        write(entry(.warning, MessageID.deliveryGivenUp, what, id: id, attempt: attempts, reminder, reason: why))
    }

    /// The channel of delivery `id`: a `[channel.NAME]` of the running timeline, or the `ics-mail` of the
    /// reminder's alarm; nil when it is gone.
    private func channel(of id: String, _ reminder: DeliveredReminder) -> Channel? {
        let name = PendingDelivery.parts(of: id).channel
        guard name == Channel.icsMail else { return scheduler.channels[name] }
        let recipients = reminder.milestone.delivery(ofReminder: Int(reminder.instance.reminderIndex)).mailTo
        return recipients.isEmpty ? nil : Channel(name: name, kind: .mail(recipients))
    }

    private func entry(
        _ priority: Priority,
        _ messageID: String,
        _ what: String,
        id: String,
        attempt: Int,
        _ reminder: DeliveredReminder?,
        reason: String? = nil
    ) -> JournalEntry {
        let (key, channel) = PendingDelivery.parts(of: id)
        let l10n = scheduler.localizer
        let title = reminder?.label(l10n) ?? key
        var fields: [(name: String, value: String)] = [
            ("MESSAGE_ID", messageID), ("SYSLOG_IDENTIFIER", JournalEntry.syslogIdentifier), ("REMINDER_KEY", key),
            ("CHANNEL", channel), ("DELIVERY_ID", id), ("ATTEMPT", String(attempt)),
        ]
        if let reminder { fields.append(("MILESTONE_ID", reminder.milestone.id)) }
        if let reason { fields.append(("REASON", reason)) }
        return JournalEntry(message: l10n.tr("%s: %s to %s.", what, title, channel), priority: priority, fields: fields)
    }
}
