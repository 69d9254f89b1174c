import Glibc
import Synchronization

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
///   `commit(_:)` writes a temporary file in the same directory, fsyncs it, renames it over `state` and
///   fsyncs the directory, so the snapshot on disk is always the old one or the new one.
/// - `sent.log`, one key per line, appended by `recordSent(key:)` with a single `write(2)` and no fsync: the
///   page cache keeps it through a `kill -9`, and it costs one system call on the hot path. A commit empties
///   it. `load()` adds its keys to the snapshot's, ignoring a last line without newline (torn) and lines with
///   a NUL (a torn line that later appends ended with NUL and newline).
///
/// Keys are opaque, non-empty and without newline or NUL. After a crash between a commit and the emptying
/// of the log, `load()` may return keys that the new watermark already covers: callers drop keys of
/// reminders due at or before the watermark.
final class StateStore: Sendable {
    /// The first line of every snapshot.
    static let magic = "sse-timeline-state 1"

    /// The directory holding the files.
    let directory: String
    /// The snapshot file, `state` in `directory`.
    var snapshotPath: String { directory + "/state" }
    /// The append-only log, `sent.log` in `directory`.
    var logPath: String { directory + "/sent.log" }
    private var temporaryPath: String { directory + "/state.tmp" }

    private struct Log {
        var descriptor: Int32?
        // Set when the log may end in a partial line (a failed write, a crash), so the next key starts a new one.
        var mayBeTorn = false
    }

    private let log = Mutex(Log())

    /// A store in `directory` (`$STATE_DIRECTORY`, or `--state-dir`). Nothing is touched until used.
    init(directory: String) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    deinit {
        log.withLock { log in
            if let descriptor = log.descriptor { close(descriptor) }
        }
    }

    /// Reads the state: the snapshot (none yet: `watermark` nil) plus the keys in the log. Also opens the log
    /// for `recordSent(key:)`, so a directory that cannot be written is reported here, at start-up.
    ///
    /// - Throws: `StateStoreError`; `.corruptSnapshot` or `.foreignFile` when the snapshot cannot be trusted
    ///   (the caller picks a watermark, and the next commit replaces the file; `quarantineSnapshot()` keeps
    ///   it aside for a post-mortem), or a directory code when the directory is missing, unusable or
    ///   read-only.
    func load() throws(StateStoreError) -> DeliveryState {
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
        }
        return state
    }

    /// Appends `key` to the log with one `write(2)`, without fsync. Call it right after the key's entry is
    /// written.
    func recordSent(key: String) throws(StateStoreError) {
        precondition(!key.isEmpty && !key.utf8.contains(10) && !key.utf8.contains(0), "invalid state key \(key)")
        try log.withLock { log throws(StateStoreError) in
            let descriptor = try openLog(&log)
            // After a torn line, a NUL ends it: a line with NUL is never read as a key.
            let line = (log.mayBeTorn ? [0, 10] : []) + Array(key.utf8) + [10]
            do throws(StateStoreError) {
                try Self.writeAll(descriptor, line, path: logPath)
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
    func commit(_ state: DeliveryState) throws(StateStoreError) {
        let content = Self.encode(state)
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw classify(call: "open", path: temporaryPath)
        }
        var failure: StateStoreError?
        do throws(StateStoreError) {
            try Self.writeAll(descriptor, content, path: temporaryPath)
        } catch {
            failure = error
        }
        if failure == nil, fsync(descriptor) != 0 {
            failure = StateStoreError(call: "fsync", path: temporaryPath)
        }
        if close(descriptor) != 0, failure == nil {
            failure = StateStoreError(call: "close", path: temporaryPath)
        }
        if let failure {
            unlink(temporaryPath)
            throw failure
        }
        guard rename(temporaryPath, snapshotPath) == 0 else {
            let error = StateStoreError(call: "rename", path: snapshotPath)
            unlink(temporaryPath)
            throw error
        }
        try syncDirectory()
        try log.withLock { log throws(StateStoreError) in
            let descriptor = try openLog(&log)
            guard ftruncate(descriptor, 0) == 0 else {
                var error = StateStoreError(call: "ftruncate", path: logPath)
                error.detail += " (the snapshot was written)"
                throw error
            }
            log.mayBeTorn = false
        }
    }

    /// Moves a snapshot that `load()` rejected to `state.bad` (replacing an older one), so that it is kept
    /// for a post-mortem and the next `load()` starts without snapshot.
    ///
    /// - Returns: the path it was moved to.
    @discardableResult
    func quarantineSnapshot() throws(StateStoreError) -> String {
        let destination = snapshotPath + ".bad"
        guard rename(snapshotPath, destination) == 0 else {
            throw StateStoreError(call: "rename", path: snapshotPath)
        }
        try syncDirectory()
        return destination
    }

    // MARK: - The snapshot format

    /// `state` as snapshot text, checksum line included.
    static func encode(_ state: DeliveryState) -> [UInt8] {
        var text = magic + "\n"
        text += "watermark " + (state.watermark.map(String.init) ?? "none") + "\n"
        for key in state.sentAfterWatermark.sorted() {
            text += "sent " + key + "\n"
        }
        var bytes = Array(text.utf8)
        bytes += Array("checksum \(hexadecimal(fnv1a64(bytes)))\n".utf8)
        return bytes
    }

    /// The state in snapshot text `bytes` read from `path`, after checking its magic and checksum.
    static func decode(_ bytes: [UInt8], path: String) throws(StateStoreError) -> DeliveryState {
        func corrupt(_ detail: String) -> StateStoreError {
            StateStoreError(.corruptSnapshot, path: path, detail: detail)
        }
        let magicBytes = Array((magic + "\n").utf8)
        guard bytes.starts(with: magicBytes) else {
            if bytes.isEmpty || magicBytes.starts(with: bytes) {
                throw corrupt("cut short within its first line")
            }
            let firstLine = String(decoding: bytes.prefix(while: { $0 != 10 }).prefix(80), as: UTF8.self)
            let what = firstLine.hasPrefix("sse-timeline-state ") ? "unsupported version" : "unknown first line"
            throw StateStoreError(.foreignFile, path: path, detail: "\(what) \"\(firstLine)\"; expected \"\(magic)\"")
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
            } else {
                throw corrupt("line \(number + 2): unexpected \"\(line.prefix(80))\"")
            }
        }
        guard sawWatermark else {
            throw corrupt("no watermark line")
        }
        return state
    }

    /// The keys in log text: every complete, non-empty line without NUL (a torn last line is ignored).
    static func keys(inLog bytes: [UInt8]) -> [String] {
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
        lines.removeLast()  // After the last newline: empty, or a torn line.
        return lines.filter { !$0.isEmpty && !$0.contains(0) }.map { String(decoding: $0, as: UTF8.self) }
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
        guard stat(directory, &status) == 0 else {
            throw classify(call: "stat", path: directory)
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw StateStoreError(.directoryUnusable, path: directory, detail: "not a directory")
        }
    }

    private func openLog(_ log: inout Log) throws(StateStoreError) -> Int32 {
        if let descriptor = log.descriptor {
            return descriptor
        }
        let descriptor = open(logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw classify(call: "open", path: logPath)
        }
        log.descriptor = descriptor
        return descriptor
    }

    /// The whole file at `path`, or nil when there is none.
    private func readFile(_ path: String) throws(StateStoreError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT {
                return nil
            }
            throw classify(call: "open", path: path)
        }
        defer { close(descriptor) }
        var content: [UInt8] = []
        if let failure = FileDescriptor.readAll(descriptor, into: &content) {
            throw StateStoreError(call: "read", path: path, errno: failure)
        }
        return content
    }

    private func syncDirectory() throws(StateStoreError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StateStoreError(call: "open", path: directory)
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            var error = StateStoreError(call: "fsync", path: directory)
            error.detail += " (the snapshot was renamed)"
            throw error
        }
    }

    /// The error for `call` failing on `path`, telling a directory problem from a file problem.
    private func classify(call: String, path: String) -> StateStoreError {
        let number = errno
        switch number {
        case ENOENT:
            return StateStoreError(
                .directoryMissing,
                path: directory,
                detail: "\(call) \(path): no such directory",
                errno: number
            )
        case ENOTDIR:
            return StateStoreError(
                .directoryUnusable,
                path: directory,
                detail: "\(call) \(path): a component is not a directory",
                errno: number
            )
        default:
            return StateStoreError(call: call, path: path, errno: number)
        }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(StateStoreError) {
        let failure = bytes.withUnsafeBytes { FileDescriptor.writeAll(descriptor, $0) }
        if let failure {
            throw StateStoreError(call: "write", path: path, errno: failure)
        }
    }
}
