/// An instant moved off a non-working day by `on_non_working_day`: where it was, and why it moved.
public struct NonWorkingDayMove: Hashable, Sendable {
    /// The instant it would have had without the move.
    public var from: Instant
    /// Why: the holiday's name, "weekend", or the weekday that is not a working day ("Friday").
    public var reason: String

    /// A move from `from` because of `reason`.
    public init(from: Instant, reason: String) {
        self.from = from
        self.reason = reason
    }
}

/// Where a reminder of one occurrence comes due once `on_non_working_day` has had its say.
public enum Placement: Hashable, Sendable {
    /// Due at `due`; `moved` says from where and why when the rule moved it (or its occurrence).
    case due(Instant, moved: NonWorkingDayMove?)
    /// Dropped: it (or its occurrence) fell on a non-working day and the rule is `skip`.
    case skipped
}

extension ReminderMath {
    /// Where `offset` comes due for the occurrence of `milestone` starting at `start`, with the milestone's
    /// `on_non_working_day` applied; nil when outside the years 1 to 9999.
    ///
    /// The rule applies to the occurrence first (its local start date in the milestone's zone; the end moves
    /// with it), then to the reminder counted from the occurrence where it now is (its local due date): `before`
    /// and `after` keep the local time of day, `skip` drops the reminder. A reminder moved twice reports the
    /// instant it would have had with no move, and the first reason; one that ends up there anyway is not moved.
    public static func placement(
        of offset: ReminderOffset,
        occurrenceStart start: CivilDateTime,
        milestone: Milestone,
        allDayTime: Int
    ) -> Placement? {
        let rule = milestone.onNonWorkingDay
        let unmovedOccurrence = Occurrence(start: start, milestone: milestone)
        guard rule != .keep else {
            return due(of: offset, occurrence: unmovedOccurrence, milestone: milestone, allDayTime: allDayTime)
                .map { .due($0, moved: nil) }
        }
        guard let (movedStart, occurrenceMove) = movedOccurrence(start, of: milestone) else { return .skipped }
        var reason = occurrenceMove?.reason
        let occurrence = Occurrence(start: movedStart, milestone: milestone)
        guard var instant = due(of: offset, occurrence: occurrence, milestone: milestone, allDayTime: allDayTime) else {
            return nil
        }
        let local = milestone.zone.localTime(at: instant)
        let calendar = milestone.workingCalendar
        if let why = calendar.reasonNotWorking(local.date) {
            guard rule != .skip, let date = calendar.workingDay(onOrNear: local.date, forward: rule == .after) else {
                return .skipped
            }
            reason = reason ?? why
            instant = milestone.zone.instant(for: CivilDateTime(date: date, secondOfDay: local.secondOfDay))
            guard instant.secondsSinceEpoch >= earliest, instant.secondsSinceEpoch <= latest else { return nil }
        }
        guard let reason else { return .due(instant, moved: nil) }
        let unmoved = due(of: offset, occurrence: unmovedOccurrence, milestone: milestone, allDayTime: allDayTime)
        // Counted from a moved occurrence, a reminder may land where it would have been anyway: not a move.
        guard let unmoved, unmoved != instant else { return .due(instant, moved: nil) }
        return .due(instant, moved: NonWorkingDayMove(from: unmoved, reason: reason))
    }

    /// Where the occurrence of `milestone` starting at `start` is once `on_non_working_day` has had its say: its
    /// local start, and the move if it moved; nil when the rule skips it.
    public static func movedOccurrence(
        _ start: CivilDateTime,
        of milestone: Milestone
    ) -> (start: CivilDateTime, moved: NonWorkingDayMove?)? {
        let rule = milestone.onNonWorkingDay
        guard rule != .keep, let reason = milestone.workingCalendar.reasonNotWorking(start.date) else {
            return (start, nil)
        }
        guard rule != .skip,
            let date = milestone.workingCalendar.workingDay(onOrNear: start.date, forward: rule == .after)
        else { return nil }
        let moved = NonWorkingDayMove(from: milestone.zone.instant(for: start), reason: reason)
        return (CivilDateTime(date: date, secondOfDay: start.secondOfDay), moved)
    }

    /// Calendar days before the local date `date` to seek a stream from, beyond what a calendar-day offset needs:
    /// working days after the anchor, and runs of non-working days an `after` move may step over (one for the
    /// occurrence, one for the reminder).
    static func workingDaySlack(before date: CivilDate, offset: ReminderOffset, milestone: Milestone) -> Int {
        let forward = max(offset.workingDays, 0) + (milestone.onNonWorkingDay == .after ? 2 : 0)
        guard forward > 0,
            let earlier = milestone.workingCalendar.adding(workingDays: -forward, to: date)
        else { return forward == 0 ? 0 : date.daysSinceEpoch - WorkingCalendar.dayRange.lowerBound }
        return date.daysSinceEpoch - earlier.daysSinceEpoch
    }
}
