import Glibc
import Synchronization
import SystemPackage

/// Keeps the `DeliveryState` in a directory so that it survives crashes, `kill -9` and power loss.
///
/// Two files:
/// - `state`, the snapshot, replaced whole by `commit(_:)`:
///   ```
///   sse-timeline-state 1
///   watermark 1717315200
///   sent exam@1717318800
///   checksum 8c3f0a6d2e5b1c47
///   ```
///   `watermark none` when there is none; the last line is the FNV-1a 64-bit hash of every byte before it.
///   A state with snoozed, dismissed or nagging reminders (`FollowUps`) is written as version 2, which adds
///   `snooze UNTIL KEY`, `dismiss DUE KEY` and `repeat NEXT,LEFT,EVERY KEY` lines (Unix seconds); without any,
///   the file stays version 1, so that an older daemon still reads it. Both versions are read.
///   `commit(_:)` writes a temporary file in the same directory, fsyncs it, renames it over `state` and
///   fsyncs the directory, so the snapshot on disk is always the old one or the new one.
/// - `sent.log`, one key per line, appended by `recordSent(key:)` with a single `write(2)` and no fsync: the
///   page cache keeps it through a `kill -9`, and it costs one system call on the hot path. Snoozes,
///   dismissals, returns and repeats go into the same log as `+snooze`, `+dismiss`, `+back` and `+repeat` lines
///   (`record(_:)`, see `FollowUpRecord`), written the same way; a key and the records that go with it (the
///   first repeat of a nagging reminder) in one `write(2)`. A commit empties it. `load()` adds its keys to
///   the snapshot's and replays its records in order, ignoring a last line without newline (torn) and lines
///   with a NUL (a torn line that later appends ended with NUL and newline).
///
/// Keys are opaque, non-empty, without newline or NUL, and do not start with `+`. After a crash between a
/// commit and the emptying of the log, `load()` may return keys that the new watermark already covers:
/// callers drop keys of reminders due at or before the watermark. Replaying records the snapshot already has
/// gives the same follow-ups: each record sets or removes what its key has, and the last one wins.
public final class StateStore: Sendable {
    /// The first line of a snapshot without follow-ups.
    public static let magic = "sse-timeline-state 1"
    /// The first line of a snapshot with follow-ups (snoozes, dismissals).
    public static let magicVersion2 = "sse-timeline-state 2"

    /// The directory holding the files.
    public let directory: String
    /// The snapshot file, `state` in `directory`.
    public var snapshotPath: String { directory + "/state" }
    /// The append-only log, `sent.log` in `directory`.
    public var logPath: String { directory + "/sent.log" }
    private var temporaryPath: String { directory + "/state.tmp" }

    private struct Log {
        var descriptor: FileDescriptor?
        // Set when the log may end in a partial line (a failed write, a crash), so the next key starts a new one.
        var mayBeTorn = false
    }

    private let log = Mutex(Log())

    /// A store in `directory` (`$STATE_DIRECTORY`, or `--state-dir`). Nothing is touched until used.
    public init(directory: String) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    deinit {
        log.withLock { log in
            if let descriptor = log.descriptor { try? descriptor.close() }
        }
    }

    /// Reads the state: the snapshot (none yet: `watermark` nil) plus the keys in the log. Also opens the log
    /// for `recordSent(key:)`, so a directory that cannot be written is reported here, at start-up.
    ///
    /// - Throws: `StateStoreError`; `.corruptSnapshot` or `.foreignFile` when the snapshot cannot be trusted
    ///   (the caller picks a watermark, and the next commit replaces the file; `quarantineSnapshot()` keeps
    ///   it aside for a post-mortem), or a directory code when the directory is missing, unusable or
    ///   read-only.
    public func load() throws(StateStoreError) -> DeliveryState {
        try checkDirectory()
        let entries = try log.withLock { log throws(StateStoreError) -> [UInt8]? in
            _ = try openLog(&log)
            let entries = try readFile(logPath)
            // A torn last line (a crash mid-write) must not swallow the next key.
            if let last = entries?.last, last != 10 {
                log.mayBeTorn = true
            }
            return entries
        }
        var state = DeliveryState()
        if let snapshot = try readFile(snapshotPath) {
            state = try Self.decode(snapshot, path: snapshotPath)
        }
        if let entries {
            state.sentAfterWatermark.formUnion(Self.keys(inLog: entries))
            for record in Self.records(inLog: entries) { state.followUps.apply(record) }
        }
        return state
    }

    /// Appends `key` to the log with one `write(2)`, without fsync. Call it right after the key's entry is
    /// written.
    public func recordSent(key: String) throws(StateStoreError) {
        try recordSent(key: key, with: [])
    }

    /// Appends `key` and `records` (what its delivery started: the repeats of a nagging reminder) to the log in
    /// one `write(2)`, so that a `kill -9` keeps both or neither.
    public func recordSent(key: String, with records: [FollowUpRecord]) throws(StateStoreError) {
        precondition(
            !key.isEmpty && !key.utf8.contains(10) && !key.utf8.contains(0) && !key.hasPrefix("+"),
            "invalid state key \(key)"
        )
        try append(Array(key.utf8) + Self.lines(of: records))
    }

    /// Appends a snooze, dismissal, return or repeat to the log, as `recordSent(key:)` does a key: one
    /// `write(2)`, no fsync, right after its journal entry is written.
    public func record(_ record: FollowUpRecord) throws(StateStoreError) {
        try self.record([record])
    }

    /// Appends several records in one `write(2)` (a return and the repeats it starts).
    public func record(_ records: [FollowUpRecord]) throws(StateStoreError) {
        guard !records.isEmpty else { return }
        try append(Array(Self.lines(of: records).dropFirst()))
    }

    /// The records' log lines, each after a newline.
    private static func lines(of records: [FollowUpRecord]) -> [UInt8] {
        var bytes: [UInt8] = []
        for record in records {
            let key = record.key
            precondition(!key.isEmpty && !key.utf8.contains(10) && !key.utf8.contains(0), "invalid state key \(key)")
            bytes.append(10)
            bytes += Array(record.logLine.utf8)
        }
        return bytes
    }

    /// Appends `line` and a newline with one `write(2)`.
    private func append(_ line: [UInt8]) throws(StateStoreError) {
        try log.withLock { log throws(StateStoreError) in
            let descriptor = try openLog(&log)
            // After a torn line, a NUL ends it: a line with NUL is never read as a key.
            let line = (log.mayBeTorn ? [0, 10] : []) + line + [10]
            do throws(StateStoreError) {
                do throws(SystemCallError) {
                    try descriptor.writeAll(line, operand: logPath)
                } catch {
                    throw StateStoreError(error, path: logPath)
                }
                log.mayBeTorn = false
            } catch {
                log.mayBeTorn = true
                throw error
            }
        }
    }

    /// Saves `state` as the new snapshot, crash-safely, then empties the log.
    ///
    /// `state` must include every key recorded so far that is due after its watermark: they leave the log.
    ///
    /// - Throws: `StateStoreError`. When writing fails the previous snapshot is left as it was; a failure
    ///   after the rename (fsync of the directory, emptying the log) says so in its detail.
    public func commit(_ state: DeliveryState) throws(StateStoreError) {
        let content = Self.encode(state)
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(
                temporaryPath,
                .writeOnly,
                options: [.create, .truncate, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead]
            )
        } catch {
            throw classify(error, path: temporaryPath)
        }
        var failure: StateStoreError?
        do throws(SystemCallError) {
            try descriptor.writeAll(content, operand: temporaryPath)
            try SystemCall.run("fsync", operand: temporaryPath) { fsync(descriptor.rawValue) }
        } catch {
            failure = StateStoreError(error, path: temporaryPath)
        }
        do {
            try descriptor.close()
        } catch {
            if failure == nil {
                failure = StateStoreError(SystemCall.map(error, "close", operand: temporaryPath), path: temporaryPath)
            }
        }
        if let failure {
            unlink(temporaryPath)
            throw failure
        }
        do throws(SystemCallError) {
            try SystemCall.run("rename", operand: snapshotPath) { rename(temporaryPath, snapshotPath) }
        } catch {
            unlink(temporaryPath)
            throw StateStoreError(error, path: snapshotPath)
        }
        try syncDirectory()
        try log.withLock { log throws(StateStoreError) in
            let descriptor = try openLog(&log)
            do throws(SystemCallError) {
                try SystemCall.run("ftruncate", operand: logPath) { ftruncate(descriptor.rawValue, 0) }
            } catch {
                var failure = StateStoreError(error, path: logPath)
                failure.detail += " (the snapshot was written)"
                throw failure
            }
            log.mayBeTorn = false
        }
    }

    /// Moves a snapshot that `load()` rejected to `state.bad` (replacing an older one), so that it is kept
    /// for a post-mortem and the next `load()` starts without snapshot.
    ///
    /// - Returns: the path it was moved to.
    @discardableResult
    public func quarantineSnapshot() throws(StateStoreError) -> String {
        let destination = snapshotPath + ".bad"
        do throws(SystemCallError) {
            try SystemCall.run("rename", operand: snapshotPath) { rename(snapshotPath, destination) }
        } catch {
            throw StateStoreError(error, path: snapshotPath)
        }
        try syncDirectory()
        return destination
    }

    // MARK: - The snapshot format

    /// `state` as snapshot text, checksum line included: version 1 unless it has follow-ups.
    public static func encode(_ state: DeliveryState) -> [UInt8] {
        let followUps = state.followUps
        var text = (followUps.isEmpty ? magic : magicVersion2) + "\n"
        text += "watermark " + (state.watermark.map(String.init) ?? "none") + "\n"
        for key in state.sentAfterWatermark.sorted() {
            text += "sent " + key + "\n"
        }
        for (key, until) in followUps.snoozed.sorted(by: { $0.key < $1.key }) {
            text += "snooze \(until) \(key)\n"
        }
        for (key, due) in followUps.dismissedAhead.sorted(by: { $0.key < $1.key }) {
            text += "dismiss \(due) \(key)\n"
        }
        for (key, next) in followUps.repeating.sorted(by: { $0.key < $1.key }) {
            text += "repeat \(FollowUps.Repeat.text(next)) \(key)\n"
        }
        var bytes = Array(text.utf8)
        bytes += Array("checksum \(hexadecimal(fnv1a64(bytes)))\n".utf8)
        return bytes
    }

    /// The state in snapshot text `bytes` read from `path`, after checking its magic and checksum.
    public static func decode(_ bytes: [UInt8], path: String) throws(StateStoreError) -> DeliveryState {
        func corrupt(_ detail: String) -> StateStoreError {
            StateStoreError(.corruptSnapshot, path: path, detail: detail)
        }
        let magicBytes = Array((magic + "\n").utf8)
        let magic2Bytes = Array((magicVersion2 + "\n").utf8)
        let isVersion2 = bytes.starts(with: magic2Bytes)
        guard bytes.starts(with: magicBytes) || isVersion2 else {
            if bytes.isEmpty || magicBytes.starts(with: bytes) || magic2Bytes.starts(with: bytes) {
                throw corrupt("cut short within its first line")
            }
            let firstLine = String(decoding: bytes.prefix(while: { $0 != 10 }).prefix(80), as: UTF8.self)
            let what = firstLine.hasPrefix("sse-timeline-state ") ? "unsupported version" : "unknown first line"
            throw StateStoreError(
                .foreignFile,
                path: path,
                detail: "\(what) \"\(firstLine)\"; expected \"\(magic)\" or \"\(magicVersion2)\""
            )
        }
        guard bytes.last == 10 else {
            throw corrupt("cut short: no final newline")
        }
        let lastLineStart = (bytes.dropLast().lastIndex(of: 10) ?? -1) + 1
        let lastLine = String(decoding: bytes[lastLineStart..<(bytes.count - 1)], as: UTF8.self)
        let expected = hexadecimal(fnv1a64(bytes[..<lastLineStart]))
        guard lastLine.hasPrefix("checksum ") else {
            throw corrupt("cut short: no checksum line")
        }
        guard lastLine == "checksum " + expected else {
            throw corrupt("checksum mismatch: file says \"\(lastLine.dropFirst(9))\", content hashes to \(expected)")
        }
        var state = DeliveryState()
        var sawWatermark = false
        let body = bytes[magicBytes.count..<lastLineStart].split(separator: 10, omittingEmptySubsequences: false)
        // Prefixes are matched on bytes: String.hasPrefix compares characters, and a key starting with a
        // combining mark joins the space before it (found by `make fuzz`: such a state did not load back).
        let watermarkPrefix = Array("watermark ".utf8)
        let sentPrefix = Array("sent ".utf8)
        for (number, lineBytes) in body.dropLast().enumerated() {
            let line = String(decoding: lineBytes, as: UTF8.self)
            if lineBytes.starts(with: watermarkPrefix), !sawWatermark {
                sawWatermark = true
                let value = String(decoding: lineBytes.dropFirst(watermarkPrefix.count), as: UTF8.self)
                if value != "none" {
                    guard let watermark = Int64(value) else {
                        throw corrupt("line \(number + 2): watermark \"\(value)\" is not a number of seconds")
                    }
                    state.watermark = watermark
                }
            } else if lineBytes.starts(with: sentPrefix), lineBytes.count > sentPrefix.count {
                state.sentAfterWatermark.insert(String(decoding: lineBytes.dropFirst(sentPrefix.count), as: UTF8.self))
            } else if isVersion2, let (kind, instant, key) = followUpLine(lineBytes) {
                if kind == "snooze" {
                    state.followUps.snoozed[key] = instant
                } else {
                    state.followUps.dismissedAhead[key] = instant
                }
            } else if isVersion2, let (key, next) = repeatLine(lineBytes) {
                state.followUps.repeating[key] = next
            } else {
                throw corrupt("line \(number + 2): unexpected \"\(line.prefix(80))\"")
            }
        }
        guard sawWatermark else {
            throw corrupt("no watermark line")
        }
        return state
    }

    /// A `snooze UNTIL KEY` or `dismiss DUE KEY` line of a version 2 snapshot.
    private static func followUpLine(_ line: ArraySlice<UInt8>) -> (kind: String, instant: Int64, key: String)? {
        let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty, let instant = Int64(String(decoding: parts[1], as: UTF8.self))
        else { return nil }
        let kind = String(decoding: parts[0], as: UTF8.self)
        guard kind == "snooze" || kind == "dismiss" else { return nil }
        return (kind, instant, String(decoding: parts[2], as: UTF8.self))
    }

    /// A `repeat NEXT,LEFT,EVERY KEY` line of a version 2 snapshot.
    private static func repeatLine(_ line: ArraySlice<UInt8>) -> (key: String, next: FollowUps.Repeat)? {
        let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty, String(decoding: parts[0], as: UTF8.self) == "repeat",
            let next = FollowUps.Repeat(text: String(decoding: parts[1], as: UTF8.self))
        else { return nil }
        return (String(decoding: parts[2], as: UTF8.self), next)
    }

    /// The complete, non-empty lines without NUL of log text (a torn last line is ignored).
    private static func logLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
        lines.removeLast()  // After the last newline: empty, or a torn line.
        return lines.filter { !$0.isEmpty && !$0.contains(0) }
    }

    /// The keys in log text: every complete, non-empty line without NUL that is not a follow-up record.
    public static func keys(inLog bytes: [UInt8]) -> [String] {
        logLines(bytes).filter { $0.first != UInt8(ascii: "+") }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The follow-up records in log text, in order (lines starting with `+` that spell no record are ignored).
    public static func records(inLog bytes: [UInt8]) -> [FollowUpRecord] {
        logLines(bytes).compactMap { FollowUpRecord(logLine: $0) }
    }

    /// The 64-bit FNV-1a hash of `bytes`.
    static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    private static func hexadecimal(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    // MARK: - Files

    private func checkDirectory() throws(StateStoreError) {
        var status = stat()
        do throws(SystemCallError) {
            try SystemCall.run("stat", operand: directory) { stat(directory, &status) }
        } catch {
            throw classify(error, path: directory)
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw StateStoreError(.directoryUnusable, path: directory, detail: "not a directory")
        }
    }

    private func openLog(_ log: inout Log) throws(StateStoreError) -> FileDescriptor {
        if let descriptor = log.descriptor {
            return descriptor
        }
        do {
            let descriptor = try FileDescriptor.open(
                logPath,
                .writeOnly,
                options: [.append, .create, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead]
            )
            log.descriptor = descriptor
            return descriptor
        } catch {
            throw classify(error, path: logPath)
        }
    }

    /// The whole file at `path`, or nil when there is none.
    private func readFile(_ path: String) throws(StateStoreError) -> [UInt8]? {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(path, .readOnly)
        } catch {
            if error.errno == .noSuchFileOrDirectory {
                return nil
            }
            throw classify(error, path: path)
        }
        defer { try? descriptor.close() }
        do {
            return try descriptor.readAll(operand: path) ?? []
        } catch {
            throw StateStoreError(error, path: path)
        }
    }

    private func syncDirectory() throws(StateStoreError) {
        do throws(SystemCallError) {
            let descriptor = try FileDescriptor.open(directory, .readOnly, options: [.directory, .closeOnExec])
            defer { try? descriptor.close() }
            try SystemCall.run("fsync", operand: directory) { fsync(descriptor.rawValue) }
        } catch {
            var failure = StateStoreError(error, path: directory)
            failure.detail += " (the snapshot was renamed)"
            throw failure
        }
    }

    /// The error for a call failing on `path`, telling a directory problem from a file problem.
    private func classify(_ failure: SystemCallError, path: String) -> StateStoreError {
        switch failure.errno {
        case .noSuchFileOrDirectory:
            return StateStoreError(
                .directoryMissing,
                path: directory,
                detail: "\(failure.call) \(path): no such directory",
                errno: failure.errno
            )
        case .notDirectory:
            return StateStoreError(
                .directoryUnusable,
                path: directory,
                detail: "\(failure.call) \(path): a component is not a directory",
                errno: failure.errno
            )
        default:
            return StateStoreError(failure, path: path)
        }
    }
}
