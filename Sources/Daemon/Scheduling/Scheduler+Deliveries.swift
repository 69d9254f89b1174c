import Timeline

/// What the channels (`ChannelDeliverer`) read of the scheduler: the deliveries the state keeps, the channels of
/// the running timeline, and a reminder's journal entry made again for a delivery resumed after a restart.
extension Scheduler {
    /// The deliveries to named channels not recorded as sent, by id (`KEY|channel`).
    public var pendingDeliveries: [String: PendingDelivery] { state.deliveries }

    /// The `[channel.NAME]` tables of the running timeline, by name.
    public var channels: [String: Channel] { schedule?.config.defaults.channels ?? [:] }

    /// The reminder `key` of the running timeline as its journal entry says it (as first written, at its due
    /// instant), or nil when the timeline has no such reminder any more.
    public func reminder(forKey key: String) -> DeliveredReminder? {
        guard let schedule, let instance = schedule.instance(forKey: key) else { return nil }
        let due = WallTime(instance.due)
        return DeliveredReminder(
            entry: ReminderEntry(schedule: schedule).entry(for: instance, now: due, caughtUp: false, key: key),
            key: key,
            milestone: schedule.milestone(of: instance),
            instance: instance,
            isReturn: false
        )
    }
}
