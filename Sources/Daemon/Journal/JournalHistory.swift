import CSystemd
import Glibc

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
        let journal = try open()
        defer { sd_journal_close(journal) }
        _ = sd_journal_set_data_threshold(journal, 0)
        var terms = [Event.allCases.map { "MESSAGE_ID=\($0.messageID)" }]
        switch source {
        case .system: terms.append(["_SYSTEMD_UNIT=sse-timeline.service"])
        case .user(let uid): terms += [["_UID=\(uid)"], ["_SYSTEMD_USER_UNIT=sse-timeline.service"]]
        case .directory, .files: break
        }
        for alternatives in terms {
            for term in alternatives {
                let bytes = Array(term.utf8)
                try check(sd_journal_add_match(journal, bytes, bytes.count), "filter it by \(term)")
            }
            try check(sd_journal_add_conjunction(journal), "filter it")
        }
        let sinceMicroseconds = UInt64(max(since?.microsecondsSinceEpoch ?? 0, 0))
        try check(
            since == nil ? sd_journal_seek_head(journal) : sd_journal_seek_realtime_usec(journal, sinceMicroseconds),
            "seek in it"
        )
        var entries: [Entry] = []
        while true {
            let step = sd_journal_next(journal)
            try check(step, "read it")
            if step == 0 { break }
            var written: UInt64 = 0
            try check(sd_journal_get_realtime_usec(journal, &written), "read an entry's time")
            // Entries of other files (another host, another boot) may be older or newer than where the seek went.
            let time = WallTime(microsecondsSinceEpoch: Int64(written))
            if let since, time < since { continue }
            if let until, time > until { continue }
            guard let entry = Self.entry(of: journal, at: time), milestone == nil || entry.milestoneID == milestone
            else { continue }
            entries.append(entry)
        }
        return entries.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            .map(\.element)
    }

    private func open() throws(ReadError) -> OpaquePointer {
        var opened: OpaquePointer?
        let result: Int32
        let what: String
        switch source {
        case .system, .user:
            what = "this machine's journal"
            result = sd_journal_open(&opened, Int32(SD_JOURNAL_LOCAL_ONLY))
        case .directory(let path):
            what = "the journal directory \(path)"
            result = sd_journal_open_directory(&opened, path, 0)
        case .files(let paths):
            what = "the journal file\(paths.count == 1 ? "" : "s") \(paths.joined(separator: ", "))"
            var pointers: [UnsafePointer<CChar>?] = paths.map { UnsafePointer(strdup($0)) }
            defer { for pointer in pointers { free(UnsafeMutablePointer(mutating: pointer)) } }
            pointers.append(nil)
            result = sd_journal_open_files(&opened, &pointers, 0)
        }
        guard result >= 0, let journal = opened else {
            throw ReadError(description: "cannot open \(what): \(String(cString: strerror(-result)))")
        }
        return journal
    }

    private func check(_ result: Int32, _ doing: String) throws(ReadError) {
        guard result < 0 else { return }
        throw ReadError(description: "cannot \(doing): \(String(cString: strerror(-result)))")
    }

    /// The fields that are the journal's or the entry's frame, not what the daemon said about the reminder.
    private static let frameFields: Set<String> = ["MESSAGE", "MESSAGE_ID", "PRIORITY", "SYSLOG_IDENTIFIER"]

    private static func entry(of journal: OpaquePointer, at time: WallTime) -> Entry? {
        var event: Event?
        var entry = Entry(event: .sent, time: time, host: nil, uid: nil, userUnit: nil, message: "", fields: [])
        var data: UnsafeRawPointer?
        var length = 0
        sd_journal_restart_data(journal)
        while sd_journal_enumerate_data(journal, &data, &length) > 0, let data {
            let bytes = UnsafeRawBufferPointer(start: data, count: length)
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = String(decoding: bytes[..<equals], as: UTF8.self)
            let value = String(decoding: bytes[(equals + 1)...], as: UTF8.self)
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
