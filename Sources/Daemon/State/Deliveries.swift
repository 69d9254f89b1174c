/// A delivery to a named channel (`[channel.NAME]`) not yet recorded as sent, as the state keeps it across
/// restarts. Its id is `<REMINDER_KEY>|<channel>`; a sent or given-up delivery leaves the state.
public struct PendingDelivery: Sendable, Equatable {
    /// When its reminder came due (Unix seconds): `retry_for` counts from it.
    public var due: Int64
    /// How many attempts failed.
    public var failures: Int = 0
    /// How the last one failed: the job's result (`failed`, `timeout`...) or the bus error's name.
    public var lastFailure: String?

    /// A delivery of a reminder due at `due`, `failures` attempts failed, the last as `lastFailure`.
    public init(due: Int64, failures: Int = 0, lastFailure: String? = nil) {
        self.due = due
        self.failures = failures
        self.lastFailure = lastFailure
    }

    /// The reminder key and the channel of the delivery `id` (`KEY|channel`: the channel follows the last `|`).
    public static func parts(of id: String) -> (key: String, channel: String) {
        guard let bar = id.lastIndex(of: "|") else { return (id, "") }
        return (String(id[..<bar]), String(id[id.index(after: bar)...]))
    }
}

/// One change of the pending deliveries, as appended to the state's log between two snapshots: `+queued DUE ID`,
/// `+failed ATTEMPT,REASON ID`, `+sent ATTEMPT ID`, `+gaveup ATTEMPT ID`. An older daemon ignores these lines (a
/// `+` line it cannot read), so its log stays readable to it.
public enum DeliveryRecord: Sendable, Equatable, StateLogRecord {
    /// `id` is recorded, due at `due`, before its first attempt starts.
    case queued(id: String, due: Int64)
    /// Attempt `attempt` of `id` failed as `reason`.
    case failed(id: String, attempt: Int, reason: String)
    /// Attempt `attempt` of `id` was handed over: it is never started again.
    case sent(id: String, attempt: Int)
    /// `id` was given up after `attempt` attempts (its `retry_for` passed, or its channel or reminder is gone).
    case gaveUp(id: String, attempt: Int)

    /// The delivery's id.
    public var key: String {
        switch self {
        case .queued(let id, _), .failed(let id, _, _), .sent(let id, _), .gaveUp(let id, _): id
        }
    }

    public var logLine: String {
        switch self {
        case .queued(let id, let due): "+queued \(due) \(id)"
        case .failed(let id, let attempt, let reason): "+failed \(attempt),\(Self.word(reason)) \(id)"
        case .sent(let id, let attempt): "+sent \(attempt) \(id)"
        case .gaveUp(let id, let attempt): "+gaveup \(attempt) \(id)"
        }
    }

    /// The record a log line spells, or nil when it is not one.
    public init?(logLine line: some Sequence<UInt8>) {
        let parts = Array(line).split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty else { return nil }
        let id = String(decoding: parts[2], as: UTF8.self)
        let value = String(decoding: parts[1], as: UTF8.self)
        switch String(decoding: parts[0], as: UTF8.self) {
        case "+queued":
            guard let due = Int64(value) else { return nil }
            self = .queued(id: id, due: due)
        case "+failed":
            let fields = value.split(separator: ",", maxSplits: 1)
            guard fields.count == 2, let attempt = Int(fields[0]) else { return nil }
            self = .failed(id: id, attempt: attempt, reason: String(fields[1]))
        case "+sent":
            guard let attempt = Int(value) else { return nil }
            self = .sent(id: id, attempt: attempt)
        case "+gaveup":
            guard let attempt = Int(value) else { return nil }
            self = .gaveUp(id: id, attempt: attempt)
        default:
            return nil
        }
    }

    /// `text` as one word of a log line: characters other than letters, digits, `.`, `_` and `-` become `_`.
    static func word(_ text: String) -> String {
        let kept = text.unicodeScalars.map { scalar -> Character in
            scalar.properties.isASCIIHexDigit || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || scalar == "." || scalar == "_" || scalar == "-" ? Character(scalar) : "_"
        }
        return kept.isEmpty ? "-" : String(kept)
    }
}

extension [String: PendingDelivery] {
    /// Applies `record`, as `StateStore.load()` replays the log: a record for a delivery already sent or given
    /// up (replayed twice after a crash between a commit and the emptying of the log) changes nothing.
    public mutating func apply(_ record: DeliveryRecord) {
        switch record {
        case .queued(let id, let due):
            if self[id] == nil { self[id] = PendingDelivery(due: due) }
        case .failed(let id, let attempt, let reason):
            guard var delivery = self[id] else { return }
            delivery.failures = Swift.max(delivery.failures, attempt)
            delivery.lastFailure = reason
            self[id] = delivery
        case .sent(let id, _), .gaveUp(let id, _):
            self[id] = nil
        }
    }
}
