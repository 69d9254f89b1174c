import Gettext
import Timeline

/// Builds the journal entry of a due reminder: a sentence for people and fields to filter on.
public struct ReminderEntry {
    /// The schedule the instances come from.
    public let schedule: Schedule

    /// The language of `MESSAGE` (the fields stay as configured).
    public let localizer: Localizer

    /// The builder for `schedule`'s instances, its messages in `localizer`'s language: by default the config's
    /// `language`, else the process's locale, through gettext.
    public init(schedule: Schedule, localizer: Localizer? = nil) {
        self.schedule = schedule
        self.localizer = localizer ?? Gettext.localizer(language: schedule.config.defaults.language)
    }

    /// The entry for `instance`, delivered at `now`; `caughtUp` when it is sent late after downtime or a jump.
    /// `key` is the instance's ``Schedule/key(of:)`` when the caller already has it.
    public func entry(for instance: ReminderInstance, now: WallTime, caughtUp: Bool, key: String? = nil) -> JournalEntry
    {
        let milestone = schedule.milestone(of: instance)
        let reminder = schedule.reminder(of: instance)
        let occurrence = schedule.occurrence(of: instance)
        let formatting = InstanceFormatting(schedule: schedule, localizer: localizer)
        let dueWall = WallTime(instance.due)
        let lateness = max(0, now.nanosecondsSinceEpoch - dueWall.nanosecondsSinceEpoch) / 1000
        let start = formatting.occurrenceText(milestone: milestone, start: occurrence.start)

        var fields: [(name: String, value: String)] = [
            ("MESSAGE_ID", caughtUp ? MessageID.reminderCaughtUp : MessageID.reminderDue),
            ("SYSLOG_IDENTIFIER", JournalEntry.syslogIdentifier),
            ("MILESTONE_ID", milestone.id),
            ("MILESTONE_TITLE", milestone.title),
        ]
        // One journal for readers of each language: the title in every language the config gives.
        for language in MilestoneTexts.languages {
            if let title = milestone.translations[language]?.title {
                fields.append(("MILESTONE_TITLE_\(language.uppercased())", title))
            }
        }
        fields += [
            ("MILESTONE_START", start)
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
            let fromText = ReminderMath.humanTime(move.from, in: milestone.zone)
            message += localizer.tr(" Moved from %s (%s).", fromText, move.reason)
        }
        return JournalEntry(message: message, priority: schedule.priority(of: instance), fields: fields)
    }

    /// "International Day of Cooperatives: in 30 days, on 2027-07-03 (worldwide)."
    public func sentence(milestone: Milestone, reminder: Reminder, start: String, caughtUp: Bool) -> String {
        let offset = reminder.offset
        let language = localizer.language
        let title = milestone.title(in: language)
        let amount = offset.amountText(localizer)
        var text: String
        switch (offset.anchor, offset.isBefore) {
        case _ where reminder.absolute != nil: text = localizer.tr("%s is coming up", title)
        case (.start, _) where offset.isAtAnchor: text = localizer.tr("%s starts now", title)
        case (.end, _) where offset.isAtAnchor: text = localizer.tr("%s ends now", title)
        case (.start, true): text = localizer.tr("%s starts in %s", title, amount)
        case (.end, true): text = localizer.tr("%s ends in %s", title, amount)
        case (.start, false): text = localizer.tr("%s started %s ago", title, amount)
        case (.end, false): text = localizer.tr("%s ended %s ago", title, amount)
        }
        text += " (\(start)"
        if let location = milestone.location(in: language) { text += ", \(location)" }
        text += ")."
        if caughtUp { text += localizer.tr(" Sent late: it came due while sse-timeline was not running.") }
        return text
    }
}

extension ReminderEntry {
    /// The one entry that stands for `missed`: reminders that came due while the daemon was not running and are
    /// older than the catch-up window (`window` seconds), so they were not sent.
    static func missedSummary(
        _ missed: [ReminderInstance],
        schedule: Schedule,
        window: Int64,
        localizer: Localizer
    ) -> JournalEntry {
        let ids = Array(Set(missed.map { schedule.milestone(of: $0).id })).sorted()
        let shown = ids.prefix(10).joined(separator: ", ") + (ids.count > 10 ? ", ..." : "")
        let first = missed.first!
        let last = missed.last!
        let zone = schedule.milestone(of: first).zone
        return JournalEntry(
            message: localizer.trn(
                "%d reminder came due while sse-timeline was not running and is older than the catch-up window (%s); it was not sent: %s.",
                "%d reminders came due while sse-timeline was not running and are older than the catch-up window (%s); they were not sent: %s.",
                missed.count,
                ReminderMath.duration(window, localizer),
                shown
            ),
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
