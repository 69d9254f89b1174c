import TOML

/// The `[channel.NAME]` tables, which `notify` names beside `"journal"` and `"desktop"`:
///
/// ```toml
/// [channel.board]
/// mail = ["board@example.org", "Ana <ana@example.org>"]   # or: apprise = "phone" (a credential's name)
/// language = "fr"                                          # optional
/// retry_for = "24 hours"                                   # optional: how long a failed delivery is retried
/// ```
///
/// A channel has exactly one of `mail` and `apprise`; secrets never stand in the TOML, so an `apprise` value that
/// is a URL is refused. `[defaults] mail_allow` lists the addresses an iCalendar `ACTION:EMAIL` alarm may send to.
extension FieldReader {
    /// The keys of a channel's table.
    static let channelKeys = ["mail", "apprise", "language", "retry_for"]
    /// The longest `retry_for`: a year and a day.
    static let maximumRetryFor: Int64 = 366 * 86400

    /// Every channel of `root["channel"]`, added to `channels`; a name defined twice, or not a valid name, is an
    /// error.
    static func decodeChannels(
        _ root: TOMLNode,
        source: Int,
        into channels: inout [String: Channel],
        context: inout DecodeContext
    ) {
        let tables = context.namedTables(
            root,
            "channel",
            source: source,
            what: .tr("a channel must be a table"),
            hint: { .tr("write it as %s with %s or %s", "[channel.\($0)]", "mail = [...]", "apprise = \"NAME\"") }
        )
        for (name, path, node) in tables {
            guard Channel.isValidName(name) else {
                let reserved = Channel.reserved.contains(name)
                context.error(
                    source,
                    path,
                    value: name,
                    reserved ? .tr("a reserved channel name") : .tr("not a channel name"),
                    hint: reserved
                        ? .tr("%s are built in; pick another name", Channel.reserved.joined(separator: ", "))
                        : .tr(
                            "lowercase letters, digits, %s and %s, starting with a letter or digit, e.g. %s",
                            "_",
                            "-",
                            "[channel.board]"
                        )
                )
                continue
            }
            if context.channelNames.contains(name) {
                context.error(
                    source,
                    path,
                    value: name,
                    .tr("channel defined twice"),
                    hint: .tr("each %s is defined once across %s and its drop-ins", "[channel.NAME]", "timeline.toml")
                )
                continue
            }
            // Named even when it has errors: a notify naming it is not another error.
            context.channelNames.append(name)
            let reader = FieldReader(node: node, source: source, path: path)
            reader.checkKeys(channelKeys, context: &context)
            if let channel = reader.channel(name, context: &context) { channels[name] = channel }
        }
    }

    /// The channel this table describes, or nil when it has an error (reported).
    private func channel(_ name: String, context: inout DecodeContext) -> Channel? {
        let errors = context.pending.count { $0.severity == .error }
        var kind: Channel.Kind?
        switch (node["mail"], node["apprise"]) {
        case (nil, nil):
            context.error(
                source,
                path,
                value: nil,
                .tr("a channel needs %s or %s", "mail", "apprise"),
                hint: .tr(
                    "e.g. %s, or %s (a credential holding the URLs)",
                    "mail = [\"board@example.org\"]",
                    "apprise = \"phone\""
                )
            )
        case (.some, .some):
            context.error(
                source,
                keyPath("apprise"),
                value: nil,
                .tr("a channel has %s or %s, not both", "mail", "apprise"),
                hint: nil
            )
        case (.some, nil):
            kind = mailRecipients(context: &context).map(Channel.Kind.mail)
        case (nil, .some):
            kind = credential(context: &context).map(Channel.Kind.apprise)
        }
        var channel = kind.map { Channel(name: name, kind: $0) }
        if let language = string("language", context: &context) {
            if Defaults.languages.contains(language) {
                channel?.language = language
            } else {
                let accepted = Defaults.languages.map { "\"\($0)\"" }.joined(separator: ", ")
                context.error(
                    source,
                    keyPath("language"),
                    value: language,
                    .tr("not a language sse-timeline speaks"),
                    hint: Suggestion.didYouMean(language, among: Defaults.languages) ?? .tr("accepted: %s", accepted)
                )
            }
        }
        if let retryFor = duration("retry_for", context: &context) {
            if (60...Self.maximumRetryFor).contains(retryFor) {
                channel?.retryFor = retryFor
            } else {
                context.error(
                    source,
                    keyPath("retry_for"),
                    value: Self.display(node["retry_for"]!.value),
                    .tr("out of range"),
                    hint: .tr("accepted: 1 minute to 366 days")
                )
            }
        }
        return context.pending.count { $0.severity == .error } == errors ? channel : nil
    }

    /// `mail = [...]`: the recipients, each `name@domain` or `Name <name@domain>`.
    private func mailRecipients(context: inout DecodeContext) -> [String]? {
        guard
            let elements = elements(
                "mail",
                array: .tr("an array of addresses"),
                example: #"["board@example.org"]"#,
                context: &context
            )
        else { return nil }
        let addresses = strings(of: elements, key: "mail", expected: .tr("an address"), context: &context)
        var result: [String] = []
        for (i, address) in addresses {
            if let problem = Self.addressProblem(address) {
                context.error(
                    source,
                    "\(keyPath("mail"))[\(i)]",
                    value: address,
                    problem,
                    hint: .tr("e.g. %s or %s", "\"board@example.org\"", "\"Ana <ana@example.org>\"")
                )
            } else {
                result.append(address)
            }
        }
        if addresses.isEmpty && elements.isEmpty {
            context.error(
                source,
                keyPath("mail"),
                value: "[]",
                .tr("a mail channel needs one address at least"),
                hint: nil
            )
        }
        return result
    }

    /// Why `address` is not a recipient (`name@domain`, or `Name <name@domain>`), or nil when it is one. A comma is
    /// refused: the delivery unit gets the recipients separated by commas.
    static func addressProblem(_ address: String) -> LocalizedText? {
        if address.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "," }) {
            return .tr("a control character or a comma in an address")
        }
        var bare = Substring(address)
        if let open = address.lastIndex(of: "<") {
            guard address.hasSuffix(">") else { return .tr("an address opened with %s must end with %s", "<", ">") }
            bare = address[address.index(after: open)..<address.index(before: address.endIndex)]
        }
        let parts = bare.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !bare.contains(" ") else {
            return .tr("not a mail address")
        }
        return nil
    }

    /// `apprise = "phone"`: the name of the credential holding the URLs.
    private func credential(context: inout DecodeContext) -> String? {
        guard let name = string("apprise", context: &context) else { return nil }
        if name.contains("://") {
            context.error(
                source,
                keyPath("apprise"),
                value: "(a URL, not shown)",
                .tr("a URL in the config"),
                hint: .tr(
                    "Apprise URLs hold secrets: put them in a credential (%s) and name it here, e.g. %s",
                    "docs/channels.md",
                    "apprise = \"phone\""
                )
            )
            return nil
        }
        let plain = name.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
        guard plain, !name.isEmpty, !name.hasPrefix(".") else {
            context.error(
                source,
                keyPath("apprise"),
                value: name,
                .tr("not a credential name"),
                hint: .tr("letters, digits, %s, %s and %s, e.g. %s", "_", "-", ".", "apprise = \"phone\"")
            )
            return nil
        }
        return name
    }

    /// `mail_allow = ["board@example.org", "*@coop.example"]` in `[defaults]`: the addresses iCalendar alarms may
    /// mail to.
    func mailAllow(context: inout DecodeContext) -> [String]? {
        let example = #"["board@example.org", "*@coop.example"]"#
        guard
            let elements = elements(
                "mail_allow",
                array: .tr("an array of addresses"),
                example: example,
                context: &context
            )
        else {
            return nil
        }
        return strings(of: elements, key: "mail_allow", expected: .tr("an address"), context: &context).compactMap {
            i,
            pattern in
            let bare = pattern.hasPrefix("*@") ? "x" + pattern.dropFirst() : pattern
            guard Self.addressProblem(bare) == nil, !bare.contains("<") else {
                context.error(
                    source,
                    "\(keyPath("mail_allow"))[\(i)]",
                    value: pattern,
                    .tr("not an address or %s", "*@domain"),
                    hint: .tr("e.g. %s", example)
                )
                return nil
            }
            return pattern
        }
    }
}
