import Daemon
import Synchronization

/// A sink that keeps every entry written, for assertions.
public final class MemorySink: NotificationSink {
    private let stored = Mutex<[JournalEntry]>([])
    private let failing = Mutex(false)

    /// An empty sink.
    public init() {}

    /// Makes every later `write` fail (as a journal that refuses entries), or succeed again.
    public func setFailing(_ fail: Bool) {
        failing.withLock { $0 = fail }
    }

    public func write(_ entry: JournalEntry) throws {
        if failing.withLock({ $0 }) { throw MemorySinkRefused() }
        stored.withLock { $0.append(entry) }
    }

    /// Every entry written, in order.
    public var entries: [JournalEntry] { stored.withLock { $0 } }

    /// The entries with a reminder MESSAGE_ID.
    public var reminders: [JournalEntry] {
        entries.filter { MessageID.reminderIDs.contains($0["MESSAGE_ID"] ?? "") }
    }

    /// `MILESTONE_ID REMINDER` of each reminder entry.
    public var reminderNames: [String] {
        reminders.map { "\($0["MILESTONE_ID"]!) \($0["REMINDER"]!)" }
    }
}

/// The error of a `MemorySink` told to fail.
public struct MemorySinkRefused: Error {}
