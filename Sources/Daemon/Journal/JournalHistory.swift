import Timeline

/// What the daemon wrote about reminders, read back from the journal with sd-journal (not by running journalctl):
/// the entries of `sse-timeline history`. It reads the local journal, another directory (the central journal
/// of a fleet) or journal files copied out, and keeps each entry's host and user.
public struct JournalHistory: Sendable {
    /// Which journal is read.
    public enum Source: Sendable, Equatable {
        /// This machine's journal: the system instance's entries (`_SYSTEMD_UNIT=sse-timeline.service`).
        case system
        /// This machine's journal: the entries of the user instance of `uid` (`_UID`, `_SYSTEMD_USER_UNIT`).
        case user(uid: UInt32)
        /// Every journal file in a directory (`sd_journal_open_directory`), any instance of any host.
        case directory(String)
        /// These journal files (`sd_journal_open_files`), any instance of any host.
        case files([String])
    }

    /// What happened to a reminder, by the MESSAGE_ID of its entry (`MessageID`, `systemd/sse-timeline.catalog`).
    public enum Event: String, Sendable, CaseIterable {
        case sent, caughtUp = "caught-up", missed, snoozed, returned, repeated, dismissed
        case actionStarted = "action-started", actionFinished = "action-finished", actionFailed = "action-failed"

        /// The MESSAGE_ID its entries carry.
        public var messageID: String {
            switch self {
            case .sent: MessageID.reminderDue
            case .caughtUp: MessageID.reminderCaughtUp
            case .missed: MessageID.remindersMissed
            case .snoozed: MessageID.reminderSnoozed
            case .returned: MessageID.reminderReturned
            case .repeated: MessageID.reminderRepeated
            case .dismissed: MessageID.reminderDismissed
            case .actionStarted: MessageID.actionStarted
            case .actionFinished: MessageID.actionFinished
            case .actionFailed: MessageID.actionFailed
            }
        }

        /// The event as `history` shows it, in `localizer`'s language ("sent", French "envoyé"); `--event` and
        /// the JSON keep ``rawValue``.
        public func label(_ localizer: Localizer) -> String {
            switch self {
            case .sent: localizer.tr("sent")
            case .caughtUp: localizer.tr("caught-up")
            case .missed: localizer.tr("missed")
            case .snoozed: localizer.tr("snoozed")
            case .returned: localizer.tr("returned")
            case .repeated: localizer.tr("repeated")
            case .dismissed: localizer.tr("dismissed")
            case .actionStarted: localizer.tr("action-started")
            case .actionFinished: localizer.tr("action-finished")
            case .actionFailed: localizer.tr("action-failed")
            }
        }

        /// The event whose entries carry `messageID`.
        public init?(messageID: String) {
            guard let event = Self.allCases.first(where: { $0.messageID == messageID }) else { return nil }
            self = event
        }
    }

    /// One entry: when and where it was written, what happened, and the entry's own fields.
    public struct Entry: Sendable, Equatable {
        /// What happened.
        public var event: Event
        /// When the journal received it.
        public var time: WallTime
        /// The host that wrote it (`_HOSTNAME`).
        public var host: String?
        /// The user it ran as (`_UID`).
        public var uid: UInt32?
        /// The user unit that wrote it (`_SYSTEMD_USER_UNIT`): set for a user instance.
        public var userUnit: String?
        /// `MESSAGE`.
        public var message: String
        /// The daemon's own fields (`MILESTONE_ID`, `REMINDER_KEY`, `DUE_AT`, `SNOOZED_UNTIL`, `UNIT`, `JOB_RESULT`,
        /// ...), in the order the journal gives them: every field but the journal's (`_*`), `MESSAGE`,
        /// `MESSAGE_ID`, `PRIORITY`, `SYSLOG_IDENTIFIER` and `CODE_*`.
        public var fields: [(name: String, value: String)]

        /// The value of one of ``fields``.
        public func field(_ name: String) -> String? { fields.first { $0.name == name }?.value }

        /// The milestone it is about: `MILESTONE_ID`, else the first part of `REMINDER_KEY`.
        public var milestoneID: String? {
            field("MILESTONE_ID") ?? field("REMINDER_KEY").flatMap { $0.split(separator: "|").first.map(String.init) }
        }

        public static func == (a: Entry, b: Entry) -> Bool {
            (a.event, a.time, a.host, a.uid, a.userUnit, a.message) == (
                b.event, b.time, b.host, b.uid, b.userUnit, b.message
            )
                && a.fields.map(\.name) == b.fields.map(\.name) && a.fields.map(\.value) == b.fields.map(\.value)
        }
    }

    /// Why the journal could not be read: what was opened, and the system's reason.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        /// `cannot open the journal files /tmp/x.journal: No such file or directory`.
        public let description: String
    }

    /// The journal read.
    public var source: Source

    /// A reader of `source`.
    public init(source: Source) { self.source = source }

    /// The entries written in `since...until` (either end open when nil), of the milestone `milestone` when
    /// given, oldest first.
    public func entries(since: WallTime? = nil, until: WallTime? = nil, milestone: String? = nil) throws(ReadError)
        -> [Entry]
    {
        var matches = [JournalMatch("MESSAGE_ID", anyOf: Event.allCases.map(\.messageID))]
        switch source {
        case .system: matches.append(JournalMatch("_SYSTEMD_UNIT", "sse-timeline.service"))
        case .user(let uid):
            matches += [JournalMatch("_UID", "\(uid)"), JournalMatch("_SYSTEMD_USER_UNIT", "sse-timeline.service")]
        case .directory, .files: break
        }
        let journal: JournalCursor
        switch source {
        case .system, .user: journal = try JournalCursor(.local)
        case .directory(let path): journal = try JournalCursor(.directory(path))
        case .files(let paths): journal = try JournalCursor(.files(paths))
        }
        try journal.filter(matches)
        var entries: [Entry] = []
        try journal.forEach(since: since) { time in
            if let until, time > until { return }
            guard let entry = Self.entry(journal.fields(), at: time), milestone == nil || entry.milestoneID == milestone
            else { return }
            entries.append(entry)
        }
        return entries.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            .map(\.element)
    }

    /// The fields that are the journal's or the entry's frame, not what the daemon said about the reminder.
    private static let frameFields: Set<String> = ["MESSAGE", "MESSAGE_ID", "PRIORITY", "SYSLOG_IDENTIFIER"]

    private static func entry(_ fields: [(name: String, value: String)], at time: WallTime) -> Entry? {
        var event: Event?
        var entry = Entry(event: .sent, time: time, host: nil, uid: nil, userUnit: nil, message: "", fields: [])
        for (name, value) in fields {
            switch name {
            case "MESSAGE_ID": event = Event(messageID: value)
            case "MESSAGE": entry.message = value
            case "_HOSTNAME": entry.host = value
            case "_UID": entry.uid = UInt32(value)
            case "_SYSTEMD_USER_UNIT": entry.userUnit = value
            default:
                if !name.hasPrefix("_"), !name.hasPrefix("CODE_"), !frameFields.contains(name) {
                    entry.fields.append((name, value))
                }
            }
        }
        guard let event else { return nil }
        entry.event = event
        return entry
    }
}
