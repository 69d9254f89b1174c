import Glibc
import Synchronization
import SystemPackage

/// Keeps the `DeliveryState` in a directory through crashes, `kill -9` and power loss, in two files whose text
/// `StateStore+Format.swift` describes:
/// - `state`, the snapshot, replaced whole by `commit(_:)` (a temporary file, fsync, rename, fsync of the
///   directory), so that the disk holds the old one or the new one;
/// - `sent.log`, appended by `recordSent(key:)` and `record(_:)` with one `write(2)` and no fsync (the page cache
///   keeps it through a `kill -9`, and the hot path pays one system call); a commit empties it, `load()` replays it.
///
/// Keys are opaque, non-empty, without newline or NUL, and do not start with `+`. After a crash between a commit
/// and the emptying of the log, `load()` may return keys the watermark covers (callers drop them); records
/// replayed twice give the same follow-ups, as the last record of a key wins.
public final class StateStore: Sendable {
    /// The first line of a snapshot without follow-ups.
    public static let magic = "sse-timeline-state 1"
    /// The first line of a snapshot with follow-ups (snoozes, dismissals).
    public static let magicVersion2 = "sse-timeline-state 2"
    /// The first line of a snapshot with deliveries to named channels not sent yet.
    public static let magicVersion3 = "sse-timeline-state 3"

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
            for record in Self.deliveryRecords(inLog: entries) { state.deliveries.apply(record) }
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

    /// Appends several records in one `write(2)` (a return and the repeats it starts; deliveries).
    public func record(_ records: [some StateLogRecord]) throws(StateStoreError) {
        guard !records.isEmpty else { return }
        try append(Array(Self.lines(of: records).dropFirst()))
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
