import TOML

/// One `[[calendar]]` table: a calendar kept elsewhere (a vdir that vdirsyncer syncs with a CalDAV server, or
/// that khal and todoman write), whose events and tasks become milestones.
///
/// Keys: `name` (required, unique, `[a-z0-9-]`: the prefix of its items' ids and the `CALENDAR=` of messages),
/// `vdir` (required: a directory of `.ics` files, one item each, or a directory of such collections; `~/` is the
/// home directory), `reminders` (the reminders of items without a VALARM, as in `[defaults]`), `notify`, `snooze`
/// and `repeat` (as in `[defaults]`), `tags` (added to every item's CATEGORIES) and `read_only` (dismissals stay
/// local instead of being written into the item's file; default false). Instead of `vdir`, `url` names an
/// iCalendar feed (`https`, `http` or `webcal`) that `sse-timeline fetch` downloads every `refresh` (default 1
/// hour) within `timeout` (default 1 minute), trusting the CA certificates of `ca_file` if given and sending the
/// credential named `credential` (never the secret itself); a feed is read-only.
public struct CalendarConfig: Hashable, Sendable {
    /// Where a feed comes from: a `[[calendar]]` with `url`.
    public struct Feed: Hashable, Sendable {
        /// The URL as written.
        public var url: String
        /// Seconds between two fetches.
        public var refresh: Int64
        /// A PEM file of CA certificates to trust instead of the system's.
        public var caFile: String?
        /// The name of the credential holding `user:password` or `Bearer TOKEN`.
        public var credential: String?
        /// The limit of one fetch, in seconds.
        public var timeout: Int64
    }

    /// The timeout of a feed that sets none: 1 minute.
    public static let defaultTimeout: Int64 = 60

    /// The refresh of a feed that sets none: 1 hour.
    public static let defaultRefresh: Int64 = 3600

    /// The calendar's id.
    public var name: String
    /// The directory as written (`~/` not yet expanded: the core reads no environment). For a feed, empty until
    /// the daemon sets it to the directory of the feed's last good copy (`FeedCache`).
    public var vdir: String
    /// The feed, when the calendar is one.
    public var feed: Feed?
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
        readOnly: Bool = false,
        feed: Feed? = nil
    ) {
        self.feed = feed
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
    static let keys =
        ["name", "vdir", "url", "refresh", "timeout", "ca_file", "credential", "reminders", "tags", "read_only"]
        + FieldReader.deliveryKeys
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
                source,
                "calendar",
                value: nil,
                .tr("must be an array of tables"),
                hint: .tr("write each calendar under its own %s header", "[[calendar]]")
            )
            return []
        }
        var result: [(CalendarConfig, (source: Int, offset: Int))] = []
        for n in 0..<list.count {
            guard let node = list.element(at: n), node.value != .invalid else { continue }
            let path = "calendar[\(n)]"
            guard node.isTable else {
                context.error(
                    source,
                    path,
                    value: nil,
                    .tr("must be a table"),
                    hint: .tr("write it as %s", "[[calendar]]")
                )
                continue
            }
            let reader = FieldReader(node: node, source: source, path: path)
            reader.checkKeys(CalendarConfig.keys, context: &context)
            let name = reader.string("name", required: true, context: &context)
            if let name { checkName(name, path: path, node: node, seen: &seen, context: &context) }
            let url = reader.string("url", context: &context)
            let vdir = reader.string("vdir", required: node["url"] == nil, context: &context)
            if let vdir, vdir.isEmpty || (!vdir.hasPrefix("/") && !vdir.hasPrefix("~/")) {
                context.error(
                    source,
                    "\(path).vdir",
                    value: vdir,
                    .tr("not an absolute directory"),
                    hint: .tr(
                        "write the full path, or one under your home directory as %s",
                        "\"~/.local/share/calendars/NAME\""
                    )
                )
            }
            var feed: CalendarConfig.Feed?
            if let url { feed = self.feed(url, vdir: vdir, reader: reader, path: path, context: &context) }
            let reminders = reader.reminders("reminders", context: &context)
            let delivery = reader.deliveryOverride(context: &context)
            let tags = reader.strings("tags", context: &context) ?? []
            var readOnly = false
            if let field = node["read_only"] {
                if case .boolean(let value) = field.value {
                    readOnly = value
                } else {
                    reader.wrongType("read_only", field.value, expected: .tr("true or false"), context: &context)
                }
            }
            guard let name, let place = node["vdir"] ?? node["url"], vdir != nil || feed != nil else { continue }
            let calendar = CalendarConfig(
                name: name,
                vdir: vdir ?? "",
                location: SourceLocation(file: "", line: 1, column: 1),
                reminders: reminders,
                delivery: delivery,
                tags: tags,
                readOnly: readOnly || feed != nil,
                feed: feed
            )
            result.append((calendar, (source, place.offset)))
        }
        return result
    }

    /// The feed of a table with `url`: an http(s) or webcal URL, `refresh` at least a minute, and `ca_file`
    /// an absolute path; `vdir` beside it is an error.
    private func feed(
        _ url: String,
        vdir: String?,
        reader: FieldReader,
        path: String,
        context: inout DecodeContext
    ) -> CalendarConfig.Feed? {
        var valid = true
        if vdir != nil {
            context.error(
                source,
                "\(path).url",
                value: url,
                .tr("a calendar is either a vdir or a feed"),
                hint: .tr("remove %s or %s; a feed that vdirsyncer syncs is a vdir", "vdir", "url")
            )
            valid = false
        }
        let scheme = url.prefix { $0 != ":" }.lowercased()
        if !["https", "http", "webcal"].contains(scheme) || !url.dropFirst(scheme.count).hasPrefix("://") {
            context.error(
                source,
                "\(path).url",
                value: url,
                .tr("not an http, https or webcal URL"),
                hint: .tr("write it as the calendar app shows it, e.g. %s", "\"https://example.org/team.ics\"")
            )
            valid = false
        } else if url.dropFirst(scheme.count + 3).prefix(while: { $0 != "/" }).contains("@") {
            context.error(
                source,
                "\(path).url",
                value: nil,
                .tr("a user or password in the URL"),
                hint: .tr(
                    "keep secrets out of the config: put %s in a credential file and name it with %s",
                    "user:password",
                    "credential"
                )
            )
            valid = false
        }
        let refresh = reader.duration("refresh", context: &context) ?? CalendarConfig.defaultRefresh
        if refresh < 60 {
            context.error(
                source,
                "\(path).refresh",
                value: String(refresh),
                .tr("shorter than a minute"),
                hint: .tr("a feed is fetched at most once a minute, e.g. %s or %s", "\"15 minutes\"", "\"1 hour\"")
            )
            valid = false
        }
        let timeout = reader.duration("timeout", context: &context) ?? CalendarConfig.defaultTimeout
        if timeout < 1 || timeout > 3600 {
            context.error(
                source,
                "\(path).timeout",
                value: String(timeout),
                .tr("not between 1 second and 1 hour"),
                hint: .tr("e.g. %s", "\"30 seconds\"")
            )
            valid = false
        }
        let caFile = reader.string("ca_file", context: &context)
        if let caFile, !caFile.hasPrefix("/") {
            context.error(
                source,
                "\(path).ca_file",
                value: caFile,
                .tr("not an absolute path"),
                hint: .tr("write the full path")
            )
            valid = false
        }
        let credential = reader.string("credential", context: &context)
        if let credential, credential.isEmpty || credential.contains("/") || credential.hasPrefix(".") {
            context.error(
                source,
                "\(path).credential",
                value: credential,
                .tr("not a credential name"),
                hint: .tr(
                    "the name of a file in %s (or %s)",
                    "/etc/sse-timeline/credentials",
                    "~/.config/sse-timeline/credentials"
                )
            )
            valid = false
        }
        return valid
            ? CalendarConfig.Feed(url: url, refresh: refresh, caFile: caFile, credential: credential, timeout: timeout)
            : nil
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
            context.error(
                source,
                "\(path).name",
                value: name,
                .tr("invalid calendar name"),
                hint: FieldReader.nameHint(name, maximumLength: 64)
            )
            return
        }
        if let first = seen[name] {
            context.add(
                DecodeContext.Pending(
                    source: source,
                    path: "\(path).name",
                    value: name,
                    hint: .tr("calendar names must be unique across %s and %s", "timeline.toml", "timeline.d/*.toml"),
                    seeAlso: (first.source, first.offset, { .tr("duplicate calendar name, first defined at %s", $0) })
                )
            )
            return
        }
        seen[name] = (source, node["name"]?.offset ?? node.offset)
    }
}
