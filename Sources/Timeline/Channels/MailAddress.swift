/// One mailbox of a `mail` channel: `board@example.org` or `Ana Pérez <ana@example.org>`.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The display name, when one was given.
    public var name: String?
    /// The addr-spec: `local@domain`.
    public var address: String

    /// A mailbox from its parts.
    public init(name: String?, address: String) {
        self.name = name
        self.address = address
    }

    /// Parses `Name <local@domain>` or a bare `local@domain`; nil when the address part is not one mailbox
    /// (one `@` with text on both sides, no spaces, angle brackets, quotes, commas or control characters, and
    /// no leading `-`, which sendmail would take for an option).
    public init?(parsing text: some StringProtocol) {
        let trimmed = String(text).trimmingSpaces()
        var name: String?
        var address = trimmed
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var display = String(trimmed[..<open]).trimmingSpaces()
            if display.count >= 2, display.hasPrefix("\""), display.hasSuffix("\"") {
                display = String(display.dropFirst().dropLast())
            }
            name = display.isEmpty ? nil : display
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !address.hasPrefix("-"),
            address.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && !"<>\"(),;\\".unicodeScalars.contains($0) })
        else { return nil }
        self.name = name
        self.address = address
    }

    /// The mailbox as a header holds it: the name quoted (or as encoded-words when not ASCII), then `<address>`.
    public var headerValue: String {
        guard let name else { return address }
        if !MIMEEncoding.isPlainHeaderText(name) { return MIMEEncoding.encodedWords(name) + " <\(address)>" }
        let escaped = name.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
        return "\"\(escaped)\" <\(address)>"
    }

    public var description: String { name.map { "\($0) <\(address)>" } ?? address }
}
