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

    /// How `on_non_working_day` moved an instance off a non-working day (it or its occurrence), if it did.
    public func move(of instance: ReminderInstance) -> NonWorkingDayMove? {
        let reminder = reminder(of: instance)
        guard reminder.absolute == nil,
            case .due(_, let moved)? = ReminderMath.placement(
                of: reminder.offset,
                occurrenceStart: instance.occurrenceStart,
                milestone: milestone(of: instance),
                allDayTime: config.defaults.allDayTime
            )
        else { return nil }
        return moved
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

    /// Occurrences of every milestone starting in `from...to`, ordered by start instant then config order: `start`
    /// is the occurrence's own local start (its identity), `at` where it is once `on_non_working_day` moved it
    /// (``ReminderMath/movedOccurrence(_:of:)``); occurrences the rule skips are left out.
    public func occurrences(from: Instant, through to: Instant) -> [(
        milestoneIndex: Int, start: CivilDateTime, at: Instant
    )] {
        var result: [(milestoneIndex: Int, start: CivilDateTime, at: Instant)] = []
        for (index, milestone) in milestones.enumerated() {
            var starts = OccurrenceStarts(milestone).makeIterator()
            // Two days to spare: a zone's offset may change by a whole day (Samoa, 2011; Alaska, 1867).
            let seekFrom = max(from.secondsSinceEpoch, ReminderMath.earliest) - 2 * 86400
            var local = milestone.zone.localTime(at: Instant(secondsSinceEpoch: seekFrom))
            if milestone.onNonWorkingDay == .after {
                let slack = ReminderMath.workingDaySlack(
                    before: local.date,
                    offset: ReminderOffset(),
                    milestone: milestone
                )
                local = local.adding(seconds: -Int64(slack) * 86400)
            }
            starts.seek(to: local)
            while let start = starts.next() {
                // Moves keep the order of occurrences; only `before` can bring one after `to` back inside.
                let unmoved = milestone.zone.instant(for: start)
                if unmoved > to
                    && (milestone.onNonWorkingDay != .before || milestone.workingCalendar.isWorkingDay(start.date))
                {
                    break
                }
                guard let (moved, _) = ReminderMath.movedOccurrence(start, of: milestone) else { continue }
                let at = milestone.zone.instant(for: moved)
                if at >= from && at <= to { result.append((index, start, at)) }
            }
        }
        return result.sorted { ($0.at, $0.milestoneIndex) < ($1.at, $1.milestoneIndex) }
    }
}
