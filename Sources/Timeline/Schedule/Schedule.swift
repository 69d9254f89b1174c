/// A loaded timeline compiled for asking what comes due when.
///
/// Pure: every question takes "now" (or a window) as an argument.
public struct Schedule: Sendable {
    /// The config it was built from.
    public let config: TimelineConfig

    /// A schedule of `config`.
    public init(config: TimelineConfig) { self.config = config }

    /// The milestones, in config order.
    public var milestones: [Milestone] { config.milestones }

    /// The milestone of an instance.
    public func milestone(of instance: ReminderInstance) -> Milestone {
        config.milestones[Int(instance.milestoneIndex)]
    }

    /// The reminder of an instance.
    public func reminder(of instance: ReminderInstance) -> Reminder {
        milestone(of: instance).reminders[Int(instance.reminderIndex)]
    }

    /// The priority an instance is written with: the reminder's, else the milestone's.
    public func priority(of instance: ReminderInstance) -> Priority {
        reminder(of: instance).priority ?? milestone(of: instance).priority
    }

    /// The stable identity of an instance across restarts and reloads: milestone id, occurrence, offset.
    public func key(of instance: ReminderInstance) -> String {
        let m = milestone(of: instance)
        let reminder = m.reminders[Int(instance.reminderIndex)]
        return "\(m.id)|\(instance.occurrenceStart)|\(reminder.identity)"
    }

    /// The occurrence of an instance.
    public func occurrence(of instance: ReminderInstance) -> Occurrence {
        Occurrence(start: instance.occurrenceStart, milestone: milestone(of: instance))
    }

    /// Every reminder instance due in `from...to`, in firing order.
    public func instances(from: Instant, through to: Instant) -> [ReminderInstance] {
        var queue = DueQueue(schedule: self, after: Instant(secondsSinceEpoch: from.secondsSinceEpoch - 1))
        return queue.popAll(through: to)
    }

    /// The next `count` reminder instances due after `now`.
    public func next(after now: Instant, count: Int) -> [ReminderInstance] {
        var queue = DueQueue(schedule: self, after: now)
        var result: [ReminderInstance] = []
        while result.count < count, let instance = queue.pop() { result.append(instance) }
        return result
    }

    /// Occurrences of every milestone starting in `from...to`, ordered by start instant then config order.
    public func occurrences(from: Instant, through to: Instant) -> [(
        milestoneIndex: Int, start: CivilDateTime, at: Instant
    )] {
        var result: [(milestoneIndex: Int, start: CivilDateTime, at: Instant)] = []
        for (index, milestone) in milestones.enumerated() {
            var starts = OccurrenceStarts(milestone).makeIterator()
            // Two days to spare: a zone's offset may change by a whole day (Samoa, 2011; Alaska, 1867).
            let seekFrom = max(from.secondsSinceEpoch, ReminderMath.earliest) - 2 * 86400
            starts.seek(to: milestone.zone.localTime(at: Instant(secondsSinceEpoch: seekFrom)))
            while let start = starts.next() {
                let at = milestone.zone.instant(for: start)
                if at > to { break }
                if at >= from { result.append((index, start, at)) }
            }
        }
        return result.sorted { ($0.at, $0.milestoneIndex) < ($1.at, $1.milestoneIndex) }
    }
}
