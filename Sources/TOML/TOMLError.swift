/// A problem in a TOML source: a syntax error, an invalid value (such as `2027-02-30`), a key defined twice,
/// or invalid UTF-8. The parser reports every one it finds and goes on after each.
public struct TOMLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where the problem is.
    public var position: TOMLPosition
    /// The key path of the value concerned (`milestone[0].start`), or nil when the problem is not in a value.
    public var key: String?
    /// The offending text as written, when there is one.
    public var value: String?
    /// What is wrong, in a sentence, as a template and its values (to be read in any language).
    public var messageText: TOMLText
    /// What would be accepted, as a template and its values.
    public var hintText: TOMLText?

    /// What is wrong, in English.
    public var message: String { messageText.description }
    /// What would be accepted, in English.
    public var hint: String? { hintText?.description }

    /// `line:column: key = "value": message; hint`.
    public var description: String {
        var text = "\(position): "
        if let key { text += key }
        if let value { text += key == nil ? "\"\(value)\"" : " = \"\(value)\"" }
        if key != nil || value != nil { text += ": " }
        text += message
        if let hint { text += "; \(hint)" }
        return text
    }
}
