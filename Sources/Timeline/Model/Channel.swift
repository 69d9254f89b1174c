/// A named channel that carries reminders away from this machine (`[channel.NAME]`): mail through the system's
/// mailer, or Apprise with the URLs kept in a credential. The daemon hands each reminder to it once, through a
/// delivery unit (docs/channels.md).
public struct Channel: Hashable, Sendable {
    /// How the channel sends.
    public enum Kind: Hashable, Sendable {
        /// Mail to these recipients (`mail = ["board@example.org", "Ana <ana@example.org>"]`).
        case mail([String])
        /// Apprise, to the URLs in the credential of this name (`apprise = "phone"`).
        case apprise(String)

        /// `mail` or `apprise`, as `SSE_CHANNEL_KIND` says it.
        public var name: String {
            switch self {
            case .mail: "mail"
            case .apprise: "apprise"
            }
        }
    }

    /// The name, `[a-z0-9][a-z0-9_-]*`, as `notify` lists it.
    public var name: String
    /// How it sends.
    public var kind: Kind
    /// The language of what it sends (`language`), when not the daemon's.
    public var language: String?
    /// Seconds after the reminder came due during which a failed delivery is retried (`retry_for`).
    public var retryFor: Int64

    /// How long a delivery is retried when the channel does not say: a day.
    public static let defaultRetryFor: Int64 = 86400
    /// The names `notify` gives the channels that are not tables of their own.
    public static let reserved = ["journal", "desktop", icsMail]
    /// The channel of an iCalendar `ACTION:EMAIL` alarm: mail to its allowed attendees.
    public static let icsMail = "ics-mail"

    /// A channel named `name` sending by `kind`.
    public init(name: String, kind: Kind, language: String? = nil, retryFor: Int64 = Channel.defaultRetryFor) {
        self.name = name
        self.kind = kind
        self.language = language
        self.retryFor = retryFor
    }

    /// Whether `name` may name a channel: `[a-z0-9][a-z0-9_-]*`, not a reserved name.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLowerAlphanumeric(first), !reserved.contains(name) else { return false }
        return name.utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Whether `address` (`board@example.org`) matches one of `patterns` (`mail_allow`): equal ignoring case, or
    /// `*@domain` for every address at that domain.
    public static func isAllowed(_ address: String, by patterns: [String]) -> Bool {
        let address = address.lowercased()
        return patterns.contains { pattern in
            let pattern = pattern.lowercased()
            return pattern.hasPrefix("*@") ? address.hasSuffix(pattern.dropFirst()) : address == pattern
        }
    }
}
