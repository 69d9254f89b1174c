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
        let due = state.followUps.repeating.filter { $0.value.next <= now.seconds }
        guard schedule != nil, !due.isEmpty else { return }
        writeAgain(due.map { Redelivery.repeated(key: $0.key, $0.value) }, now: now, catchingUp: catchingUp)
        stateDirty = true
        commitState()
    }
}
