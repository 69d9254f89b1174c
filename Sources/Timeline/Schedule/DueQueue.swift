import HeapModule

/// The reminder instances still to come, cheapest first: a min-heap of one cursor per (milestone,
/// reminder) stream, so the next due instance is found without scanning the timeline, and a recurring
/// milestone's infinite occurrences are generated one at a time as they are consumed.
public struct DueQueue: Sendable {
    private struct Cursor: Comparable {
        var due: Int64
        var milestone: Int32
        var reminder: Int32
        var occurrence: Int64  // local start, seconds since the epoch as if UTC

        static func < (a: Cursor, b: Cursor) -> Bool {
            (a.due, a.milestone, a.reminder, a.occurrence) < (b.due, b.milestone, b.reminder, b.occurrence)
        }
    }

    /// The schedule the instances come from.
    public let schedule: Schedule
    private var heap: Heap<Cursor>
    /// Occurrence iterators of recurring streams, by stream (milestone << 32 | reminder).
    private var iterators: [Int64: OccurrenceStarts.Iterator] = [:]

    /// The instances of `schedule` due strictly after `after`.
    ///
    /// Each recurring stream seeks close to `after` instead of walking its occurrences from DTSTART.
    public init(schedule: Schedule, after: Instant) {
        self.schedule = schedule
        var cursors: [Cursor] = []
        for (m, milestone) in schedule.milestones.enumerated() {
            for (r, reminder) in milestone.reminders.enumerated() {
                var occurrences = OccurrenceStarts(milestone).makeIterator()
                if milestone.recurrence != nil, reminder.absolute == nil {
                    let earliest = ReminderMath.earliestStart(
                        dueAfter: after,
                        offset: reminder.offset,
                        milestone: milestone
                    )
                    occurrences.seek(to: earliest)
                }
                let stream = (milestone: Int32(m), reminder: Int32(r))
                guard let cursor = Self.firstCursor(of: stream, in: &occurrences, schedule: schedule, dueAfter: after)
                else { continue }
                cursors.append(cursor)
                if milestone.recurrence != nil, reminder.absolute == nil {
                    iterators[Int64(m) << 32 | Int64(r)] = occurrences
                }
            }
        }
        heap = Heap(cursors)
    }

    /// How many (milestone, reminder) streams still have an instance to come.
    public var pendingCount: Int { heap.count }

    /// The next instance without removing it.
    public var peek: ReminderInstance? {
        heap.min.map(instance(of:))
    }

    /// Removes and returns the next instance.
    public mutating func pop() -> ReminderInstance? {
        guard let cursor = heap.popMin() else { return nil }
        advance(cursor)
        return instance(of: cursor)
    }

    /// Removes and returns every instance due at or before `through`, in firing order.
    public mutating func popAll(through: Instant) -> [ReminderInstance] {
        var result: [ReminderInstance] = []
        while let min = heap.min, min.due <= through.secondsSinceEpoch, let instance = pop() {
            result.append(instance)
        }
        return result
    }

    private func instance(of cursor: Cursor) -> ReminderInstance {
        ReminderInstance(
            milestoneIndex: cursor.milestone,
            reminderIndex: cursor.reminder,
            occurrenceStart: CivilDateTime(secondsSinceEpoch: cursor.occurrence),
            due: Instant(secondsSinceEpoch: cursor.due)
        )
    }

    /// Pushes the stream's next instance, if it has one.
    private mutating func advance(_ cursor: Cursor) {
        let stream = Int64(cursor.milestone) << 32 | Int64(cursor.reminder)
        guard var occurrences = iterators[stream] else { return }
        // Due at or after the instance just taken: reminders of one stream come in order.
        let next = Self.firstCursor(
            of: (cursor.milestone, cursor.reminder),
            in: &occurrences,
            schedule: schedule,
            dueAfter: Instant(secondsSinceEpoch: cursor.due - 1)
        )
        iterators[stream] = next == nil ? nil : occurrences
        if let next { heap.insert(next) }
    }

    /// The stream's first instance due after `after`, taking occurrences from `occurrences`; nil when it has
    /// none (its occurrences end, or fall outside the years 1 to 9999).
    private static func firstCursor(
        of stream: (milestone: Int32, reminder: Int32),
        in occurrences: inout OccurrenceStarts.Iterator,
        schedule: Schedule,
        dueAfter after: Instant
    ) -> Cursor? {
        let milestone = schedule.milestones[Int(stream.milestone)]
        let reminder = milestone.reminders[Int(stream.reminder)]
        // Nothing due at or before an acknowledgement is sent again.
        let after = max(after, reminder.acknowledged ?? after)
        if let absolute = reminder.absolute {
            // Once, for the first occurrence.
            guard absolute > after, let first = occurrences.next() else { return nil }
            return Cursor(
                due: absolute.secondsSinceEpoch,
                milestone: stream.milestone,
                reminder: stream.reminder,
                occurrence: first.secondsSinceEpoch
            )
        }
        while let start = occurrences.next() {
            let placement = ReminderMath.placement(
                of: reminder.offset,
                occurrenceStart: start,
                milestone: milestone,
                allDayTime: schedule.config.defaults.allDayTime
            )
            switch placement {
            case nil: return nil
            case .skipped: continue
            case .due(let due, _) where due > after:
                return Cursor(
                    due: due.secondsSinceEpoch,
                    milestone: stream.milestone,
                    reminder: stream.reminder,
                    occurrence: start.secondsSinceEpoch
                )
            case .due: continue
            }
        }
        return nil
    }
}
