extension Schedule {
    /// The instance whose ``key(of:)`` is `key`: the milestone with that id, one of its occurrences starting at
    /// that local time, and its reminder of that identity; nil when the timeline has none (a mistyped key, or a
    /// milestone removed or changed since the key was written).
    public func instance(forKey key: String) -> ReminderInstance? {
        let parts = key.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3,
            let milestoneIndex = milestones.firstIndex(where: { $0.id == parts[0] }),
            case .local(let start)? = TimeArgument.parseValue(String(parts[1]))
        else { return nil }
        let milestone = milestones[milestoneIndex]
        guard let reminderIndex = milestone.reminders.firstIndex(where: { $0.identity == parts[2] }) else {
            return nil
        }
        let reminder = milestone.reminders[reminderIndex]
        // The occurrence must be one of the milestone's (an absolute reminder belongs to the first).
        var starts = OccurrenceStarts(milestone).makeIterator()
        if reminder.absolute == nil { starts.seek(to: start) }
        guard starts.next() == start else { return nil }
        let due: Instant
        if let absolute = reminder.absolute {
            due = absolute
        } else {
            let placement = ReminderMath.placement(
                of: reminder.offset,
                occurrenceStart: start,
                milestone: milestone,
                allDayTime: config.defaults.allDayTime
            )
            guard case .due(let instant, _)? = placement else { return nil }
            due = instant
        }
        return ReminderInstance(
            milestoneIndex: Int32(milestoneIndex),
            reminderIndex: Int32(reminderIndex),
            occurrenceStart: start,
            due: due
        )
    }
}
