import Timeline

/// A reminder written again after it came due: back after a snooze, or a repeat of a nagging one
/// (`repeat = { every = "5 minutes", times = 3 }`, iCalendar's VALARM `REPEAT` and `DURATION`).
///
/// Both are the reminder's own entry with their own MESSAGE_ID, the lateness counted from their instant, a
/// sentence more and a key field `KEY@SECONDS` by which the journal is read back at start. Repeats missed while
/// the daemon was not running are not written in a burst: one is written at start and the next `every` later.
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
    func additions(in zone: Zone, _ localizer: Localizer) -> (sentence: String, fields: [(name: String, value: String)])
    {
        let keyField = (kind.keyField, "\(key)@\(due)")
        switch self {
        case .returned(_, let until):
            let untilText = ReminderMath.iso8601(Instant(secondsSinceEpoch: until), in: zone)
            return (
                localizer.tr("Back after a snooze (until %s).", untilText), [("SNOOZED_UNTIL", untilText), keyField]
            )
        case .repeated(_, let current):
            let left = current.left - 1
            let sentence =
                left == 0
                ? localizer.tr("Repeated: the last repeat.")
                : localizer.trn(
                    "Repeated: %d more repeat unless dismissed.",
                    "Repeated: %d more repeats unless dismissed.",
                    left
                )
            return (sentence, [keyField, ("REPEATS_LEFT", String(left))])
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
    var dropped: (record: FollowUpRecord, notice: LocalizedText, messageID: String) {
        switch self {
        case .returned(let key, let until):
            (
                .returned(key: key, until: until),
                .tr("the snoozed reminder %s is no longer in the timeline; it does not come back", key),
                MessageID.reminderDismissed
            )
        case .repeated(let key, _):
            (
                .repeating(key: key, next: nil),
                .tr("the nagging reminder %s is no longer in the timeline, or repeats no more; it stops", key),
                MessageID.reminderRepeated
            )
        }
    }

    /// The entry of `instance` written again at `now`: the reminder's own entry, with this redelivery's
    /// MESSAGE_ID, its lateness counted from this redelivery's instant, and its additions.
    func entry(of instance: ReminderInstance, schedule: Schedule, at now: WallTime, caughtUp: Bool) -> JournalEntry {
        let formatter = ReminderEntry(schedule: schedule)
        var entry = formatter.entry(for: instance, now: now, caughtUp: caughtUp, key: key)
        let additions = additions(in: schedule.milestone(of: instance).zone, formatter.localizer)
        let lateness = max(0, now.nanosecondsSinceEpoch - WallTime(seconds: due).nanosecondsSinceEpoch) / 1000
        for index in entry.fields.indices {
            switch entry.fields[index].name {
            case "MESSAGE_ID": entry.fields[index].value = kind.messageID
            case "LATENESS_USEC": entry.fields[index].value = String(lateness)
            case "MESSAGE": entry.fields[index].value += " " + additions.sentence
            default: break
            }
        }
        entry.fields += additions.fields
        return entry
    }
}
