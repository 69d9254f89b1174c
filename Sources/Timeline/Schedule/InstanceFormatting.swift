/// How instances and milestones are shown to people: in a table row, a sentence, the journal's fields.
///
/// Below both the daemon (its STATUS= and journal entries) and the command line (`list`, `next`).
public struct InstanceFormatting: Sendable {
    /// The schedule the instances come from.
    public let schedule: Schedule

    /// The language of the words around the milestones' own texts.
    public let localizer: Localizer

    /// Formatting for `schedule`'s instances, in `localizer`'s language.
    public init(schedule: Schedule, localizer: Localizer = .english) {
        self.schedule = schedule
        self.localizer = localizer
    }

    /// The reminder's offset for people: in the reader's language when it was configured in the canonical form
    /// ("30 days before"), else as configured ("30d before", an absolute reminder's time).
    public func reminderText(_ reminder: Reminder) -> String { Self.reminderText(reminder, localizer) }

    /// `reminder`'s offset in `localizer`'s language when configured in the canonical form, else as configured.
    public static func reminderText(_ reminder: Reminder, _ localizer: Localizer) -> String {
        reminder.absolute == nil && reminder.text == reminder.offset.description
            ? reminder.offset.text(localizer) : reminder.text
    }

    /// The occurrence start: a date for all-day milestones, ISO 8601 with offset otherwise.
    public func occurrenceText(_ instance: ReminderInstance) -> String {
        occurrenceText(milestone: schedule.milestone(of: instance), start: instance.occurrenceStart)
    }

    /// The start `start` of an occurrence of `milestone`: a date (or month, or year) for all-day milestones.
    public func occurrenceText(milestone: Milestone, start: CivilDateTime) -> String {
        if milestone.isAllDay {
            switch milestone.precision {
            case .day: return start.date.description
            case .month: return String(start.date.description.prefix(7))
            case .year: return String(start.date.description.prefix(4))
            }
        }
        return ReminderMath.iso8601(milestone.zone.instant(for: start), in: milestone.zone)
    }

    /// `2027-06-03T09:00:00+02:00  international-day-of-cooperatives  2027-07-03  30 days before  Title`.
    public func row(_ instance: ReminderInstance) -> String {
        let milestone = schedule.milestone(of: instance)
        return [
            ReminderMath.iso8601(instance.due, in: milestone.zone),
            milestone.id,
            occurrenceText(instance),
            reminderText(schedule.reminder(of: instance)),
            milestone.title(in: localizer.language),
        ].joined(separator: "  ")
    }

    /// "International Day of Cooperatives, 30 days before, at 2027-06-03 09:00 CEST (in 5 days)".
    public func sentence(_ instance: ReminderInstance, now: Instant) -> String {
        let milestone = schedule.milestone(of: instance)
        return localizer.tr(
            "%s, %s, at %s (%s)",
            milestone.title(in: localizer.language),
            reminderText(schedule.reminder(of: instance)),
            ReminderMath.humanTime(instance.due, in: milestone.zone),
            ReminderMath.relative(instance.due.secondsSinceEpoch - now.secondsSinceEpoch, localizer)
        )
    }
}
