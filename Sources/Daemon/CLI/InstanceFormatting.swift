import Timeline

extension ZoneDatabase {
    /// The process-wide zone database over /usr/share/zoneinfo (or $TZDIR).
    static let shared = ZoneDatabase()
}

/// How instances and milestones are shown: one table row for people, one JSON object for programs.
struct InstanceFormatting {
    let schedule: Schedule

    /// `{"kind":"reminder","due":...}`; the documented, stable shape of `list --json` and `next --json`.
    func json(_ instance: ReminderInstance, now: Instant? = nil) -> JSON {
        let milestone = schedule.milestone(of: instance)
        let reminder = schedule.reminder(of: instance)
        var fields: [(String, JSON)] = [
            ("kind", .string("reminder")),
            ("due", .string(ReminderMath.iso8601(instance.due, in: milestone.zone))),
            ("milestone", .string(milestone.id)),
            ("title", .string(milestone.title)),
            ("occurrence", .string(occurrenceText(instance))),
            ("reminder", .string(reminder.text)),
            ("priority", .string(schedule.priority(of: instance).name)),
            ("key", .string(schedule.key(of: instance))),
        ]
        if let now { fields.append(("in_seconds", .int(instance.due.secondsSinceEpoch - now.secondsSinceEpoch))) }
        return .object(fields)
    }

    /// The occurrence start: a date for all-day milestones, ISO 8601 with offset otherwise.
    func occurrenceText(_ instance: ReminderInstance) -> String {
        occurrenceText(milestone: schedule.milestone(of: instance), start: instance.occurrenceStart)
    }

    func occurrenceText(milestone: Milestone, start: CivilDateTime) -> String {
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
    func row(_ instance: ReminderInstance) -> String {
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
    func sentence(_ instance: ReminderInstance, now: Instant) -> String {
        let milestone = schedule.milestone(of: instance)
        return "\(milestone.title), \(schedule.reminder(of: instance).text), at "
            + "\(ReminderMath.humanTime(instance.due, in: milestone.zone)) "
            + "(\(ReminderMath.relative(instance.due.secondsSinceEpoch - now.secondsSinceEpoch)))"
    }
}
