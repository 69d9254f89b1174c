import Timeline

/// A reminder the scheduler has just written into the journal (on time, caught up, back after a snooze, or a
/// repeat).
public struct DeliveredReminder {
    /// The journal entry written, with every field.
    public var entry: JournalEntry
    /// The reminder's key (`REMINDER_KEY`).
    public var key: String
    /// The milestone it belongs to (its `origin` says whether it may trigger actions).
    public var milestone: Milestone
    /// The instance.
    public var instance: ReminderInstance
    /// Whether it came back after a snooze.
    public var isReturn: Bool
    /// Whether it is a repeat of a nagging reminder (`repeat = { every = ..., times = ... }`); observers that act
    /// once per reminder (`on_due`) skip those.
    public var isRepeat: Bool = false

    /// The reminder of the milestone that came due ("7 days before").
    public var reminder: Reminder { milestone.reminders[Int(instance.reminderIndex)] }

    /// "International Day of Cooperatives (7 days before)" in `localizer`'s language, for the entries that follow.
    public func label(_ localizer: Localizer) -> String {
        "\(milestone.title(in: localizer.language)) (\(InstanceFormatting.reminderText(reminder, localizer)))"
    }
}

/// Told of each reminder the scheduler writes: the bus API sends `ReminderDue`, `on_due` actions start; a
/// desktop channel shows a notification. Called on the loop's thread, right after the journal entry.
public protocol DeliveryObserver: AnyObject {
    /// `reminder` was just written.
    func delivered(_ reminder: DeliveredReminder)

    /// A reminder was snoozed, dismissed, came back or repeats (the record is in the state already): a desktop
    /// notification of it can go. Does nothing unless implemented.
    func followedUp(_ record: FollowUpRecord)
}

extension DeliveryObserver {
    /// Does nothing.
    public func followedUp(_ record: FollowUpRecord) {}
}
