import TOML

/// One `[[calendar]]` table: a calendar kept elsewhere (a vdir that vdirsyncer syncs with a CalDAV server, or
/// that khal and todoman write), whose events and tasks become milestones.
///
/// Keys: `name` (required, unique, `[a-z0-9-]`: the prefix of its items' ids and the `CALENDAR=` of messages),
/// `vdir` (required: a directory of `.ics` files, one item each, or a directory of such collections; `~/` is the
/// home directory), `reminders` (the reminders of items without a VALARM, as in `[defaults]`), `notify`, `snooze`
/// and `repeat` (as in `[defaults]`), `tags` (added to every item's CATEGORIES) and `read_only` (dismissals stay
/// local instead of being written into the item's file; default false). `url` (a webcal or https feed) is
/// refused: feeds are not supported yet.
public struct CalendarConfig: Hashable, Sendable {
    /// The calendar's id.
    public var name: String
    /// The directory as written (`~/` not yet expanded: the core reads no environment).
    public var vdir: String
    /// Where `vdir` is written in the config, for messages about the directory.
    public var location: SourceLocation
    /// The reminders of items without a VALARM; nil: the `[defaults]` reminders.
    public var reminders: [Reminder]?
    /// What the table sets of `notify`, `snooze` and `repeat`.
    public var delivery: DeliveryOverride?
    /// Tags added to every item.
    public var tags: [String]
    /// Whether dismissals stay local (nothing is written into the calendar's files).
    public var readOnly: Bool

    /// A calendar; see the properties for the meaning of each field.
    public init(
        name: String,
        vdir: String,
        location: SourceLocation,
        reminders: [Reminder]? = nil,
        delivery: DeliveryOverride? = nil,
        tags: [String] = [],
        readOnly: Bool = false
    ) {
        self.name = name
        self.vdir = vdir
        self.location = location
        self.reminders = reminders
        self.delivery = delivery
        self.tags = tags
        self.readOnly = readOnly
    }

    /// The defaults its items are read with: the config's, with this calendar's reminders and delivery.
    public func defaults(_ base: Defaults) -> Defaults {
        var defaults = base
        if let reminders { defaults.reminders = reminders }
        defaults.delivery = defaults.delivery.applying(delivery)
        return defaults
    }

    /// The keys a `[[calendar]]` table accepts.
    static let keys = ["name", "vdir", "url", "reminders", "tags", "read_only"] + FieldReader.deliveryKeys
}

/// Reads every `[[calendar]]` table of one file, reporting each problem where it sits.
struct CalendarDecoder {
    let source: Int

    /// The calendars of `root`; `seen` holds the names of earlier files' calendars (a name defined twice is an
    /// error naming both places) and the places their tables start.
    func decode(
        _ root: TOMLNode,
        seen: inout [String: (source: Int, offset: Int)],
        context: inout DecodeContext
    ) -> [(calendar: CalendarConfig, vdirOffset: (source: Int, offset: Int))] {
        guard let list = root["calendar"], list.value != .invalid else { return [] }
        guard list.isArray else {
            context.error(
                source, "calendar", value: nil, "must be an array of tables",
                hint: "write each calendar under its own [[calendar]] header"
            )
            return []
        }
        var result: [(CalendarConfig, (source: Int, offset: Int))] = []
        for n in 0..<list.count {
            guard let node = list.element(at: n), node.value != .invalid else { continue }
            let path = "calendar[\(n)]"
            guard node.isTable else {
                context.error(source, path, value: nil, "must be a table", hint: "write it as [[calendar]]")
                continue
            }
            let reader = FieldReader(node: node, source: source, path: path)
            reader.checkKeys(CalendarConfig.keys, context: &context)
            let name = reader.string("name", required: true, context: &context)
            if let name { checkName(name, path: path, node: node, seen: &seen, context: &context) }
            if let url = reader.string("url", context: &context) {
                context.error(
                    source, "\(path).url", value: url, "calendar feeds (url) are not supported yet",
                    hint: "sync the calendar into a local directory with vdirsyncer and give it as vdir"
                )
            }
            let vdir = reader.string("vdir", required: node["url"] == nil, context: &context)
            if let vdir, vdir.isEmpty || (!vdir.hasPrefix("/") && !vdir.hasPrefix("~/")) {
                context.error(
                    source, "\(path).vdir", value: vdir, "not an absolute directory",
                    hint: "write the full path, or one under your home directory as \"~/.local/share/calendars/NAME\""
                )
            }
            let reminders = reader.reminders("reminders", context: &context)
            let delivery = reader.deliveryOverride(context: &context)
            let tags = reader.strings("tags", context: &context) ?? []
            var readOnly = false
            if let field = node["read_only"] {
                if case .boolean(let value) = field.value {
                    readOnly = value
                } else {
                    reader.wrongType("read_only", field.value, expected: "true or false", context: &context)
                }
            }
            guard let name, let vdir, let vdirNode = node["vdir"] else { continue }
            let calendar = CalendarConfig(
                name: name,
                vdir: vdir,
                location: SourceLocation(file: "", line: 1, column: 1),
                reminders: reminders,
                delivery: delivery,
                tags: tags,
                readOnly: readOnly
            )
            result.append((calendar, (source, vdirNode.offset)))
        }
        return result
    }

    private func checkName(
        _ name: String,
        path: String,
        node: TOMLNode,
        seen: inout [String: (source: Int, offset: Int)],
        context: inout DecodeContext
    ) {
        let valid =
            !name.isEmpty && name.count <= 64 && !name.hasPrefix("-")
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        if !valid {
            let suggestion = String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.filter(\.isASCII))
            context.error(
                source, "\(path).name", value: name, "invalid calendar name",
                hint: "accepted: 1 to 64 of a-z, 0-9 and \"-\", not starting with \"-\""
                    + (suggestion.isEmpty || suggestion == name ? "" : ", e.g. \"\(suggestion)\"")
            )
            return
        }
        if let first = seen[name] {
            context.add(
                DecodeContext.Pending(
                    source: source,
                    path: "\(path).name",
                    value: name,
                    message: "duplicate calendar name, first defined at",
                    hint: "calendar names must be unique across timeline.toml and timeline.d/*.toml",
                    seeAlso: first
                )
            )
            return
        }
        seen[name] = (source, node["name"]?.offset ?? node.offset)
    }
}
