import CSystemd
import Glibc

/// Reads back entries from the systemd journal, with `sd_journal_open(3)`.
///
/// At start the daemon asks it what it already wrote (`ownValues`), for the entries a crash kept out of the state.
public struct JournalReader: Sendable {
    /// Which journal files are read.
    public enum Source: Sendable, Equatable {
        /// Every journal file of this machine the process may read (`SD_JOURNAL_LOCAL_ONLY`): the system
        /// journal for a system service, the user's own journal (and the system one, when allowed) for a user
        /// service.
        case localSystem
        /// The journal files in one directory (`sd_journal_open_directory`).
        case directory(String)
    }

    /// The journal files read.
    public var source: Source

    /// A reader of `source`, the local system journal by default.
    public init(source: Source = .localSystem) {
        self.source = source
    }

    /// The values of `field` in this daemon instance's own entries with one of `messageIDs`, written at or after
    /// `since`; nil when there is no journal to read.
    public func ownValues(of field: String, messageIDs: [String], since: WallTime) -> [String]? {
        // _UID is set by journald from the sender's credentials, so the system service and users' services (each
        // their own UID) never take the others' entries for theirs.
        let matches = [
            JournalMatch("MESSAGE_ID", anyOf: messageIDs),
            JournalMatch("SYSLOG_IDENTIFIER", JournalEntry.syslogIdentifier),
            JournalMatch("_UID", String(getuid())),
        ]
        return values(of: field, matching: matches, since: since)
    }

    /// The values of `field` in the entries written at or after `since` (all entries when nil) that satisfy
    /// every match, in journal order. Entries without `field` are skipped.
    ///
    /// - Returns: nil when there is no journal to read: it cannot be opened, it has no files (journald
    ///   never ran, or this user may not read them), or reading fails.
    public func values(of field: String, matching matches: [JournalMatch], since: WallTime?) -> [String]? {
        var opened: OpaquePointer?
        let result: Int32
        switch source {
        case .localSystem:
            result = sd_journal_open(&opened, Int32(SD_JOURNAL_LOCAL_ONLY))
        case .directory(let path):
            result = sd_journal_open_directory(&opened, path, 0)
        }
        guard result >= 0, let journal = opened else {
            return nil
        }
        defer { sd_journal_close(journal) }
        var usage: UInt64 = 0
        guard sd_journal_get_usage(journal, &usage) >= 0, usage > 0 else {
            return nil
        }
        _ = sd_journal_set_data_threshold(journal, 0)
        for match in matches {
            for value in match.values {
                let term = Array("\(match.field)=\(value)".utf8)
                guard sd_journal_add_match(journal, term, term.count) >= 0 else {
                    return nil
                }
            }
            // Each JournalMatch is its own term of the AND, even when two name the same field.
            guard sd_journal_add_conjunction(journal) >= 0 else {
                return nil
            }
        }
        let sinceMicroseconds = UInt64(max(since?.microsecondsSinceEpoch ?? 0, 0))
        let seek =
            since == nil ? sd_journal_seek_head(journal) : sd_journal_seek_realtime_usec(journal, sinceMicroseconds)
        guard seek >= 0 else {
            return nil
        }
        let prefix = Array("\(field)=".utf8)
        var values: [String] = []
        while true {
            let step = sd_journal_next(journal)
            if step < 0 {
                return nil
            }
            if step == 0 {
                return values
            }
            // Seeking is to the first entry at or after the time in one file; entries of other files can be
            // older.
            var written: UInt64 = 0
            guard sd_journal_get_realtime_usec(journal, &written) >= 0, written >= sinceMicroseconds else {
                continue
            }
            var data: UnsafeRawPointer?
            var length = 0
            guard sd_journal_get_data(journal, field, &data, &length) >= 0, let data else {
                continue
            }
            let bytes = UnsafeRawBufferPointer(start: data, count: length)
            if bytes.starts(with: prefix) {
                values.append(String(decoding: bytes.dropFirst(prefix.count), as: UTF8.self))
            }
        }
    }
}
