import Glibc
import SystemPackage

/// The last good copy of each feed and what is known of its fetching, in `<state directory>/feeds/`:
/// `NAME/NAME.ics` (the body of the last 200 that was a whole calendar: a vdir of one item, read as the vdirs
/// are) and `NAME.status` (`key=value` lines, beside it so that writing it does not touch the watched vdir).
///
/// `sse-timeline fetch` writes both; `run`, `list` and `validate` read the copy. A copy is only ever replaced
/// whole (a temporary dotfile, fsync, rename), so a reader sees the old or the new.
public struct FeedCache: Sendable {
    /// What is known of one feed's fetching.
    public struct Status: Sendable, Equatable {
        /// The `ETag` of the copy, sent back as `If-None-Match`.
        public var etag: String?
        /// The `Last-Modified` of the copy, sent back as `If-Modified-Since`.
        public var lastModified: String?
        /// When the last request succeeded (200 or 304), in seconds since the epoch.
        public var lastSuccess: Int64?
        /// When the last request was made, in seconds since the epoch.
        public var lastAttempt: Int64?
        /// Why the last request failed; nil after a success.
        public var lastError: String?

        /// An empty status: never fetched.
        public init() {}

        /// The status file's text.
        public var text: String {
            var lines: [String] = []
            func add(_ key: String, _ value: String?) {
                if let value { lines.append("\(key)=\(value.filter { !$0.isNewline })") }
            }
            add("etag", etag)
            add("last_modified", lastModified)
            add("last_success", lastSuccess.map(String.init))
            add("last_attempt", lastAttempt.map(String.init))
            add("last_error", lastError)
            return lines.map { $0 + "\n" }.joined()
        }

        /// A status read from its file's text; unknown keys and malformed lines are ignored.
        public init(text: String) {
            for line in text.split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                let value = String(line[line.index(after: equals)...])
                switch line[..<equals] {
                case "etag": etag = value
                case "last_modified": lastModified = value
                case "last_success": lastSuccess = Int64(value)
                case "last_attempt": lastAttempt = Int64(value)
                case "last_error": lastError = value
                default: break
                }
            }
        }
    }

    /// The directory, `<state directory>/feeds`.
    public let directory: String

    /// The cache of the state directory `stateDirectory`.
    public init(stateDirectory: String) {
        directory = stateDirectory + "/feeds"
    }

    /// The state directory of a command run by `environment` when none is given: `$STATE_DIRECTORY` (the first,
    /// under systemd), else /var/lib/sse-timeline for root, else `$XDG_STATE_HOME/sse-timeline` or
    /// `~/.local/state/sse-timeline` (where the user unit keeps it).
    public static func stateDirectory(environment: [String: String]) -> String? {
        if let state = environment["STATE_DIRECTORY"]?.split(separator: ":").first { return String(state) }
        if geteuid() == 0 { return "/var/lib/sse-timeline" }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/sse-timeline" }
        return VdirCalendars.home(environment: environment).map { $0 + "/.local/state/sse-timeline" }
    }

    /// The vdir holding the last good copy of the feed `name`.
    public func collectionPath(_ name: String) -> String { "\(directory)/\(name)" }

    /// The last good copy of the feed `name`.
    public func copyPath(_ name: String) -> String { "\(directory)/\(name)/\(name).ics" }

    /// The status file of the feed `name`.
    public func statusPath(_ name: String) -> String { Self.statusPath(ofCollection: collectionPath(name)) }

    /// The status file of the feed whose vdir is `collection`: beside it.
    public static func statusPath(ofCollection collection: String) -> String { collection + ".status" }

    /// The temporary file a new body of `name` is downloaded into (a dotfile: readers of the directory skip it).
    public func temporaryPath(_ name: String) -> String { "\(directory)/.\(name).ics.part" }

    /// Creates the state directory (mode 0700, as the daemon makes it), the feeds' directory and the feed's
    /// vdir if they are missing.
    public func prepare(_ name: String) throws(SystemCallError) {
        try DaemonService.makeDirectory(String(directory.dropLast("/feeds".count)))
        for path in [directory, collectionPath(name)] where mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw SystemCallError("mkdir", operand: path)
        }
    }

    /// The status of `name`; empty when it was never fetched or its file cannot be read.
    public func status(_ name: String) -> Status {
        guard let bytes = try? Self.read(statusPath(name), limit: 64 * 1024) else { return Status() }
        return Status(text: String(decoding: bytes, as: UTF8.self))
    }

    /// Replaces the status of `name`, crash-safely (creating the directories, as `prepare` does).
    public func save(_ status: Status, for name: String) throws(SystemCallError) {
        try prepare(name)
        let temporary = "\(directory)/.\(name).status.part"
        let file = try FileDescriptor.open(
            temporary,
            .writeOnly,
            options: [.create, .truncate, .closeOnExec],
            permissions: [.ownerReadWrite, .groupRead, .otherRead]
        )
        do throws(SystemCallError) {
            try file.writeAll(Array(status.text.utf8), operand: temporary)
            try commit(file, temporary, to: statusPath(name))
        } catch {
            try? file.close()
            unlink(temporary)
            throw error
        }
    }

    /// Makes the written `file` at `temporary` the new file at `path`: fsync, close, rename, fsync of the
    /// directory of `path`. `file` is closed either way.
    public func commit(_ file: FileDescriptor, _ temporary: String, to path: String) throws(SystemCallError) {
        try SystemCall.run("fsync", operand: temporary) { fsync(file.rawValue) }
        do {
            try file.close()
        } catch {
            throw SystemCall.map(error, "close", operand: temporary)
        }
        try SystemCall.run("rename", operand: path) { rename(temporary, path) }
        let parent = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        let directoryFile = try FileDescriptor.open(parent, .readOnly, options: [.directory, .closeOnExec])
        defer { try? directoryFile.close() }
        try SystemCall.run("fsync", operand: parent) { fsync(directoryFile.rawValue) }
    }

    /// The bytes of `path`, at most `limit`.
    static func read(_ path: String, limit: Int) throws(SystemCallError) -> [UInt8]? {
        let file = try FileDescriptor.open(path, .readOnly)
        defer { try? file.close() }
        return try file.readAll(operand: path, limit: limit)
    }
}
