import Glibc
import Synchronization

/// The system's tz database: TZif files under a directory such as `/usr/share/zoneinfo`, read when first asked
/// for and then cached, so an OS tzdata update takes effect at the next start without a rebuild.
///
/// The database never reads the environment itself: the caller passes `$TZDIR` to ``init(tzdir:)`` and `$TZ` to
/// ``systemZone(localtimePath:tz:)``.
public struct ZoneDatabase: Sendable {
    /// Where Debian (and most Linux distributions) install tzdata.
    public static let defaultRoot = "/usr/share/zoneinfo"

    /// The process-wide database over ``defaultRoot``, for the command line's one-shot commands (the daemon makes
    /// a new one at each load, so that a tzdata update takes effect at the next reload).
    public static let shared = ZoneDatabase()

    /// The directory holding the TZif files, e.g. `/usr/share/zoneinfo`.
    public let root: String
    private let cache = Cache()

    /// A database rooted at `root`.
    public init(root: String = ZoneDatabase.defaultRoot) {
        self.root = root
    }

    /// A database rooted at `tzdir` (the value of `$TZDIR`, as glibc honours it) when that is a non-empty
    /// absolute path, else at ``defaultRoot``.
    public init(tzdir: String?) {
        if let tzdir, tzdir.hasPrefix("/") {
            self.init(root: tzdir)
        } else {
            self.init()
        }
    }

    /// The zone named `identifier` (`Europe/Paris`, `US/Eastern`, `Etc/GMT+5`).
    ///
    /// `UTC` is always ``Zone/utc``, even without tzdata installed. Identifiers must be relative paths of
    /// `[A-Za-z0-9/_+-]` without empty components; `right/...` zones are refused because they count leap
    /// seconds. An unknown or invalid identifier's error carries suggestions ("did you mean ...?").
    public func zone(_ identifier: String) throws(ZoneError) -> Zone {
        if identifier == "UTC" { return .utc }
        if let reason = Self.invalidity(of: identifier) {
            throw ZoneError(
                .invalidIdentifier,
                identifier: identifier,
                suggestions: suggestions(for: identifier),
                detail: reason
            )
        }
        if let cached = cache.zones.withLock({ $0[identifier] }) { return cached }
        let path = root + "/" + identifier
        switch readFile(atPath: path) {
        case .missing:
            throw ZoneError(
                .unknownIdentifier,
                identifier: identifier,
                path: path,
                suggestions: suggestions(for: identifier),
                detail: .tr("no file %s", path)
            )
        case .directory:
            throw ZoneError(
                .unknownIdentifier,
                identifier: identifier,
                path: path,
                suggestions: suggestions(for: identifier),
                detail: .tr("%s is a directory of zones; name one of them, e.g. %s", path, "\(identifier)/...")
            )
        case .failed(let reason):
            throw ZoneError(
                .unreadableFile,
                identifier: identifier,
                path: path,
                detail: LocalizedText(verbatim: reason)
            )
        case .contents(let bytes):
            let zone: Zone
            do throws(ZoneError) {
                zone = try Zone(identifier: identifier, tzif: bytes)
            } catch {
                throw error.reading(path)
            }
            cache.zones.withLock { $0[identifier] = zone }
            return zone
        }
    }

    /// The zone identifiers this database knows, sorted: zones and links from `tzdata.zi` (Debian 12 ships it),
    /// else the zones of `zone1970.tab` and `zone.tab` plus `UTC`, else none. Read anew on each call.
    public func knownIdentifiers() -> [String] {
        var names: Set<String> = []
        if case .contents(let bytes) = readFile(atPath: root + "/tzdata.zi") {
            // "Z Europe/Paris ..." declares a zone, "L Europe/Paris Europe/Monaco" a link (the name is last).
            for line in bytes.split(separator: UInt8(ascii: "\n")) {
                let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 3)
                if fields.count >= 2, fields[0].elementsEqual("Z".utf8) {
                    names.insert(String(decoding: fields[1], as: UTF8.self))
                } else if fields.count >= 3, fields[0].elementsEqual("L".utf8) {
                    names.insert(String(decoding: fields[2], as: UTF8.self))
                }
            }
        } else {
            for table in ["zone1970.tab", "zone.tab"] {
                guard case .contents(let bytes) = readFile(atPath: root + "/" + table) else { continue }
                for line in bytes.split(separator: UInt8(ascii: "\n")) where line.first != UInt8(ascii: "#") {
                    let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
                    if fields.count >= 3 { names.insert(String(decoding: fields[2], as: UTF8.self)) }
                }
            }
            if !names.isEmpty { names.insert("UTC") }
        }
        return names.filter { Self.invalidity(of: $0) == nil }.sorted()
    }

    /// Up to three known identifiers close to `input`, best first: a case-insensitive match, a match of the last
    /// component (`paris` → `Europe/Paris`, `new york` → `America/New_York`), or a small edit distance.
    public func suggestions(for input: String) -> [String] {
        Self.suggestions(for: input, among: knownIdentifiers())
    }

    /// The zone the system runs in, never failing.
    ///
    /// In order: `tz` (the `$TZ` value: `Europe/Paris` or `:Europe/Paris`, an absolute TZif path, or a POSIX TZ
    /// string such as `CET-1CEST,M3.5.0,M10.5.0/3`; empty means UTC, as in glibc); then `localtimePath` when it is a
    /// symlink into a `zoneinfo/` directory (the identifier is the path after `zoneinfo/`, without `posix/` or
    /// `right/`); then that file parsed as identifier `localtime`; then UTC.
    public func systemZone(localtimePath: String = "/etc/localtime", tz: String?) -> Zone {
        var problems: [ZoneError] = []
        return systemZone(localtimePath: localtimePath, tz: tz, problems: &problems)
    }

    /// ``systemZone(localtimePath:tz:)``, appending to `problems` why a `$TZ` value or the localtime file was
    /// skipped, so the caller can log it.
    public func systemZone(localtimePath: String = "/etc/localtime", tz: String?, problems: inout [ZoneError]) -> Zone {
        if let tz {
            if tz.isEmpty { return .utc }
            let value = tz.hasPrefix(":") ? String(tz.dropFirst()) : tz
            if !value.isEmpty {
                do {
                    return try zone(fromTZ: value)
                } catch {
                    problems.append(error)
                }
            }
        }
        do {
            if let zone = try localtimeZone(atPath: localtimePath) { return zone }
        } catch {
            problems.append(error)
        }
        return .utc
    }

    /// A `$TZ` value without its leading colon: a file path, an identifier, or a POSIX TZ string.
    private func zone(fromTZ value: String) throws(ZoneError) -> Zone {
        if value.hasPrefix("/") {
            let name = Self.zoneName(inPath: value)
            if let name, let zone = try? zone(name) { return zone }
            guard let zone = try parseFile(atPath: value, identifier: name ?? value) else {
                throw ZoneError(.unknownIdentifier, identifier: value, path: value, detail: .tr("no file %s", value))
            }
            return zone
        }
        do throws(ZoneError) {
            return try zone(value)
        } catch {
            // glibc reads TZ as a file name first, then as a POSIX rule ("JST-9"); report the lookup failure.
            if let zone = try? Zone(identifier: value, posixTZ: value) { return zone }
            throw error
        }
    }

    /// The zone `/etc/localtime` selects, or nil when there is no such file.
    private func localtimeZone(atPath path: String) throws(ZoneError) -> Zone? {
        let name = symlinkTarget(path).flatMap(Self.zoneName(inPath:)) ?? realPath(path).flatMap(Self.zoneName(inPath:))
        if let name {
            if let zone = try? zone(name) { return zone }
            return try parseFile(atPath: path, identifier: name)
        }
        return try parseFile(atPath: path, identifier: "localtime")
    }

    /// The TZif file at `path` parsed as `identifier`; nil when it does not exist.
    private func parseFile(atPath path: String, identifier: String) throws(ZoneError) -> Zone? {
        switch readFile(atPath: path) {
        case .missing:
            return nil
        case .directory:
            throw ZoneError(.unreadableFile, identifier: identifier, path: path, detail: .tr("it is a directory"))
        case .failed(let reason):
            throw ZoneError(
                .unreadableFile,
                identifier: identifier,
                path: path,
                detail: LocalizedText(verbatim: reason)
            )
        case .contents(let bytes):
            do throws(ZoneError) {
                return try Zone(identifier: identifier, tzif: bytes)
            } catch {
                throw error.reading(path)
            }
        }
    }
}

extension ZoneDatabase {
    /// Why `identifier` cannot name a zone file, or nil when it can.
    static func invalidity(of identifier: String) -> LocalizedText? {
        if identifier.isEmpty { return .tr("it is empty") }
        if identifier.utf8.count > 255 { return .tr("it is longer than 255 bytes") }
        if identifier.hasPrefix("/") {
            return .tr("absolute paths are not allowed; write a name such as %s", "Europe/Paris")
        }
        let components = identifier.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains("..") { return .tr("%s components are not allowed", "'..'") }
        if let bad = identifier.unicodeScalars.first(where: { !$0.isIdentifierCharacter }) {
            return .tr(
                "the character %s is not allowed (letters, digits, %s, %s, %s and %s are; spaces are written %s)",
                String(reflecting: String(bad)),
                "'/'",
                "'_'",
                "'+'",
                "'-'",
                "'_'"
            )
        }
        if components.contains("") { return .tr("it has an empty path component") }
        if components[0] == "right" {
            return .tr(
                "%s zones count leap seconds, which instants here do not; use the name without %s",
                "right/",
                "right/"
            )
        }
        return nil
    }

    /// The zone identifier in a path such as `/usr/share/zoneinfo/posix/Europe/Paris` (`Europe/Paris`).
    static func zoneName(inPath path: String) -> String? {
        guard let marker = path.ranges(of: "zoneinfo/").last else { return nil }
        var name = path[marker.upperBound...]
        for prefix in ["posix/", "right/"] where name.hasPrefix(prefix) {
            name = name.dropFirst(prefix.count)
        }
        let identifier = String(name)
        return invalidity(of: identifier) == nil ? identifier : nil
    }

    /// The best matches for `input` in `known`, at most three.
    static func suggestions(for input: String, among known: [String]) -> [String] {
        let wanted = normalized(input)
        guard !wanted.isEmpty else { return [] }
        let wantsPath = wanted.contains(UInt8(ascii: "/"))
        let tolerance = max(1, min(3, wanted.count / 5))
        var scored: [(distance: Int, name: String)] = []
        for name in known {
            let candidate = normalized(name)
            var distance = editDistance(wanted, candidate, limit: tolerance)
            if !wantsPath, let slash = candidate.lastIndex(of: UInt8(ascii: "/")) {
                let last = Array(candidate[(slash + 1)...])
                distance = min(distance, editDistance(wanted, last, limit: max(1, min(3, last.count / 5))))
            }
            if distance <= tolerance { scored.append((distance, name)) }
        }
        scored.sort { ($0.distance, $0.name) < ($1.distance, $1.name) }
        return scored.prefix(3).map(\.name)
    }

    /// Lowercased, with spaces as underscores, as UTF-8.
    private static func normalized(_ text: String) -> [UInt8] {
        text.utf8.map { byte in
            switch byte {
            case UInt8(ascii: " "): UInt8(ascii: "_")
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte + 32
            default: byte
            }
        }
    }

    /// The Levenshtein distance of `a` and `b`, or `limit + 1` once it is known to exceed `limit`.
    private static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return min(previous[b.count], limit + 1)
    }
}

extension ZoneDatabase {
    /// Loaded zones by identifier, shared by copies of the database.
    private final class Cache: Sendable {
        let zones = Mutex<[String: Zone]>([:])
    }
}

extension Unicode.Scalar {
    fileprivate var isIdentifierCharacter: Bool {
        switch value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true  // 0-9 A-Z a-z
        case 0x2F, 0x5F, 0x2B, 0x2D: true  // / _ + -
        default: false
        }
    }
}

// MARK: - Files, through Glibc

/// What reading a file gave.
private enum FileContents {
    case contents([UInt8])
    case missing
    case directory
    case failed(String)
}

/// Zone files are a few kilobytes; tzdata.zi about 110 KB. Anything far larger is not tzdata.
private let maximumFileSize = 4 << 20

/// The whole regular file at `path`, without blocking on FIFOs or following the read past `maximumFileSize`.
private func readFile(atPath path: String) -> FileContents {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else {
        let code = errno
        return code == ENOENT || code == ENOTDIR ? .missing : .failed(describe(errno: code))
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { return .failed(describe(errno: errno)) }
    switch status.st_mode & S_IFMT {
    case S_IFDIR: return .directory
    case S_IFREG: break
    default: return .failed("not a regular file")
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(min(Int(status.st_size), maximumFileSize))
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            return .failed(describe(errno: errno))
        }
        if count == 0 { return .contents(bytes) }
        bytes.append(contentsOf: chunk[0..<count])
        if bytes.count > maximumFileSize { return .failed("larger than \(maximumFileSize) bytes: not a tzdata file") }
    }
}

/// Where the symbolic link at `path` points (possibly relative), or nil if it is not a link.
private func symlinkTarget(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(path, &buffer, buffer.count - 1)
    guard count > 0 else { return nil }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// `path` with every symbolic link resolved, or nil.
private func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

private func describe(errno code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
}
