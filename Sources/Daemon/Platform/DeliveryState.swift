/// What the daemon has already delivered, as saved across restarts by `StateStore`.
struct DeliveryState: Sendable, Equatable {
    /// Unix seconds: every reminder due at or before it has been dealt with; nil on the first start (no state).
    var watermark: Int64?
    /// The keys of reminders due after the watermark that were already sent (a batch cut short).
    var sentAfterWatermark: Set<String>

    /// A state with the given watermark and keys; the empty first-start state by default.
    init(watermark: Int64? = nil, sentAfterWatermark: Set<String> = []) {
        self.watermark = watermark
        self.sentAfterWatermark = sentAfterWatermark
    }
}
