/// One attempt at sending a reminder to a `mail` or `apprise` channel, as the daemon describes it to the
/// delivery unit `sse-timeline-deliver@.service` in its environment file (docs/channels.md):
/// `SSE_DELIVERY_ID`, `SSE_CHANNEL`, `SSE_CHANNEL_KIND`, `SSE_MAIL_TO` or `SSE_APPRISE`, `SSE_LANGUAGE`,
/// `SSE_ATTEMPT`, and the reminder's journal fields as `SSE_<NAME>`.
public struct DeliveryRequest: Sendable, Equatable {
    /// What kind of channel sends it.
    public enum Kind: String, Sendable, CaseIterable {
        /// Mail handed to the system's mailer, `/usr/sbin/sendmail`.
        case mail
        /// A push through the `apprise` command to the URLs of a credential.
        case apprise
    }

    /// `<REMINDER_KEY>|<channel>`: the same for every attempt, so that a retry is recognizably the same message.
    public var deliveryID: String
    /// The channel's name (`board`).
    public var channel: String
    /// Mail or Apprise.
    public var kind: Kind
    /// The recipients of a mail channel (empty for Apprise).
    public var recipients: [MailAddress]
    /// The credential holding the Apprise URLs (nil for mail).
    public var credential: String?
    /// The channel's language, when it has one.
    public var language: String?
    /// 1 for the first attempt, then 2, 3, ...
    public var attempt: Int
    /// The reminder's journal fields, without the `SSE_` prefix: `MILESTONE_TITLE`, `MILESTONE_START`, ...
    public var fields: [String: String]

    /// The variables read, for `--help` and the errors.
    public static let variables = [
        "SSE_DELIVERY_ID", "SSE_CHANNEL", "SSE_CHANNEL_KIND", "SSE_MAIL_TO", "SSE_APPRISE", "SSE_LANGUAGE",
        "SSE_ATTEMPT", "SSE_MAIL_FROM",
    ]

    /// The names a credential (and a channel) may have: `[a-z0-9][a-z0-9_-]*`, as in the config.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isNameByte(first), first != UInt8(ascii: "_"), first != UInt8(ascii: "-")
        else { return false }
        return name.utf8.allSatisfy(isNameByte)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-")
    }

    /// A request with every part given.
    public init(
        deliveryID: String,
        channel: String,
        kind: Kind,
        recipients: [MailAddress] = [],
        credential: String? = nil,
        language: String? = nil,
        attempt: Int = 1,
        fields: [String: String]
    ) {
        self.deliveryID = deliveryID
        self.channel = channel
        self.kind = kind
        self.recipients = recipients
        self.credential = credential
        self.language = language
        self.attempt = attempt
        self.fields = fields
    }

    /// Reads the request from the process environment `environment`.
    ///
    /// - Throws: ``DeliveryRequestError`` naming the variable, its value and what is accepted.
    public init(environment: [String: String]) throws(DeliveryRequestError) {
        func required(_ name: String) throws(DeliveryRequestError) -> String {
            guard let value = environment[name], !value.isEmpty else {
                throw DeliveryRequestError(variable: name, value: nil, accepted: "a value (the daemon writes it)")
            }
            return value
        }
        deliveryID = try required("SSE_DELIVERY_ID")
        channel = try required("SSE_CHANNEL")
        guard Self.isValidName(channel) else {
            throw DeliveryRequestError(variable: "SSE_CHANNEL", value: channel, accepted: "a name [a-z0-9][a-z0-9_-]*")
        }
        let kindText = try required("SSE_CHANNEL_KIND")
        guard let kind = Kind(rawValue: kindText) else {
            throw DeliveryRequestError(variable: "SSE_CHANNEL_KIND", value: kindText, accepted: "mail or apprise")
        }
        self.kind = kind
        recipients = []
        credential = nil
        switch kind {
        case .mail:
            let list = try required("SSE_MAIL_TO")
            for part in list.split(separator: ",") where !part.allSatisfy({ $0 == " " }) {
                guard let address = MailAddress(parsing: part) else {
                    throw DeliveryRequestError(
                        variable: "SSE_MAIL_TO",
                        value: String(part),
                        accepted: "addresses as local@domain or Name <local@domain>, separated by commas"
                    )
                }
                recipients.append(address)
            }
            guard !recipients.isEmpty else {
                throw DeliveryRequestError(variable: "SSE_MAIL_TO", value: list, accepted: "at least one address")
            }
        case .apprise:
            let name = try required("SSE_APPRISE")
            guard Self.isValidName(name) else {
                throw DeliveryRequestError(
                    variable: "SSE_APPRISE",
                    value: name,
                    accepted: "a credential name [a-z0-9][a-z0-9_-]*"
                )
            }
            credential = name
        }
        language = environment["SSE_LANGUAGE"].flatMap { $0.isEmpty ? nil : $0 }
        let attemptText = environment["SSE_ATTEMPT"] ?? "1"
        guard let attempt = Int(attemptText), attempt >= 1 else {
            throw DeliveryRequestError(variable: "SSE_ATTEMPT", value: attemptText, accepted: "1, 2, 3, ...")
        }
        self.attempt = attempt
        var fields: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix("SSE_") && !Self.variables.contains(name) {
            fields[String(name.dropFirst(4))] = value
        }
        self.fields = fields
        guard fields["REMINDER_KEY"] != nil, fields["MILESTONE_TITLE"] != nil else {
            throw DeliveryRequestError(
                variable: fields["REMINDER_KEY"] == nil ? "SSE_REMINDER_KEY" : "SSE_MILESTONE_TITLE",
                value: nil,
                accepted: "the reminder's journal field (the daemon writes it)"
            )
        }
    }
}

/// A variable of the delivery unit's environment that is missing or holds what it may not.
public struct DeliveryRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The variable (`SSE_MAIL_TO`).
    public var variable: String
    /// What it held; nil when it was missing or empty.
    public var value: String?
    /// What would be accepted.
    public var accepted: String

    public var description: String {
        if let value { return "\(variable)=\"\(value)\" is not valid: expected \(accepted)" }
        return "\(variable) is not set: expected \(accepted)"
    }
}
