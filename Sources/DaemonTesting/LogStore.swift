import Logging
import Synchronization

/// Log messages kept in memory: tests never bootstrap the global logging system.
public final class LogStore: Sendable {
    fileprivate let lines = Mutex<[String]>([])

    /// An empty store.
    public init() {}

    /// Every message logged, as `level: message`.
    public var all: [String] { lines.withLock { $0 } }

    /// A logger whose messages go into this store.
    public func logger() -> Logger {
        Logger(label: "test") { _ in MemoryLogHandler(store: self) }
    }
}

/// The log handler behind `LogStore.logger()`.
struct MemoryLogHandler: LogHandler {
    let store: LogStore
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.lines.withLock { $0.append("\(event.level): \(event.message)") }
    }
}
