import Timeline

extension InstanceFormatting {
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
        if let move = schedule.move(of: instance) {
            fields.append(("moved_from", .string(ReminderMath.iso8601(move.from, in: milestone.zone))))
            fields.append(("moved_reason", .string(move.reason)))
        }
        if let now { fields.append(("in_seconds", .int(instance.due.secondsSinceEpoch - now.secondsSinceEpoch))) }
        return .object(fields)
    }

    /// `{"kind":"occurrence","due":...}`: an occurrence of `milestone` starting at `start` (before
    /// `on_non_working_day` moves it; `due` is where it is after), in the shape of ``json(_:now:)`` (`reminder` and
    /// `key` null).
    func json(occurrenceOf milestone: Milestone, start: CivilDateTime) -> JSON {
        let placed = ReminderMath.movedOccurrence(start, of: milestone)
        var fields: [(String, JSON)] = [
            ("kind", .string("occurrence")),
            ("due", .string(ReminderMath.iso8601(milestone.zone.instant(for: placed?.start ?? start), in: milestone.zone))),
            ("milestone", .string(milestone.id)),
            ("title", .string(milestone.title)),
            ("occurrence", .string(occurrenceText(milestone: milestone, start: start))),
            ("reminder", .null),
            ("priority", .string(milestone.priority.name)),
            ("key", .null),
        ]
        if let move = placed?.moved {
            fields.append(("moved_from", .string(ReminderMath.iso8601(move.from, in: milestone.zone))))
            fields.append(("moved_reason", .string(move.reason)))
        }
        return .object(fields)
    }
}
