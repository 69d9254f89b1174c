import Glibc

/// Reads back entries from the systemd journal, with `sd_journal_open(3)`.
///
/// At start the daemon asks it what it already wrote (`ownValues`), for the entries a crash kept out of the state.
public struct JournalReader: Sendable {
    /// The journal files read.
    public var source: JournalFiles

    /// A reader of `source`, this machine's journal by default.
    public init(source: JournalFiles = .local) {
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
        do throws(JournalHistory.ReadError) {
            let journal = try JournalCursor(source)
            guard !journal.isEmpty else { return nil }
            try journal.filter(matches)
            var values: [String] = []
            try journal.forEach(since: since) { _ in
                if let value = journal.value(of: field) { values.append(value) }
            }
            return values
        } catch {
            return nil
        }
    }
}
