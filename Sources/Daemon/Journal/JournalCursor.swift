import CSystemd
import Glibc

/// Which journal files are read.
public enum JournalFiles: Sendable, Equatable {
    /// Every journal file of this machine the process may read (`SD_JOURNAL_LOCAL_ONLY`): for a user service, the
    /// user's own journal (and the system one, when allowed).
    case local
    /// The journal files in one directory (`sd_journal_open_directory`).
    case directory(String)
    /// These journal files (`sd_journal_open_files`).
    case files([String])
}

/// An open sd-journal, filtered by matches and walked from a time on: what `JournalReader` and `JournalHistory`
/// share.
final class JournalCursor {
    private let journal: OpaquePointer

    /// Opens `files`, with no limit on the size of a field read.
    init(_ files: JournalFiles) throws(JournalHistory.ReadError) {
        var opened: OpaquePointer?
        let result: Int32
        let what: String
        switch files {
        case .local:
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
        try Self.check(result, "open \(what)")
        journal = opened!
        _ = sd_journal_set_data_threshold(journal, 0)
    }

    deinit {
        sd_journal_close(journal)
    }

    /// Whether the files opened hold nothing (journald never ran, or this user may read none of them).
    var isEmpty: Bool {
        var usage: UInt64 = 0
        return sd_journal_get_usage(journal, &usage) < 0 || usage == 0
    }

    /// Keeps the entries that satisfy every match (each its own term of the AND, even when two name one field).
    func filter(_ matches: [JournalMatch]) throws(JournalHistory.ReadError) {
        for match in matches {
            for value in match.values {
                let term = Array("\(match.field)=\(value)".utf8)
                try Self.check(sd_journal_add_match(journal, term, term.count), "filter it by \(match.field)=\(value)")
            }
            try Self.check(sd_journal_add_conjunction(journal), "filter it")
        }
    }

    /// Calls `body` with the time of each entry written at or after `since` (all when nil), in journal order;
    /// `body` reads the entry with `value(of:)` and `fields()`.
    func forEach(since: WallTime?, _ body: (WallTime) -> Void) throws(JournalHistory.ReadError) {
        let sinceMicroseconds = UInt64(max(since?.microsecondsSinceEpoch ?? 0, 0))
        try Self.check(
            since == nil ? sd_journal_seek_head(journal) : sd_journal_seek_realtime_usec(journal, sinceMicroseconds),
            "seek in it"
        )
        while true {
            let step = sd_journal_next(journal)
            try Self.check(step, "read it")
            if step == 0 { return }
            var written: UInt64 = 0
            try Self.check(sd_journal_get_realtime_usec(journal, &written), "read an entry's time")
            // The seek is to the first entry at or after the time in one file; entries of other files (another
            // host, another boot) may be older.
            if written >= sinceMicroseconds { body(WallTime(microsecondsSinceEpoch: Int64(written))) }
        }
    }

    /// The value of `field` in the current entry, if it has one.
    func value(of field: String) -> String? {
        var data: UnsafeRawPointer?
        var length = 0
        guard sd_journal_get_data(journal, field, &data, &length) >= 0, let data else { return nil }
        let prefix = Array("\(field)=".utf8)
        let bytes = UnsafeRawBufferPointer(start: data, count: length)
        guard bytes.starts(with: prefix) else { return nil }
        return String(decoding: bytes.dropFirst(prefix.count), as: UTF8.self)
    }

    /// Every field of the current entry, in the journal's order.
    func fields() -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        var data: UnsafeRawPointer?
        var length = 0
        sd_journal_restart_data(journal)
        while sd_journal_enumerate_data(journal, &data, &length) > 0, let data {
            let bytes = UnsafeRawBufferPointer(start: data, count: length)
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = String(decoding: bytes[..<equals], as: UTF8.self)
            fields.append((name, String(decoding: bytes[(equals + 1)...], as: UTF8.self)))
        }
        return fields
    }

    private static func check(_ result: Int32, _ doing: String) throws(JournalHistory.ReadError) {
        guard result < 0 else { return }
        throw JournalHistory.ReadError(description: "cannot \(doing): \(String(cString: strerror(-result)))")
    }
}
