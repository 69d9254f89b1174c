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
}
