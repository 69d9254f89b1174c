import Timeline

/// Builds the journal entry of a due reminder: a sentence for people and fields to filter on.
public struct ReminderEntry {
    /// The schedule the instances come from.
    public let schedule: Schedule

    /// The builder for `schedule`'s instances.
    public init(schedule: Schedule) {
        self.schedule = schedule
    }

    /// The entry for `instance`, delivered at `now`; `caughtUp` when it is sent late after downtime or a jump.
    /// `key` is the instance's ``Schedule/key(of:)`` when the caller already has it.
    public func entry(for instance: ReminderInstance, now: WallTime, caughtUp: Bool, key: String? = nil) -> JournalEntry
    {
        let milestone = schedule.milestone(of: instance)
        let reminder = schedule.reminder(of: instance)
        let occurrence = schedule.occurrence(of: instance)
        let formatting = InstanceFormatting(schedule: schedule)
        let dueWall = WallTime(instance.due)
        let lateness = max(0, now.nanosecondsSinceEpoch - dueWall.nanosecondsSinceEpoch) / 1000
        let start = formatting.occurrenceText(milestone: milestone, start: occurrence.start)

        var fields: [(name: String, value: String)] = [
            ("MESSAGE_ID", caughtUp ? MessageID.reminderCaughtUp : MessageID.reminderDue),
            ("SYSLOG_IDENTIFIER", JournalEntry.syslogIdentifier),
            ("MILESTONE_ID", milestone.id),
            ("MILESTONE_TITLE", milestone.title),
            ("MILESTONE_START", start),
        ]
        if milestone.end != nil {
            fields.append(("MILESTONE_END", formatting.occurrenceText(milestone: milestone, start: occurrence.end)))
        }
        if let location = milestone.location { fields.append(("MILESTONE_LOCATION", location)) }
        fields += [
            ("REMINDER", reminder.text),
            ("REMINDER_KEY", key ?? schedule.key(of: instance)),
            ("DUE_AT", ReminderMath.iso8601(instance.due, in: milestone.zone)),
            ("LATENESS_USEC", String(lateness)),
        ]
        if milestone.recurrence != nil { fields.append(("OCCURRENCE", start)) }
        if !milestone.tags.isEmpty { fields.append(("TAGS", milestone.tags.joined(separator: ","))) }
        if let source = milestone.source { fields.append(("SOURCE_URL", source)) }
        if caughtUp { fields.append(("CAUGHT_UP", "1")) }
        var message = sentence(milestone: milestone, reminder: reminder, start: start, caughtUp: caughtUp)
        if let move = schedule.move(of: instance) {
            let from = ReminderMath.iso8601(move.from, in: milestone.zone)
            fields += [("MOVED_FROM", from), ("MOVED_REASON", move.reason)]
            message += " Moved from \(ReminderMath.humanTime(move.from, in: milestone.zone)) (\(move.reason))."
        }
        return JournalEntry(message: message, priority: schedule.priority(of: instance), fields: fields)
    }

    /// "International Day of Cooperatives: in 30 days, on 2027-07-03 (worldwide)."
    public func sentence(milestone: Milestone, reminder: Reminder, start: String, caughtUp: Bool) -> String {
        let offset = reminder.offset
        let anchor = offset.anchor == .start ? "starts" : "ends"
        let past = offset.anchor == .start ? "started" : "ended"
        let amount = offset.amountText
        let relation: String
        if reminder.absolute != nil {
            relation = "is coming up"
        } else if offset.isAtAnchor {
            relation = "\(anchor) now"
        } else if offset.isBefore {
            relation = "\(anchor) in \(amount)"
        } else {
            relation = "\(past) \(amount) ago"
        }
        var text = "\(milestone.title) \(relation) (\(start)"
        if let location = milestone.location { text += ", \(location)" }
        text += ")."
        if caughtUp { text += " Sent late: it came due while sse-timeline was not running." }
        return text
    }
}

extension ReminderEntry {
    /// The one entry that stands for `missed`: reminders that came due while the daemon was not running and are
    /// older than the catch-up window (`window` seconds), so they were not sent.
    static func missedSummary(_ missed: [ReminderInstance], schedule: Schedule, window: Int64) -> JournalEntry {
        let ids = Array(Set(missed.map { schedule.milestone(of: $0).id })).sorted()
        let shown = ids.prefix(10).joined(separator: ", ") + (ids.count > 10 ? ", ..." : "")
        let first = missed.first!
        let last = missed.last!
        let zone = schedule.milestone(of: first).zone
        return JournalEntry(
            message: "\(missed.count) reminders came due while sse-timeline was not running and are older than "
                + "the catch-up window (\(ReminderMath.relative(window).dropFirst(3))); they were not sent: \(shown).",
            priority: .warning,
            fields: [
                ("MESSAGE_ID", MessageID.remindersMissed),
                ("SYSLOG_IDENTIFIER", JournalEntry.syslogIdentifier),
                ("MISSED_COUNT", String(missed.count)),
                ("MISSED_MILESTONES", ids.joined(separator: ",")),
                ("MISSED_FROM", ReminderMath.iso8601(first.due, in: zone)),
                ("MISSED_TO", ReminderMath.iso8601(last.due, in: zone)),
            ]
        )
    }
}
