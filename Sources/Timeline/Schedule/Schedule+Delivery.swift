extension Schedule {
    /// Where an instance goes and how it can be followed up: its milestone's delivery with its reminder's
    /// overrides.
    public func delivery(of instance: ReminderInstance) -> Delivery {
        milestone(of: instance).delivery(ofReminder: Int(instance.reminderIndex))
    }
}
