/// One config file's name and bytes.
public struct ConfigSource: Sendable {
    /// The path (or a name like `<embedded default timeline>`) used in messages.
    public var name: String
    /// The raw content.
    public var bytes: [UInt8]

    /// A source named `name`.
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    /// A source from text.
    public init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// Whether it is an iCalendar file (`*.ics`) rather than TOML.
    public var isICalendar: Bool { name.hasSuffix(".ics") }
}

/// Turns config files into a `TimelineConfig`, reporting every problem with file, line and column.
///
/// The files are the main `timeline.toml` and its drop-ins, in order. `[defaults]` keys of later files
/// override earlier ones; `[[milestone]]` entries add up, and an id defined twice is an error naming both
/// places. All errors of all files are collected before the load fails.
public struct ConfigLoader: Sendable {
    /// Where zones come from.
    public var zones: ZoneDatabase
    /// The zone of milestones when neither they nor `[defaults]` name one.
    public var systemZone: Zone

    /// Larger files are refused (split them into drop-ins instead).
    public static let maximumFileSize = 64 << 20
    /// More milestones than this in all files together are refused.
    public static let maximumMilestones = 500_000

    /// A loader resolving zones from `zones`, defaulting to `systemZone`.
    public init(zones: ZoneDatabase = ZoneDatabase(), systemZone: Zone = .utc) {
        self.zones = zones
        self.systemZone = systemZone
    }

    /// Loads the sources; throws every error found (with the warnings) when there is at least one error.
    public func load(_ sources: [ConfigSource]) throws(ConfigError) -> TimelineConfig {
        var context = DecodeContext(sources: sources)
        var documents: [(index: Int, document: TOMLDocument)] = []
        for (index, source) in sources.enumerated() where !source.isICalendar {
            if let document = parse(source, index: index, context: &context) {
                documents.append((index, document))
            }
        }
        var defaults = Defaults(zone: systemZone)
        for (index, document) in documents {
            decodeTopLevel(document.root, source: index, defaults: &defaults, context: &context)
        }
        var milestones: [Milestone] = []
        var firstDefinition: [String: (source: Int, path: String)] = [:]
        for (index, document) in documents {
            guard let list = document.root["milestone"] else { continue }
            guard list.isArray else {
                context.error(
                    index, "milestone", value: nil, "must be an array of tables",
                    hint: "write each milestone under its own [[milestone]] header")
                continue
            }
            for (n, node) in list.elements.enumerated() {
                let path = "milestone[\(n)]"
                if milestones.count >= Self.maximumMilestones {
                    context.error(
                        index, path, value: nil,
                        "too many milestones: the limit is \(Self.maximumMilestones) in all files together",
                        hint: "remove old milestones, or use a recurrence instead of one milestone per date")
                    break
                }
                var decoder = MilestoneDecoder(
                    node: node, source: index, path: path, defaults: defaults, zones: zones)
                let milestone = decoder.decode(context: &context)
                // Duplicates are checked even when the milestone has other errors, so all come in one run.
                if case .string(let id)? = node["id"]?.value {
                    if let first = firstDefinition[id] {
                        let firstPlace = context.location(first.source, "\(first.path).id", atKey: false)
                        context.error(
                            index, "\(path).id", value: id,
                            "duplicate milestone id, first defined at \(firstPlace)",
                            hint: "ids must be unique across timeline.toml and timeline.d/*.toml")
                        continue
                    }
                    firstDefinition[id] = (index, path)
                }
                guard let milestone else { continue }
                milestones.append(milestone)
            }
        }
        // iCalendar drop-ins (timeline.d/*.ics), after every TOML milestone, with ids made unique among them.
        var taken = Set(milestones.map(\.id))
        var calendarDiagnostics: [Diagnostic] = []
        for source in sources where source.isICalendar {
            let imported = ICalendarImport(zones: zones, defaults: defaults).read(source, takenIds: &taken)
            milestones += imported.milestones
            calendarDiagnostics += imported.diagnostics
        }
        let diagnostics = (context.resolve() + calendarDiagnostics).sorted { $0.location < $1.location }
        if diagnostics.contains(where: { $0.severity == .error }) {
            throw ConfigError(diagnostics: diagnostics)
        }
        return TimelineConfig(
            defaults: defaults,
            milestones: milestones,
            sources: sources.map(\.name),
            warnings: diagnostics
        )
    }

    private func parse(_ source: ConfigSource, index: Int, context: inout DecodeContext) -> TOMLDocument? {
        let bytes = source.bytes
        if bytes.count > Self.maximumFileSize {
            context.error(
                index, at: (1, 1), "",
                "file too large (\(bytes.count) bytes; the limit is \(Self.maximumFileSize) bytes)",
                hint: "split the milestones into drop-in files in the timeline.d/ directory")
            return nil
        }
        if bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
            context.error(
                index, at: (1, 1), "", "empty file: no milestones",
                hint: "add [[milestone]] entries (see docs/configuration.md), or remove the file")
            return nil
        }
        if let nul = bytes.firstIndex(of: 0) {
            context.error(
                index, at: lineAndColumn(of: nul, in: bytes), "",
                "binary data (a NUL byte) in a config file",
                hint: "a config file is UTF-8 TOML text; is this the right file?")
            return nil
        }
        if let bad = firstInvalidUTF8Offset(bytes) {
            context.error(
                index, at: lineAndColumn(of: bad, in: bytes), "",
                "invalid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) at offset \(bad))",
                hint: "save the file as UTF-8")
            return nil
        }
        if let line = Self.firstOverlyDeepKeyLine(bytes) {
            context.error(
                index, at: (line, 1), "",
                "a key or table name with more than \(Self.maximumKeyDepth) dotted parts",
                hint: "nothing in a timeline nests this deep; is this the right file?")
            return nil
        }
        do {
            return try TOMLDocument(parsing: String(decoding: bytes, as: UTF8.self))
        } catch {
            context.error(
                index, at: (max(error.line, 1), max(error.column, 1)), "", "TOML syntax: \(error.message)",
                hint: "see https://toml.io/en/v1.0.0")
            return nil
        }
    }

    /// Keys nested deeper than this are refused before parsing: toml++ frees such trees recursively and
    /// overflows the stack at some thousands of levels.
    static let maximumKeyDepth = 100

    /// The first line whose key (before `=`) or table header has more than `maximumKeyDepth` dots.
    static func firstOverlyDeepKeyLine(_ bytes: [UInt8]) -> Int? {
        var line = 1
        var dots = 0
        var inKey = true
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
                dots = 0
                inKey = true
            case UInt8(ascii: "="):
                inKey = false
            case UInt8(ascii: "."):
                if inKey {
                    dots += 1
                    if dots > maximumKeyDepth { return line }
                }
            default:
                break
            }
        }
        return nil
    }

    private func decodeTopLevel(
        _ root: TOMLNode,
        source: Int,
        defaults: inout Defaults,
        context: inout DecodeContext
    ) {
        for key in root.keys where key != "milestone" && key != "defaults" {
            context.unknownKey(source, key, among: ["milestone", "defaults"])
        }
        guard let table = root["defaults"] else { return }
        guard table.isTable else {
            context.error(source, "defaults", value: nil, "must be a table", hint: "write it as [defaults]")
            return
        }
        let reader = FieldReader(node: table, source: source, path: "defaults")
        reader.checkKeys(["timezone", "all_day_time", "reminders", "priority", "catch_up_window"], context: &context)
        if let name = reader.string("timezone", context: &context) {
            do {
                defaults.zone = try zones.zone(name)
            } catch {
                context.error(source, "defaults.timezone", value: name, error.description, hint: nil)
            }
        }
        if let time = reader.timeOfDay("all_day_time", context: &context) { defaults.allDayTime = time }
        if let reminders = reader.reminders("reminders", context: &context) { defaults.reminders = reminders }
        if let priority = reader.priority("priority", context: &context) { defaults.priority = priority }
        if let window = reader.duration("catch_up_window", context: &context) { defaults.catchUpWindow = window }
    }
}

/// Collects diagnostics by key path and resolves their positions once, at the end.
struct DecodeContext {
    struct Pending {
        var severity: Diagnostic.Severity
        var source: Int
        var path: String
        var atKey: Bool
        var fixed: (line: Int, column: Int)?
        var columnOffset: Int
        var value: String?
        var message: String
        var hint: String?
    }

    let sources: [ConfigSource]
    private(set) var pending: [Pending] = []
    private var locators: [Int: TOMLLocator] = [:]

    init(sources: [ConfigSource]) { self.sources = sources }

    mutating func error(_ source: Int, _ path: String, value: String?, _ message: String, hint: String?) {
        pending.append(
            Pending(
                severity: .error, source: source, path: path, atKey: false, fixed: nil, columnOffset: 0,
                value: value, message: message, hint: hint))
    }

    mutating func error(_ source: Int, at position: (Int, Int), _ path: String, _ message: String, hint: String?) {
        pending.append(
            Pending(
                severity: .error, source: source, path: path, atKey: false, fixed: position, columnOffset: 0,
                value: nil, message: message, hint: hint))
    }

    mutating func add(_ item: Pending) { pending.append(item) }

    mutating func warning(_ source: Int, _ path: String, value: String?, _ message: String, hint: String?) {
        pending.append(
            Pending(
                severity: .warning, source: source, path: path, atKey: false, fixed: nil, columnOffset: 0,
                value: value, message: message, hint: hint))
    }

    mutating func unknownKey(_ source: Int, _ path: String, among known: [String]) {
        let key = String(path.split(separator: ".").last ?? Substring(path))
        pending.append(
            Pending(
                severity: .error, source: source, path: path, atKey: true, fixed: nil, columnOffset: 0,
                value: nil, message: "unknown key \"\(key)\"",
                hint: Suggestion.didYouMean(key, among: known)
                    ?? "accepted keys: \(known.joined(separator: ", "))"))
    }

    /// The location of `path` in `source` (building that file's position index on first use).
    mutating func location(_ source: Int, _ path: String, atKey: Bool) -> SourceLocation {
        if locators[source] == nil {
            locators[source] = TOMLLocator(String(decoding: sources[source].bytes, as: UTF8.self))
        }
        let locator = locators[source]!
        let position = (atKey ? locator.keyPosition(of: path) : locator.position(of: path)) ?? (1, 1)
        return SourceLocation(file: sources[source].name, line: position.line, column: position.column)
    }

    /// Every diagnostic with its position.
    mutating func resolve() -> [Diagnostic] {
        var result: [Diagnostic] = []
        for item in pending {
            var location: SourceLocation
            if let fixed = item.fixed {
                location = SourceLocation(file: sources[item.source].name, line: fixed.line, column: fixed.column)
            } else {
                location = self.location(item.source, item.path, atKey: item.atKey)
            }
            location.column += item.columnOffset
            result.append(
                Diagnostic(
                    item.severity, at: location, key: item.path, value: item.value, message: item.message,
                    hint: item.hint))
        }
        return result.sorted { $0.location < $1.location }
    }
}
