/// Where the daemon writes its entries: the systemd journal, or stderr when there is no journal.
public protocol NotificationSink: Sendable {
    /// Writes `entry` as one record; throws when it could not be written.
    func write(_ entry: JournalEntry) throws
}
