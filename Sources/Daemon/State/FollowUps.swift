/// What people told the daemon about reminders (snooze, dismiss), as the state keeps it across restarts.
///
/// Keys are reminder keys (`Schedule.key(of:)`); instants are Unix seconds.
public struct FollowUps: Sendable, Equatable {
    /// Snoozed reminders: when each comes back.
    public var snoozed: [String: Int64]
    /// Reminders dismissed before they came due: their due instant. They are not sent; the entry goes once the
    /// watermark has passed it.
    public var dismissedAhead: [String: Int64]

    /// Follow-ups with the given snoozes and dismissals; none by default.
    public init(snoozed: [String: Int64] = [:], dismissedAhead: [String: Int64] = [:]) {
        self.snoozed = snoozed
        self.dismissedAhead = dismissedAhead
    }

    /// Whether there is nothing to keep.
    public var isEmpty: Bool { snoozed.isEmpty && dismissedAhead.isEmpty }

    /// Whether the on-time delivery of `key` is held back: it is snoozed (it comes back later) or dismissed.
    public func holdsBack(_ key: String) -> Bool {
        snoozed[key] != nil || dismissedAhead[key] != nil
    }

    /// The earliest instant a snoozed reminder comes back.
    public var nextReturn: Int64? { snoozed.values.min() }

    /// Forgets dismissals of reminders due at or before `watermark` (their instant has passed: nothing will
    /// send them again).
    public mutating func prune(watermark: Int64) {
        dismissedAhead = dismissedAhead.filter { $0.value > watermark }
    }

    /// Applies `record`, as `StateStore.load()` replays the log.
    public mutating func apply(_ record: FollowUpRecord) {
        switch record {
        case .snoozed(let key, let until):
            snoozed[key] = until
            dismissedAhead[key] = nil
        case .dismissed(let key, let due):
            snoozed[key] = nil
            if let due { dismissedAhead[key] = due }
        case .returned(let key, let until):
            if snoozed[key] == until { snoozed[key] = nil }
        }
    }
}

/// One change of the follow-ups, as appended to the state's log between two snapshots.
public enum FollowUpRecord: Sendable, Equatable {
    /// `key` was snoozed until `until`.
    case snoozed(key: String, until: Int64)
    /// `key` was dismissed; `due` when it had not come due yet (it is then held back at `due`).
    case dismissed(key: String, due: Int64?)
    /// `key`, snoozed until `until`, came back (was written again).
    case returned(key: String, until: Int64)

    /// The record's key.
    public var key: String {
        switch self {
        case .snoozed(let key, _), .dismissed(let key, _), .returned(let key, _): key
        }
    }

    /// The log line without its newline: `+snooze UNTIL KEY`, `+dismiss DUE KEY` (`-` for no due), `+back UNTIL
    /// KEY`. A key never starts with `+` (they start with a milestone id), so a record is never read as a key.
    public var logLine: String {
        switch self {
        case .snoozed(let key, let until): "+snooze \(until) \(key)"
        case .dismissed(let key, let due): "+dismiss \(due.map(String.init) ?? "-") \(key)"
        case .returned(let key, let until): "+back \(until) \(key)"
        }
    }

    /// The record a log line spells, or nil when it is not one.
    public init?(logLine line: some Sequence<UInt8>) {
        let bytes = Array(line)
        guard bytes.first == UInt8(ascii: "+") else { return nil }
        let parts = bytes.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty else { return nil }
        let key = String(decoding: parts[2], as: UTF8.self)
        let number = String(decoding: parts[1], as: UTF8.self)
        switch String(decoding: parts[0], as: UTF8.self) {
        case "+snooze":
            guard let until = Int64(number) else { return nil }
            self = .snoozed(key: key, until: until)
        case "+dismiss":
            if number == "-" {
                self = .dismissed(key: key, due: nil)
            } else {
                guard let due = Int64(number) else { return nil }
                self = .dismissed(key: key, due: due)
            }
        case "+back":
            guard let until = Int64(number) else { return nil }
            self = .returned(key: key, until: until)
        default:
            return nil
        }
    }
}
