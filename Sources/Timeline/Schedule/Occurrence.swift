/// One occurrence of a milestone: its start and end in the milestone's local time.
public struct Occurrence: Hashable, Sendable {
    /// Local start (00:00 for all-day milestones).
    public var start: CivilDateTime
    /// Local end: the start plus the milestone's span (equal to the start when it has no end).
    public var end: CivilDateTime

    /// The occurrence of `milestone` starting at `start`, spanning as long as the milestone's first one.
    public init(start: CivilDateTime, milestone: Milestone) {
        self.start = start
        if let end = milestone.end {
            if milestone.isAllDay {
                let days = end.date.daysSinceEpoch - milestone.start.date.daysSinceEpoch
                self.end = CivilDateTime(date: start.date.adding(days: days), secondOfDay: 0)
            } else {
                self.end = start.adding(seconds: end.secondsSinceEpoch - milestone.start.secondsSinceEpoch)
            }
        } else {
            self.end = start
        }
    }
}
