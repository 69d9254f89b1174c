/// What the daemon has already delivered, as saved across restarts by `StateStore`.
public struct DeliveryState: Sendable, Equatable {
    /// Unix seconds: every reminder due at or before it has been dealt with; nil on the first start (no state).
    public var watermark: Int64?
    /// The keys of reminders due after the watermark that were already sent (a batch cut short).
    public var sentAfterWatermark: Set<String>
    /// Snoozed and dismissed reminders.
    public var followUps: FollowUps
    /// Deliveries to named channels not yet sent, by id (`KEY|channel`).
    public var deliveries: [String: PendingDelivery] = [:]

    /// A state with the given watermark, keys and follow-ups; the empty first-start state by default.
    public init(watermark: Int64? = nil, sentAfterWatermark: Set<String> = [], followUps: FollowUps = FollowUps()) {
        self.watermark = watermark
        self.sentAfterWatermark = sentAfterWatermark
        self.followUps = followUps
    }
}
