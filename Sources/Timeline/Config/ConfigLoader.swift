import TOML

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
/// places; a `[holidays.NAME]` set is defined once in any file and may be used from any (`HolidaySetDecoder`).
/// All errors of all files are collected before the load fails.
public struct ConfigLoader: Sendable {
    /// Where zones come from.
    public var zones: ZoneDatabase
    /// The zone of milestones when neither they nor `[defaults]` name one.
    public var systemZone: Zone
    /// Reads a file the config names (a holiday set's `ics`), by path; nil: such files cannot be read (an error).
    /// The core never touches the file system itself: the daemon's config-file reading passes this.
    public var readFile: (@Sendable (String) -> Result<[UInt8], ConfigFileFailure>)?
    /// Languages every milestone of a TOML file should have its texts in (`validate --languages fr,es`): a
    /// warning at each milestone that lacks one of them (`checkTranslations`). Empty: no such check.
    public var requiredLanguages: [String] = []

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
                context.documents[index] = document
            }
        }
        var defaults = Defaults(zone: systemZone)
        // Holiday sets first: [defaults] and milestones of any file may name a set of any other.
        var calendarDiagnostics: [Diagnostic] = []
        for (index, document) in documents {
            HolidaySetDecoder(source: index, zones: zones, readFile: readFile)
                .decode(
                    document.root,
                    into: &defaults.holidaySets,
                    diagnostics: &calendarDiagnostics,
                    context: &context
                )
        }
        // Channels next: notify anywhere may name a channel of any file.
        for (index, document) in documents {
            FieldReader.decodeChannels(document.root, source: index, into: &defaults.channels, context: &context)
        }
        context.channelNames.sort()
        for (index, document) in documents {
            decodeTopLevel(document.root, source: index, defaults: &defaults, context: &context)
        }
        var calendarNames: [String: (source: Int, offset: Int)] = [:]
        var calendarTables: [(calendar: CalendarConfig, vdirOffset: (source: Int, offset: Int))] = []
        for (index, document) in documents {
            calendarTables += CalendarDecoder(source: index)
                .decode(document.root, seen: &calendarNames, context: &context)
        }
        // Reserved at once: growing by doubling would hold two arrays (and tables) of milestones at the peak.
        let count = min(
            documents.reduce(0) { $0 + ($1.document.root["milestone"]?.count ?? 0) },
            Self.maximumMilestones
        )
        var milestones: [Milestone] = []
        milestones.reserveCapacity(count)
        var firstDefinition: [String: (source: Int, milestone: Int)] = [:]
        firstDefinition.reserveCapacity(count)
        for (index, document) in documents {
            guard let list = document.root["milestone"], list.value != .invalid else { continue }
            guard list.isArray else {
                context.error(
                    index,
                    "milestone",
                    value: nil,
                    .tr("must be an array of tables"),
                    hint: .tr("write each milestone under its own %s header", "[[milestone]]")
                )
                continue
            }
            for n in 0..<list.count {
                guard let node = list.element(at: n), node.value != .invalid else { continue }
                let path = "milestone[\(n)]"
                if milestones.count >= Self.maximumMilestones {
                    context.error(
                        index,
                        path,
                        value: nil,
                        .tr("too many milestones: the limit is %s in all files together", Self.maximumMilestones),
                        hint: .tr("remove old milestones, or use a recurrence instead of one milestone per date")
                    )
                    break
                }
                var decoder = MilestoneDecoder(
                    node: node,
                    source: index,
                    path: path,
                    defaults: defaults,
                    zones: zones
                )
                let milestone = decoder.decode(context: &context)
                // Duplicates are checked even when the milestone has other errors, so all come in one run.
                if case .string(let id)? = node["id"]?.value {
                    if let first = firstDefinition[id] {
                        let firstOffset = context.offset(first.source, "milestone[\(first.milestone)].id", atKey: false)
                        context.add(
                            DecodeContext.Pending(
                                source: index,
                                path: "\(path).id",
                                value: id,
                                hint: .tr("ids must be unique across %s and %s", "timeline.toml", "timeline.d/*.toml"),
                                seeAlso: (
                                    first.source, firstOffset,
                                    {
                                        .tr("duplicate milestone id, first defined at %s", $0)
                                    }
                                )
                            )
                        )
                        continue
                    }
                    firstDefinition[id] = (index, n)
                }
                guard let milestone else { continue }
                checkTranslations(milestone, source: index, path: path, context: &context)
                milestones.append(milestone)
            }
        }
        // iCalendar drop-ins (timeline.d/*.ics), after every TOML milestone, with ids made unique among them.
        var taken = Set(milestones.map(\.id))
        for source in sources where source.isICalendar {
            let imported = ICalendarImport(zones: zones, defaults: defaults).read(source, takenIds: &taken)
            milestones += imported.milestones.map {
                var milestone = $0
                milestone.workingCalendar = defaults.workingCalendar
                milestone.onNonWorkingDay = defaults.onNonWorkingDay
                return milestone
            }
            calendarDiagnostics += imported.diagnostics
        }
        let tomlDiagnostics = context.resolve(limit: Self.maximumDiagnostics)
        let room = max(0, Self.maximumDiagnostics - tomlDiagnostics.count)
        var diagnostics = tomlDiagnostics + calendarDiagnostics.prefix(room)
        let notShown = calendarDiagnostics.dropFirst(room)
        if let first = notShown.first {
            let errors = notShown.count { $0.severity == .error }
            diagnostics.append(.notShown(notShown.count, errors: errors, at: first.location))
        }
        if diagnostics.contains(where: { $0.severity == .error }) {
            throw ConfigError(diagnostics: diagnostics)
        }
        var calendars = calendarTables.map(\.calendar)
        for (i, location) in context.locate(calendarTables.map(\.vdirOffset)).enumerated() {
            calendars[i].location = location
        }
        return TimelineConfig(
            defaults: defaults,
            milestones: milestones,
            calendars: calendars,
            sources: sources.map(\.name),
            warnings: diagnostics
        )
    }

    /// Diagnostics past this many (in file order) are summed up in one "and N more" line.
    public static let maximumDiagnostics = 100

    /// Keys and table headers with more dotted parts than this are refused: nothing in a timeline nests deeper.
    static let maximumKeyDepth = 100

    /// Parses one file. Its TOML errors (syntax, impossible dates, duplicate keys, invalid UTF-8) go to
    /// `context`, each located; the document is returned all the same, so that the rest of the file is
    /// checked in the same run. Nil only for files that are not TOML text at all.
    private func parse(_ source: ConfigSource, index: Int, context: inout DecodeContext) -> TOMLDocument? {
        let bytes = source.bytes
        if bytes.count > Self.maximumFileSize {
            context.error(
                index,
                at: 0,
                "",
                .tr("file too large (%s bytes; the limit is %s bytes)", bytes.count, Self.maximumFileSize),
                hint: .tr("split the milestones into drop-in files in the %s directory", "timeline.d/")
            )
            return nil
        }
        if bytes.allSatisfy({
            $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r")
        }) {
            context.error(
                index,
                at: 0,
                "",
                .tr("empty file: no milestones"),
                hint: .tr("add %s entries (see %s), or remove the file", "[[milestone]]", "docs/configuration.md")
            )
            return nil
        }
        if let nul = bytes.firstIndex(of: 0) {
            context.error(
                index,
                at: nul,
                "",
                .tr("binary data (a NUL byte) in a config file"),
                hint: .tr("a config file is UTF-8 TOML text; is this the right file?")
            )
            return nil
        }
        let document = TOMLDocument(
            parsing: bytes,
            limits: TOMLLimits(maximumKeyParts: Self.maximumKeyDepth, maximumErrors: Self.maximumDiagnostics + 1)
        )
        for error in document.errors {
            // A value the parser could not take (2027-02-30) is named with its key; the rest is TOML syntax.
            let isValueError = error.key != nil && error.value != nil
            let message = LocalizedText(error.messageText)
            let hint = error.hintText.map(LocalizedText.init)
            let specification = "https://toml.io/en/v1.0.0"
            context.add(
                DecodeContext.Pending(
                    source: index,
                    path: error.key ?? "",
                    offset: error.position.offset,
                    value: error.value,
                    message: isValueError ? message : .tr("TOML syntax: %s", message),
                    hint: isValueError
                        ? hint
                        : hint.map { .tr("%s (see %s)", $0, specification) } ?? .tr("see %s", specification)
                )
            )
        }
        context.omitted += document.omittedErrorCount
        return document
    }

    private func decodeTopLevel(
        _ root: TOMLNode,
        source: Int,
        defaults: inout Defaults,
        context: inout DecodeContext
    ) {
        let tables = ["milestone", "defaults", "holidays", "channel", "calendar"]
        for (key, node) in root.children where !tables.contains(key) {
            context.unknownKey(source, key, among: tables, at: node)
        }
        guard let table = root["defaults"], table.value != .invalid else { return }
        guard table.isTable else {
            context.error(
                source,
                "defaults",
                value: nil,
                .tr("must be a table"),
                hint: .tr("write it as %s", "[defaults]")
            )
            return
        }
        let reader = FieldReader(node: table, source: source, path: "defaults")
        reader.checkKeys(
            ["timezone", "all_day_time", "reminders", "priority", "catch_up_window", "language", "mail_allow"]
                + FieldReader.deliveryKeys
                + FieldReader.workingDayKeys,
            context: &context
        )
        if let name = reader.string("timezone", context: &context) {
            do {
                defaults.zone = try zones.zone(name)
            } catch {
                context.error(source, "defaults.timezone", value: name, error.text, hint: nil)
            }
        }
        if let time = reader.timeOfDay("all_day_time", context: &context) { defaults.allDayTime = time }
        if let reminders = reader.reminders("reminders", context: &context) { defaults.reminders = reminders }
        if let priority = reader.priority("priority", context: &context) { defaults.priority = priority }
        if let window = reader.duration("catch_up_window", context: &context) { defaults.catchUpWindow = window }
        if let language = reader.string("language", context: &context) {
            if Defaults.languages.contains(language) {
                defaults.language = language
            } else {
                let accepted = Defaults.languages.map { "\"\($0)\"" }.joined(separator: ", ")
                context.error(
                    source,
                    "defaults.language",
                    value: language,
                    .tr("not a language sse-timeline speaks"),
                    hint: .tr("accepted: %s", accepted)
                )
            }
        }
        if let allowed = reader.mailAllow(context: &context) { defaults.mailAllow = allowed }
        defaults.delivery = defaults.delivery.applying(reader.deliveryOverride(context: &context))
        defaults.workingCalendar = reader.workingCalendar(
            inheriting: defaults.workingCalendar,
            sets: defaults.holidaySets,
            context: &context
        )
        if let rule = reader.nonWorkingDayRule(context: &context) { defaults.onNonWorkingDay = rule }
    }
}

/// Collects diagnostics by key path and resolves their positions once, at the end, through the parsed
/// documents (every key and value there has its source range).
struct DecodeContext {
    struct Pending {
        var severity = Diagnostic.Severity.error
        var source: Int
        var path: String
        /// Whether it is located at the key of `path` rather than at its value.
        var atKey = false
        /// The byte offset, when known; else `path` is looked up in the document.
        var offset: Int?
        /// Characters from the located column to the place meant (a part inside the value).
        var columnOffset = 0
        var value: String?
        /// What is wrong; unused when `seeAlso` makes the message.
        var message: LocalizedText = ""
        var hint: LocalizedText?
        /// Another place the message names ("first defined at FILE:LINE:COLUMN"), located only for the
        /// diagnostics shown, and the message that names it.
        var seeAlso: (source: Int, offset: Int, message: (SourceLocation) -> LocalizedText)? = nil
    }

    let sources: [ConfigSource]
    /// The parsed files by source index.
    var documents: [Int: TOMLDocument] = [:]
    private(set) var pending: [Pending] = []
    /// Problems found but not kept (past the parser's limit).
    var omitted = 0
    /// The names of the `[channel.NAME]` tables of every file, which `notify` accepts.
    var channelNames: [String] = []

    init(sources: [ConfigSource]) { self.sources = sources }

    mutating func error(
        _ source: Int,
        _ path: String,
        value: String?,
        _ message: LocalizedText,
        hint: LocalizedText?
    ) {
        pending.append(Pending(source: source, path: path, value: value, message: message, hint: hint))
    }

    /// An error at byte `offset` of the file.
    mutating func error(_ source: Int, at offset: Int, _ path: String, _ message: LocalizedText, hint: LocalizedText?) {
        pending.append(Pending(source: source, path: path, offset: offset, message: message, hint: hint))
    }

    mutating func add(_ item: Pending) { pending.append(item) }

    mutating func warning(
        _ source: Int,
        _ path: String,
        value: String?,
        _ message: LocalizedText,
        hint: LocalizedText?
    ) {
        pending.append(
            Pending(severity: .warning, source: source, path: path, value: value, message: message, hint: hint)
        )
    }

    /// The `[key.NAME]` tables of `root` with their names and paths; `key` or one of its values that is not a table
    /// is an error saying to write it as `hint(NAME)` does, and is left out.
    mutating func namedTables(
        _ root: TOMLNode,
        _ key: String,
        source: Int,
        what: LocalizedText,
        hint: (String) -> LocalizedText
    ) -> [(name: String, path: String, node: TOMLNode)] {
        guard let table = root[key], table.value != .invalid else { return [] }
        guard table.isTable else {
            error(source, key, value: nil, .tr("must be a table"), hint: .tr("write each as %s", "[\(key).NAME]"))
            return []
        }
        return table.children.compactMap { name, node in
            let path = "\(key).\(name)"
            guard node.isTable else {
                error(source, path, value: nil, what, hint: hint(name))
                return nil
            }
            return (name, path, node)
        }
    }

    /// An unknown key, located at the key itself.
    mutating func unknownKey(_ source: Int, _ path: String, among known: [String], at node: TOMLNode) {
        let key = node.key ?? path
        pending.append(
            Pending(
                source: source,
                path: path,
                atKey: true,
                offset: node.keyOffset ?? node.offset,
                message: .tr("unknown key \"%s\"", key),
                hint: Suggestion.didYouMean(key, among: known)
                    ?? .tr("accepted keys: %s", known.joined(separator: ", "))
            )
        )
    }

    /// The byte offset of `path` (`milestone[2].reminders[1].at`) in `source`: of its value (or header), or
    /// of its key with `atKey`; of the nearest enclosing value that exists when it does not.
    func offset(_ source: Int, _ path: String, atKey: Bool) -> Int {
        guard let document = documents[source] else { return 0 }
        var node = document.root
        var rest = Substring(path)
        var complete = true
        walk: while !rest.isEmpty {
            let name = rest.prefix { $0 != "." && $0 != "[" }
            rest = rest.dropFirst(name.count)
            if !name.isEmpty {
                guard let next = node[String(name)] else {
                    complete = false
                    break walk
                }
                node = next
            }
            while rest.first == "[" {
                let digits = rest.dropFirst().prefix { $0 != "]" }
                rest = rest.dropFirst(digits.count + 2)
                guard let index = Int(digits), let next = node.element(at: index) else {
                    complete = false
                    break walk
                }
                node = next
            }
            if rest.first == "." { rest = rest.dropFirst() }
        }
        if complete && atKey, let keyOffset = node.keyOffset { return keyOffset }
        return node.offset
    }

    /// The locations of `places`, in their order, each file's found in one pass over it.
    func locate(_ places: [(source: Int, offset: Int)]) -> [SourceLocation] {
        var result = places.map { SourceLocation(file: sources[$0.source].name, line: 1, column: 1) }
        for (source, indices) in Dictionary(grouping: places.indices, by: { places[$0].source }) {
            guard let document = documents[source] else {
                // A file that was not parsed (binary, empty, too large) has one error: counted out directly.
                for i in indices {
                    let (line, column) = lineAndColumn(of: places[i].offset, in: sources[source].bytes)
                    result[i] = SourceLocation(file: sources[source].name, line: line, column: column)
                }
                continue
            }
            let positions = document.positions(ofBytes: indices.map { places[$0].offset })
            for (i, position) in zip(indices, positions) {
                result[i] = SourceLocation(file: sources[source].name, line: position.line, column: position.column)
            }
        }
        return result
    }

    /// The first `limit` diagnostics in file order with their positions, then one that counts the others.
    func resolve(limit: Int) -> [Diagnostic] {
        var located = pending.map { item in
            (item: item, offset: item.offset ?? offset(item.source, item.path, atKey: item.atKey))
        }
        located.sort {
            (sources[$0.item.source].name, $0.offset, $0.item.columnOffset)
                < (sources[$1.item.source].name, $1.offset, $1.item.columnOffset)
        }
        let shown = located.prefix(limit)
        let rest = located.dropFirst(limit)
        // Every position needed (the diagnostics shown, the places they name, the first one not shown), found
        // in one pass over each file.
        var places = shown.map { (source: $0.item.source, offset: $0.offset) }
        places += shown.compactMap { $0.item.seeAlso.map { ($0.source, $0.offset) } }
        if let first = rest.first { places.append((first.item.source, first.offset)) }
        let locations = locate(places)
        var nextSeeAlso = shown.count
        var result: [Diagnostic] = []
        for (i, (item, _)) in shown.enumerated() {
            var location = locations[i]
            location.column += item.columnOffset
            var message = item.message
            if let seeAlso = item.seeAlso {
                message = seeAlso.message(locations[nextSeeAlso])
                nextSeeAlso += 1
            }
            result.append(
                Diagnostic(
                    item.severity,
                    at: location,
                    key: item.path,
                    value: item.value,
                    message: message,
                    hint: item.hint
                )
            )
        }
        let count = rest.count + omitted
        if count > 0, let last = result.last {
            let errors = omitted + rest.count { $0.item.severity == .error }
            result.append(
                .notShown(count, errors: errors, at: rest.isEmpty ? last.location : locations[locations.count - 1])
            )
        }
        return result
    }
}
