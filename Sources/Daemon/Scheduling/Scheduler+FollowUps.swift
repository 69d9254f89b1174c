import Timeline

/// A reminder to come: due on time, or back after a snooze. What `ListPending` and `sse-timeline pending`
/// show.
public struct PendingReminder: Sendable, Equatable {
    /// Whether it is a reminder to come on time or one that was snoozed.
    public enum State: String, Sendable {
        /// It comes at its due instant.
        case upcoming
        /// It comes back after a snooze.
        case snoozed
    }

    /// Its key, for `snooze` and `dismiss`.
    public var key: String
    /// The milestone's id.
    public var milestoneID: String
    /// The milestone's title (for a snoozed reminder whose milestone left the timeline: the key).
    public var title: String
    /// The reminder as configured ("1 day before").
    public var reminder: String
    /// When it comes (back).
    public var due: WallTime
    /// When it was first due (the same as `due` for an upcoming reminder).
    public var originalDue: WallTime
    /// Upcoming or snoozed.
    public var state: State
}

/// The follow-up API: snooze, dismiss, and what is pending. Each is a journal entry (`reminderSnoozed`,
/// `reminderDismissed`), then a record (`record(_:)`), as for every entry the scheduler writes.
extension Scheduler {
    /// The longest snooze: a year and a day.
    public static let maximumSnooze: Int64 = 366 * 86400

    /// Snoozes the reminder `key` for `duration` from now: it is written again then, after a restart too (and, when
    /// it has not come due yet, not at its due instant). Answers when to wake next.
    ///
    /// - Throws: `FollowUpError` for an unknown key, a duration outside 1 s to 366 days, or a reminder that
    ///   comes due only after the snooze would end.
    public func snooze(key: String, for duration: Duration) throws(FollowUpError) -> WallTime? {
        let seconds = duration.components.seconds + (duration.components.attoseconds > 0 ? 1 : 0)
        guard seconds >= 1, seconds <= Self.maximumSnooze else { throw .invalidDuration(seconds) }
        guard let schedule else { throw .noTimeline }
        guard let instance = schedule.instance(forKey: key) else { throw .unknownKey(key) }
        let now = environment.clock.now()
        // Whole seconds, rounded up: it never comes back before the time asked.
        let until = now.seconds + seconds + (now.nanosecondsOfSecond > 0 ? 1 : 0)
        let milestone = schedule.milestone(of: instance)
        if instance.due.secondsSinceEpoch > now.seconds, instance.due.secondsSinceEpoch >= until {
            throw .notDueYet(key, due: ReminderMath.iso8601(instance.due, in: milestone.zone))
        }
        let untilText = ReminderMath.iso8601(Instant(secondsSinceEpoch: until), in: milestone.zone)
        let l10n = localizer
        write(
            followUpEntry(
                MessageID.reminderSnoozed,
                l10n.tr(
                    "Reminder snoozed until %s: %s (%s).",
                    untilText,
                    milestone.title(in: l10n.language),
                    InstanceFormatting.reminderText(schedule.reminder(of: instance), l10n)
                ),
                instance: instance,
                key: key,
                schedule: schedule,
                extra: [("SNOOZED_UNTIL", untilText), ("SNOOZE_USEC", String(seconds * 1_000_000))]
            )
        )
        record([.snoozed(key: key, until: until)])
        return nextDeadline
    }

    /// Dismisses the reminder `key`: its snooze and repeats end, and, when it has not come due yet, it is not sent.
    /// Answers when to wake next.
    ///
    /// - Throws: `FollowUpError.unknownKey` when the timeline has no such reminder and none is snoozed.
    public func dismiss(key: String) throws(FollowUpError) -> WallTime? {
        guard let schedule else { throw .noTimeline }
        let now = environment.clock.now()
        guard let instance = schedule.instance(forKey: key) else {
            // A snooze of a reminder that left the timeline can still be ended.
            guard state.followUps.snoozed[key] != nil else { throw .unknownKey(key) }
            write(
                JournalEntry(
                    message: localizer.tr("Reminder dismissed: %s.", key),
                    priority: .info,
                    fields: [
                        ("MESSAGE_ID", MessageID.reminderDismissed),
                        ("SYSLOG_IDENTIFIER", JournalEntry.syslogIdentifier),
                        ("REMINDER_KEY", key),
                    ]
                )
            )
            record([.dismissed(key: key, due: nil)])
            return nextDeadline
        }
        let ahead = instance.due.secondsSinceEpoch > now.seconds
        let milestone = schedule.milestone(of: instance)
        let l10n = localizer
        let reminder = InstanceFormatting.reminderText(schedule.reminder(of: instance), l10n)
        let title = milestone.title(in: l10n.language)
        write(
            followUpEntry(
                MessageID.reminderDismissed,
                ahead
                    ? l10n.tr("Reminder dismissed before it came due; it will not be sent: %s (%s).", title, reminder)
                    : l10n.tr("Reminder dismissed: %s (%s).", title, reminder),
                instance: instance,
                key: key,
                schedule: schedule,
                extra: ahead ? [("DISMISSED_AHEAD", "1")] : []
            )
        )
        record([.dismissed(key: key, due: ahead ? instance.due.secondsSinceEpoch : nil)])
        return nextDeadline
    }

    /// The next `limit` reminders to come, on time or back after a snooze, in the order they will be written.
    public func pending(limit: Int) -> [PendingReminder] {
        guard var queue, let schedule, limit > 0 else { return [] }
        let followUps = state.followUps
        var result: [PendingReminder] = []
        // Held-back instances are skipped; there are at most as many of them as follow-ups.
        var budget = limit + followUps.snoozed.count + followUps.dismissedAhead.count
        while result.count < limit, budget > 0, let instance = queue.pop() {
            budget -= 1
            let key = schedule.key(of: instance)
            if followUps.holdsBack(key) || state.sentAfterWatermark.contains(key) { continue }
            result.append(pendingReminder(instance, key: key, due: WallTime(instance.due), state: .upcoming))
        }
        for (key, until) in followUps.snoozed {
            if let instance = schedule.instance(forKey: key) {
                result.append(pendingReminder(instance, key: key, due: WallTime(seconds: until), state: .snoozed))
            } else {
                let id = String(key.prefix { $0 != "|" })
                result.append(
                    PendingReminder(
                        key: key,
                        milestoneID: id,
                        title: key,
                        reminder: "",
                        due: WallTime(seconds: until),
                        originalDue: WallTime(seconds: until),
                        state: .snoozed
                    )
                )
            }
        }
        result.sort { ($0.due, $0.key) < ($1.due, $1.key) }
        return Array(result.prefix(limit))
    }

    private func pendingReminder(
        _ instance: ReminderInstance,
        key: String,
        due: WallTime,
        state: PendingReminder.State
    ) -> PendingReminder {
        let schedule = schedule!
        let milestone = schedule.milestone(of: instance)
        return PendingReminder(
            key: key,
            milestoneID: milestone.id,
            title: milestone.title,
            reminder: schedule.reminder(of: instance).text,
            due: due,
            originalDue: WallTime(instance.due),
            state: state
        )
    }

    /// An entry about a reminder: its milestone, reminder, key and due instant, and `extra` fields.
    private func followUpEntry(
        _ messageID: String,
        _ message: String,
        instance: ReminderInstance,
        key: String,
        schedule: Schedule,
        extra: [(name: String, value: String)]
    ) -> JournalEntry {
        let milestone = schedule.milestone(of: instance)
        return JournalEntry(
            message: message,
            priority: .info,
            fields: [
                ("MESSAGE_ID", messageID),
                ("SYSLOG_IDENTIFIER", JournalEntry.syslogIdentifier),
                ("MILESTONE_ID", milestone.id),
                ("MILESTONE_TITLE", milestone.title),
                ("REMINDER", schedule.reminder(of: instance).text),
                ("REMINDER_KEY", key),
                ("DUE_AT", ReminderMath.iso8601(instance.due, in: milestone.zone)),
            ] + extra
        )
    }

    /// When the reminder `key` comes back, if it is snoozed.
    public func snoozedUntil(_ key: String) -> WallTime? {
        state.followUps.snoozed[key].map { WallTime(seconds: $0) }
    }
}
