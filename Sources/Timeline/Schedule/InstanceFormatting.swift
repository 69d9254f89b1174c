/// How instances and milestones are shown to people: in a table row, a sentence, the journal's fields.
///
/// Below both the daemon (its STATUS= and journal entries) and the command line (`list`, `next`).
public struct InstanceFormatting: Sendable {
    /// The schedule the instances come from.
    public let schedule: Schedule

    /// Formatting for `schedule`'s instances.
    public init(schedule: Schedule) {
        self.schedule = schedule
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
            schedule.reminder(of: instance).text,
            milestone.title,
        ].joined(separator: "  ")
    }

    /// "International Day of Cooperatives, 30 days before, at 2027-06-03 09:00 CEST (in 5 days)".
    public func sentence(_ instance: ReminderInstance, now: Instant) -> String {
        let milestone = schedule.milestone(of: instance)
        return "\(milestone.title), \(schedule.reminder(of: instance).text), at "
            + "\(ReminderMath.humanTime(instance.due, in: milestone.zone)) "
            + "(\(ReminderMath.relative(instance.due.secondsSinceEpoch - now.secondsSinceEpoch)))"
    }
}
