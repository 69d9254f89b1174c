import Timeline

/// A reminder written again after it came due: back after a snooze (`Scheduler+FollowUps`), or a repeat of a
/// nagging reminder (`Scheduler+Repeats`).
///
/// Both go the same way: the reminder's own entry with its own MESSAGE_ID, its lateness counted from the
/// redelivery's instant, a sentence more and a key field `KEY@SECONDS`; then the record that follows it in the
/// state's log. At start, the ones already in the journal (written before a crash that came before their record)
/// count as done.
enum Redelivery {
    /// The reminder `key`, back after a snooze that ended at `until` (Unix seconds).
    case returned(key: String, until: Int64)
    /// The repeat `current` of the nagging reminder `key`.
    case repeated(key: String, FollowUps.Repeat)

    /// The reminder's key.
    var key: String {
        switch self {
        case .returned(let key, _), .repeated(let key, _): key
        }
    }

    /// When it is due (Unix seconds); its lateness counts from there.
    var due: Int64 {
        switch self {
        case .returned(_, let until): until
        case .repeated(_, let current): current.next
        }
    }

    /// A return or a repeat.
    enum Kind {
        case returned, repeated

        /// Its MESSAGE_ID.
        var messageID: String {
            switch self {
            case .returned: MessageID.reminderReturned
            case .repeated: MessageID.reminderRepeated
            }
        }

        /// The field that says which reminder came due when (`KEY@SECONDS`), read back from the journal at start.
        var keyField: String {
            switch self {
            case .returned: "RETURN_KEY"
            case .repeated: "REPEAT_KEY"
            }
        }
    }

    /// A return or a repeat.
    var kind: Kind {
        switch self {
        case .returned: .returned
        case .repeated: .repeated
        }
    }

    /// What it adds to the reminder's entry, in the milestone's zone: a sentence after the MESSAGE, and its own
    /// fields (`SNOOZED_UNTIL` and `RETURN_KEY`, or `REPEAT_KEY` and `REPEATS_LEFT`, after this one).
    func additions(in zone: Zone) -> (sentence: String, fields: [(name: String, value: String)]) {
        let keyField = (kind.keyField, "\(key)@\(due)")
        switch self {
        case .returned(_, let until):
            let untilText = ReminderMath.iso8601(Instant(secondsSinceEpoch: until), in: zone)
            return ("Back after a snooze (until \(untilText)).", [("SNOOZED_UNTIL", untilText), keyField])
        case .repeated(_, let current):
            let left = current.left - 1
            let more = left == 0 ? "the last repeat" : "\(plural(left, "more repeat")) unless dismissed"
            return ("Repeated: \(more).", [keyField, ("REPEATS_LEFT", String(left))])
        }
    }

    /// Whether a reminder with `delivery` is still owed it: a return always is, a repeat while the delivery
    /// repeats.
    func isOwed(with delivery: Delivery) -> Bool {
        switch self {
        case .returned: true
        case .repeated: delivery.repetition != nil
        }
    }

    /// When its reminder left the timeline (or repeats no more): the record that ends it unwritten, and what is
    /// logged.
    var dropped: (record: FollowUpRecord, notice: String, messageID: String) {
        switch self {
        case .returned(let key, let until):
            (
                .returned(key: key, until: until),
                "the snoozed reminder \(key) is no longer in the timeline; it does not come back",
                MessageID.reminderDismissed
            )
        case .repeated(let key, _):
            (
                .repeating(key: key, next: nil),
                "the nagging reminder \(key) is no longer in the timeline, or repeats no more; it stops",
                MessageID.reminderRepeated
            )
        }
    }
}

extension Scheduler {
    /// Writes `due` again in the order of their instants (then keys), each caught up when it is late by `now` as a
    /// reminder would be, and records what follows each (the snapshot waits for the caller): a return ends the
    /// snooze and starts the repeats again (back after a snooze, a nagging reminder nags again until dismissed); a
    /// repeat makes way for the next, if any. One whose reminder is gone is dropped, with a notice.
    func writeAgain(_ due: [Redelivery], now: WallTime, catchingUp: Bool) {
        guard let schedule else { return }
        for redelivery in due.sorted(by: { ($0.due, $0.key) < ($1.due, $1.key) }) {
            let key = redelivery.key
            guard let instance = schedule.instance(forKey: key),
                redelivery.isOwed(with: schedule.delivery(of: instance))
            else {
                let dropped = redelivery.dropped
                environment.logger.notice(
                    "\(dropped.notice)",
                    metadata: ["message_id": "\(dropped.messageID)", "reminder_key": "\(key)"]
                )
                change(dropped.record, commit: false)
                continue
            }
            let lateness = WallTime(seconds: redelivery.due).duration(to: now)
            let caughtUp = catchingUp ? lateness > .zero : lateness > environment.caughtUpThreshold
            let entry = redeliveryEntry(instance, redelivery, caughtUp: caughtUp, schedule: schedule)
            write(entry)
            switch redelivery {
            case .returned(_, let until):
                change(
                    [.returned(key: key, until: until)] + startRepeats(key: key, instance: instance, now: now),
                    commit: false
                )
            case .repeated(_, let current):
                change(.repeating(key: key, next: current.following(writtenAt: now.seconds)), commit: false)
            }
            tellObservers(entry, instance: instance, key: key, schedule: schedule, as: redelivery)
        }
    }

    /// At start: the returns and repeats already in the journal (written before a crash that came before their
    /// record) count as done.
    func readBackRedeliveries(watermark: Int64) {
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
    private func writtenAgain(
        _ kind: Redelivery.Kind,
        from first: Int64?,
        watermark: Int64
    ) -> [(key: String, seconds: Int64)] {
        guard let first else { return [] }
        let since = WallTime(seconds: min(watermark, first))
        guard let values = hooks.journalValues(kind.keyField, [kind.messageID], since) else { return [] }
        return values.compactMap { value in
            guard let at = value.lastIndex(of: "@"), let seconds = Int64(value[value.index(after: at)...]) else {
                return nil
            }
            return (String(value[..<at]), seconds)
        }
    }

    /// The entry of `instance` written again as `redelivery`: the reminder's own entry, with the redelivery's
    /// MESSAGE_ID, its lateness counted from the redelivery's instant, and its additions.
    private func redeliveryEntry(
        _ instance: ReminderInstance,
        _ redelivery: Redelivery,
        caughtUp: Bool,
        schedule: Schedule
    ) -> JournalEntry {
        let now = environment.clock.now()
        var entry = ReminderEntry(schedule: schedule).entry(
            for: instance,
            now: now,
            caughtUp: caughtUp,
            key: redelivery.key
        )
        let additions = redelivery.additions(in: schedule.milestone(of: instance).zone)
        let lateness =
            max(0, now.nanosecondsSinceEpoch - WallTime(seconds: redelivery.due).nanosecondsSinceEpoch) / 1000
        for index in entry.fields.indices {
            switch entry.fields[index].name {
            case "MESSAGE_ID": entry.fields[index].value = redelivery.kind.messageID
            case "LATENESS_USEC": entry.fields[index].value = String(lateness)
            case "MESSAGE": entry.fields[index].value += " " + additions.sentence
            default: break
            }
        }
        entry.fields += additions.fields
        return entry
    }
}
