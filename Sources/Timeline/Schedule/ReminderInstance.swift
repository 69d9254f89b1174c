/// One reminder of one occurrence of a milestone, with the instant it comes due.
public struct ReminderInstance: Hashable, Sendable {
    /// Index of the milestone in the schedule.
    public var milestoneIndex: Int32
    /// Index of the reminder within the milestone.
    public var reminderIndex: Int32
    /// Local start of the occurrence.
    public var occurrenceStart: CivilDateTime
    /// When it comes due.
    public var due: Instant

    /// An instance.
    public init(milestoneIndex: Int32, reminderIndex: Int32, occurrenceStart: CivilDateTime, due: Instant) {
        self.milestoneIndex = milestoneIndex
        self.reminderIndex = reminderIndex
        self.occurrenceStart = occurrenceStart
        self.due = due
    }

    /// The order reminders fire in: due instant, then config order of milestones and reminders.
    public static func firesBefore(_ a: ReminderInstance, _ b: ReminderInstance) -> Bool {
        (a.due, a.milestoneIndex, a.reminderIndex, a.occurrenceStart)
            < (b.due, b.milestoneIndex, b.reminderIndex, b.occurrenceStart)
    }
}
