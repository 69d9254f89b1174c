/// What people told the daemon about reminders (snooze, dismiss), and the nagging repeats it still owes them, as
/// the state keeps it across restarts.
///
/// Keys are reminder keys (`Schedule.key(of:)`); instants are Unix seconds.
public struct FollowUps: Sendable, Equatable {
    /// Snoozed reminders: when each comes back.
    public var snoozed: [String: Int64]
    /// Reminders dismissed before they came due: their due instant. They are not sent; the entry goes once the
    /// watermark has passed it.
    public var dismissedAhead: [String: Int64]
    /// Reminders that nag (`repeat = { every = ..., times = ... }`): their next repeat. A snooze or a dismissal
    /// ends it.
    public var repeating: [String: Repeat]

    /// The next repeat of a nagging reminder.
    public struct Repeat: Sendable, Equatable {
        /// When it is due (Unix seconds).
        public var next: Int64
        /// How many repeats are left, this one included (at least 1).
        public var left: Int
        /// Seconds between two repeats.
        public var every: Int64

        /// The repeat after this one was written at `written` (Unix seconds), or nil when it was the last: due
        /// `every` after this one, or after `written` when the daemon was not running meanwhile (the missed
        /// ones are not written in a burst).
        public func following(writtenAt written: Int64) -> Repeat? {
            guard left > 1 else { return nil }
            return Repeat(next: max(next, written) + every, left: left - 1, every: every)
        }
    }

    /// Follow-ups with the given snoozes, dismissals and repeats; none by default.
    public init(
        snoozed: [String: Int64] = [:],
        dismissedAhead: [String: Int64] = [:],
        repeating: [String: Repeat] = [:]
    ) {
        self.snoozed = snoozed
        self.dismissedAhead = dismissedAhead
        self.repeating = repeating
    }

    /// Whether there is nothing to keep.
    public var isEmpty: Bool { snoozed.isEmpty && dismissedAhead.isEmpty && repeating.isEmpty }

    /// Whether the on-time delivery of `key` is held back: it is snoozed (it comes back later) or dismissed.
    public func holdsBack(_ key: String) -> Bool {
        snoozed[key] != nil || dismissedAhead[key] != nil
    }

    /// The earliest instant a snoozed reminder comes back.
    public var nextReturn: Int64? { snoozed.values.min() }

    /// The earliest instant a nagging reminder repeats.
    public var nextRepeat: Int64? { repeating.values.lazy.map(\.next).min() }

    /// The earliest instant a snoozed reminder comes back or a nagging one repeats.
    public var nextFollowUp: Int64? {
        guard let nextRepeat else { return nextReturn }
        return min(nextReturn ?? nextRepeat, nextRepeat)
    }

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
            repeating[key] = nil
        case .dismissed(let key, let due):
            snoozed[key] = nil
            repeating[key] = nil
            if let due { dismissedAhead[key] = due }
        case .returned(let key, let until):
            if snoozed[key] == until { snoozed[key] = nil }
        case .repeating(let key, let next):
            // A repeat with none left, or without interval, is none (and could not be saved).
            repeating[key] = next.flatMap { $0.left > 0 && $0.every > 0 ? $0 : nil }
        }
    }
}

/// A line of the state's log that is not a key: it starts with `+` (a key never does).
public protocol StateLogRecord {
    /// The key (or delivery id) it is about: non-empty, without newline or NUL.
    var key: String { get }
    /// The log line without its newline.
    var logLine: String { get }
}

/// One change of the follow-ups, as appended to the state's log between two snapshots.
public enum FollowUpRecord: Sendable, Equatable, StateLogRecord {
    /// `key` was snoozed until `until`.
    case snoozed(key: String, until: Int64)
    /// `key` was dismissed; `due` when it had not come due yet (it is then held back at `due`).
    case dismissed(key: String, due: Int64?)
    /// `key`, snoozed until `until`, came back (was written again).
    case returned(key: String, until: Int64)
    /// `key` repeats next as `next` (it was written, or repeated); nil: it repeats no more.
    case repeating(key: String, next: FollowUps.Repeat?)

    /// The record's key.
    public var key: String {
        switch self {
        case .snoozed(let key, _), .dismissed(let key, _), .returned(let key, _), .repeating(let key, _): key
        }
    }

    /// The log line without its newline: `+snooze UNTIL KEY`, `+dismiss DUE KEY` (`-` for no due), `+back UNTIL
    /// KEY`, `+repeat NEXT,LEFT,EVERY KEY` (`-` for no more repeats). A key never starts with `+` (they start with
    /// a milestone id), so a record is never read as a key.
    public var logLine: String {
        switch self {
        case .snoozed(let key, let until): "+snooze \(until) \(key)"
        case .dismissed(let key, let due): "+dismiss \(due.map(String.init) ?? "-") \(key)"
        case .returned(let key, let until): "+back \(until) \(key)"
        case .repeating(let key, let next): "+repeat \(next.map(FollowUps.Repeat.text) ?? "-") \(key)"
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
            guard let due = Self.optional(number, Int64.init) else { return nil }
            self = .dismissed(key: key, due: due)
        case "+back":
            guard let until = Int64(number) else { return nil }
            self = .returned(key: key, until: until)
        case "+repeat":
            guard let next = Self.optional(number, FollowUps.Repeat.init(text:)) else { return nil }
            self = .repeating(key: key, next: next)
        default:
            return nil
        }
    }

    /// The value `text` spells as `parse` reads it, `-` for none (`.some(nil)`); nil when it is neither.
    private static func optional<Value>(_ text: String, _ parse: (String) -> Value?) -> Value?? {
        text == "-" ? .some(nil) : parse(text).map { .some($0) }
    }
}

extension FollowUps.Repeat {
    /// `NEXT,LEFT,EVERY`, as the log and the snapshot write it.
    static func text(_ value: FollowUps.Repeat) -> String { "\(value.next),\(value.left),\(value.every)" }

    /// The repeat `NEXT,LEFT,EVERY` spells, or nil when it is not one (LEFT and EVERY must be positive).
    init?(text: String) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 3, let next = Int64(parts[0]), let left = Int(parts[1]), let every = Int64(parts[2]),
            left > 0, every > 0
        else { return nil }
        self.init(next: next, left: left, every: every)
    }
}
