import Timeline

/// Nagging: a reminder whose delivery has `repeat = { every = "5 minutes", times = 3 }` is written again every 5
/// minutes, 3 more times, until it is dismissed (iCalendar's VALARM `REPEAT` and `DURATION`).
///
/// The repeats are follow-ups in the state (`FollowUps.repeating`), kept as snoozes are: the record that starts
/// them goes into the log in the same `write(2)` as the reminder's key, each repeat is a journal entry (MESSAGE_ID
/// `reminderRepeated`, `REPEAT_KEY` = `KEY@DUE`) and then a record, and at start the repeats already in the
/// journal count as done, so a `kill -9` at any point neither loses nor doubles one. A dismissal ends them; a
/// snooze ends them too, and the reminder nags again from its return. Repeats missed while the daemon was not
/// running are not written in a burst: one is written at start (caught up) and the next follows `every` later.
extension Scheduler {
    /// The record that starts the repeats of `instance` (its key `key`), written at `now`: none when its delivery
    /// has no repeat. The caller applies it and records it with the reminder.
    func startRepeats(key: String, instance: ReminderInstance, now: WallTime) -> [FollowUpRecord] {
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

    /// Writes the repeats due by `now`, in order, and saves the state once.
    func deliverRepeats(now: WallTime, catchingUp: Bool = false) {
        guard let schedule else { return }
        let due = state.followUps.repeating.filter { $0.value.next <= now.seconds }
            .sorted { ($0.value.next, $0.key) < ($1.value.next, $1.key) }
        guard !due.isEmpty else { return }
        for (key, current) in due {
            guard let instance = schedule.instance(forKey: key), schedule.delivery(of: instance).repetition != nil
            else {
                environment.logger.notice(
                    "the nagging reminder \(key) is no longer in the timeline, or repeats no more; it stops",
                    metadata: ["message_id": "\(MessageID.reminderRepeated)", "reminder_key": "\(key)"]
                )
                change(.repeating(key: key, next: nil), commit: false)
                continue
            }
            let lateness = WallTime(seconds: current.next).duration(to: now)
            let caughtUp = catchingUp ? lateness > .zero : lateness > environment.caughtUpThreshold
            let following = current.following(writtenAt: now.seconds)
            let entry = repeatEntry(instance, key: key, current: current, caughtUp: caughtUp, schedule: schedule)
            write(entry)
            change(.repeating(key: key, next: following), commit: false)
            var delivered = DeliveredReminder(
                entry: entry,
                key: key,
                milestone: schedule.milestone(of: instance),
                instance: instance,
                isReturn: false
            )
            delivered.isRepeat = true
            for observer in hooks.observers { observer.delivered(delivered) }
        }
        stateDirty = true
        commitState()
    }

    /// At start: the repeats already in the journal (written before a crash that came before their record)
    /// count as done.
    func readBackRepeats(watermark: Int64) {
        guard let first = state.followUps.nextRepeat else { return }
        let since = WallTime(seconds: min(watermark, first))
        guard let values = hooks.journalValues("REPEAT_KEY", [MessageID.reminderRepeated], since) else { return }
        for value in values {
            guard let at = value.lastIndex(of: "@"), let next = Int64(value[value.index(after: at)...]) else {
                continue
            }
            let key = String(value[..<at])
            guard let current = state.followUps.repeating[key], current.next == next else { continue }
            state.followUps.apply(.repeating(key: key, next: current.following(writtenAt: next)))
        }
    }

    /// The entry of the repeat `current` of a nagging reminder: the reminder's own entry, its MESSAGE_ID
    /// `reminderRepeated`, its lateness counted from the repeat's instant, and `REPEAT_KEY` (`KEY@NEXT`, read back
    /// from the journal at start) and `REPEATS_LEFT` (after this one).
    private func repeatEntry(
        _ instance: ReminderInstance,
        key: String,
        current: FollowUps.Repeat,
        caughtUp: Bool,
        schedule: Schedule
    ) -> JournalEntry {
        let now = environment.clock.now()
        var entry = ReminderEntry(schedule: schedule).entry(for: instance, now: now, caughtUp: caughtUp, key: key)
        let lateness = max(0, now.nanosecondsSinceEpoch - WallTime(seconds: current.next).nanosecondsSinceEpoch) / 1000
        let left = current.left - 1
        let more = left == 0 ? "the last repeat" : "\(plural(left, "more repeat")) unless dismissed"
        for index in entry.fields.indices {
            switch entry.fields[index].name {
            case "MESSAGE_ID": entry.fields[index].value = MessageID.reminderRepeated
            case "LATENESS_USEC": entry.fields[index].value = String(lateness)
            case "MESSAGE": entry.fields[index].value += " Repeated: \(more)."
            default: break
            }
        }
        entry.fields += [("REPEAT_KEY", "\(key)@\(current.next)"), ("REPEATS_LEFT", String(left))]
        return entry
    }
}
