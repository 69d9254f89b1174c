extension Duration {
    /// The duration in whole microseconds, rounded down: the unit of sd-event, sd-bus and the journal.
    public var microseconds: Int64 {
        components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
    }
}
