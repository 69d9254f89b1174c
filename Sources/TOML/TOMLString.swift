/// Swift strings written as TOML basic strings, for programs that write TOML, or JSON: the escapes used are in
/// both languages, so the result is a JSON string as well.
public enum TOMLString {
    /// `text` as a basic string (see ``quote(_:into:)``).
    public static func quoted(_ text: String) -> String {
        var out = ""
        quote(text, into: &out)
        return out
    }

    /// Appends `text` to `out` in double quotes: `"` and `\` escaped, `\b \t \n \f \r` for those control
    /// characters, `\uXXXX` for the others (U+0000 to U+001F and U+007F); everything else as it is.
    public static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\":
                out += "\\"
                out.unicodeScalars.append(scalar)
            case "\u{08}": out += "\\b"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\u{0C}": out += "\\f"
            case "\r": out += "\\r"
            case "\u{00}"..."\u{1F}", "\u{7F}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
