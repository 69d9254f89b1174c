import Logging

/// A swift-log handler that writes each log record as one journal entry (or stderr line) through a
/// `NotificationSink`, with metadata as fields (names sanitized to `[A-Z0-9_]`).
///
/// Set a `message_id` metadata value to give the entry a `MESSAGE_ID`.
struct JournalLogHandler: LogHandler {
    /// Where entries go.
    let sink: any NotificationSink
    /// The logger's label, written as `LOGGER`.
    let label: String

    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    init(label: String, sink: any NotificationSink) {
        self.label = label
        self.sink = sink
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [(name: String, value: String)] = [("SYSLOG_IDENTIFIER", "sse-timeline")]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() {
            fields.append((JournalEntry.fieldName(key), "\(merged[key]!)"))
        }
        let entry = JournalEntry(
            message: "\(event.message)", priority: Self.priority(event.level), fields: fields)
        try? sink.write(entry)
    }

    /// swift-log levels onto syslog priorities.
    static func priority(_ level: Logger.Level) -> JournalPriority {
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
