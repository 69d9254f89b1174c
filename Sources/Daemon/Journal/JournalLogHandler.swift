import Logging
import Timeline

/// A swift-log handler that writes each log record as one journal entry (or stderr line) through a
/// `NotificationSink`, with metadata as fields (names sanitized to `[A-Z0-9_]`).
///
/// Set a `message_id` metadata value to give the entry a `MESSAGE_ID`.
public struct JournalLogHandler: LogHandler {
    /// Where entries go.
    public let sink: any NotificationSink
    /// The logger's label, written as `LOGGER`.
    public let label: String

    /// Metadata added to every entry of this handler.
    public var metadata: Logger.Metadata = [:]
    /// The least severe level written.
    public var logLevel: Logger.Level = .info

    /// A handler for the logger `label` that writes to `sink`.
    public init(label: String, sink: any NotificationSink) {
        self.label = label
        self.sink = sink
    }

    /// One metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `event` as one entry.
    public func log(event: LogEvent) {
        var fields: [(name: String, value: String)] = [("SYSLOG_IDENTIFIER", JournalEntry.syslogIdentifier)]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() {
            fields.append((JournalEntry.fieldName(key), "\(merged[key]!)"))
        }
        let entry = JournalEntry(
            message: "\(event.message)",
            priority: Self.priority(event.level),
            fields: fields
        )
        try? sink.write(entry)
    }

    /// swift-log levels onto syslog priorities.
    public static func priority(_ level: Logger.Level) -> Priority {
        switch level {
        case .trace, .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}
