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
            root, "channel", source: source, what: "a channel",
            hint: { "write it as [channel.\($0)] with mail = [...] or apprise = \"NAME\"" }
        )
        for (name, path, node) in tables {
            guard Channel.isValidName(name) else {
                let reserved = Channel.reserved.contains(name)
                context.error(
                    source, path, value: name, reserved ? "a reserved channel name" : "not a channel name",
                    hint: reserved
                        ? "\(Channel.reserved.joined(separator: ", ")) are built in; pick another name"
                        : "lowercase letters, digits, _ and -, starting with a letter or digit, e.g. [channel.board]"
                )
                continue
            }
            if context.channelNames.contains(name) {
                context.error(
                    source, path, value: name, "channel defined twice",
                    hint: "each [channel.NAME] is defined once across timeline.toml and its drop-ins"
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
                source, path, value: nil, "a channel needs mail or apprise",
                hint: "e.g. mail = [\"board@example.org\"], or apprise = \"phone\" (a credential holding the URLs)"
            )
        case (.some, .some):
            context.error(source, keyPath("apprise"), value: nil, "a channel has mail or apprise, not both", hint: nil)
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
                    source, keyPath("language"), value: language, "not a language sse-timeline speaks",
                    hint: Suggestion.didYouMean(language, among: Defaults.languages) ?? "accepted: \(accepted)"
                )
            }
        }
        if let retryFor = duration("retry_for", context: &context) {
            if (60...Self.maximumRetryFor).contains(retryFor) {
                channel?.retryFor = retryFor
            } else {
                context.error(
                    source, keyPath("retry_for"), value: Self.display(node["retry_for"]!.value),
                    "out of range", hint: "accepted: 1 minute to 366 days"
                )
            }
        }
        return context.pending.count { $0.severity == .error } == errors ? channel : nil
    }

    /// `mail = [...]`: the recipients, each `name@domain` or `Name <name@domain>`.
    private func mailRecipients(context: inout DecodeContext) -> [String]? {
        guard let elements = elements("mail", arrayOf: "addresses", example: #"["board@example.org"]"#, context: &context)
        else { return nil }
        let addresses = strings(of: elements, key: "mail", expected: "an address", context: &context)
        var result: [String] = []
        for (i, address) in addresses {
            if let problem = Self.addressProblem(address) {
                context.error(
                    source, "\(keyPath("mail"))[\(i)]", value: address, problem,
                    hint: "e.g. \"board@example.org\" or \"Ana <ana@example.org>\""
                )
            } else {
                result.append(address)
            }
        }
        if addresses.isEmpty && elements.isEmpty {
            context.error(source, keyPath("mail"), value: "[]", "a mail channel needs one address at least", hint: nil)
        }
        return result
    }

    /// Why `address` is not a recipient (`name@domain`, or `Name <name@domain>`), or nil when it is one. A comma is
    /// refused: the delivery unit gets the recipients separated by commas.
    static func addressProblem(_ address: String) -> String? {
        if address.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "," }) {
            return "a control character or a comma in an address"
        }
        var bare = Substring(address)
        if let open = address.lastIndex(of: "<") {
            guard address.hasSuffix(">") else { return "an address opened with < must end with >" }
            bare = address[address.index(after: open)..<address.index(before: address.endIndex)]
        }
        let parts = bare.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !bare.contains(" ") else {
            return "not a mail address"
        }
        return nil
    }

    /// `apprise = "phone"`: the name of the credential holding the URLs.
    private func credential(context: inout DecodeContext) -> String? {
        guard let name = string("apprise", context: &context) else { return nil }
        if name.contains("://") {
            context.error(
                source, keyPath("apprise"), value: "(a URL, not shown)", "a URL in the config",
                hint: "Apprise URLs hold secrets: put them in a credential (docs/channels.md) and name it here, e.g. apprise = \"phone\""
            )
            return nil
        }
        let plain = name.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
        guard plain, !name.isEmpty, !name.hasPrefix(".") else {
            context.error(
                source, keyPath("apprise"), value: name, "not a credential name",
                hint: "letters, digits, _, - and ., e.g. apprise = \"phone\""
            )
            return nil
        }
        return name
    }

    /// `mail_allow = ["board@example.org", "*@coop.example"]` in `[defaults]`: the addresses iCalendar alarms may
    /// mail to.
    func mailAllow(context: inout DecodeContext) -> [String]? {
        let example = #"["board@example.org", "*@coop.example"]"#
        guard let elements = elements("mail_allow", arrayOf: "addresses", example: example, context: &context) else {
            return nil
        }
        return strings(of: elements, key: "mail_allow", expected: "an address", context: &context).compactMap {
            i, pattern in
            let bare = pattern.hasPrefix("*@") ? "x" + pattern.dropFirst() : pattern
            guard Self.addressProblem(bare) == nil, !bare.contains("<") else {
                context.error(
                    source, "\(keyPath("mail_allow"))[\(i)]", value: pattern, "not an address or *@domain",
                    hint: "e.g. \(example)"
                )
                return nil
            }
            return pattern
        }
    }
}
