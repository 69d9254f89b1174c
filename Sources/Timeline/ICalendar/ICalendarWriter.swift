/// Writes iCalendar content lines (RFC 5545 section 3.1): `NAME;PARAM=VALUE:value`, folded at 75 octets
/// without splitting a UTF-8 sequence, each ended by CRLF.
///
/// Text values go through ``text(_:)`` (escaping) by the caller's choice: structured values (dates,
/// rules, durations) are written as they are.
public struct ICalendarWriter: Sendable {
    /// The longest a physical line may be, in octets, not counting its CRLF (RFC 5545 section 3.1).
    public static let lineLimit = 75

    /// What has been written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// One parameter: `TZID=Europe/Paris`, `VALUE=DATE`, `RELATED=END`.
    public struct Parameter: Sendable, Hashable {
        /// The parameter name, upper case.
        public var name: String
        /// The value, unquoted; quoted on output when it holds `:`, `;` or `,`.
        public var value: String

        /// A parameter `name=value`.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Writes `BEGIN:name`.
    public mutating func begin(_ component: String) { line("BEGIN", value: component) }

    /// Writes `END:name`.
    public mutating func end(_ component: String) { line("END", value: component) }

    /// Writes one content line, folded.
    public mutating func line(_ name: String, _ parameters: [Parameter] = [], value: String) {
        var logical = Array(name.utf8)
        for parameter in parameters {
            logical.append(UInt8(ascii: ";"))
            logical += parameter.name.utf8
            logical.append(UInt8(ascii: "="))
            logical += Self.parameterValue(parameter.value).utf8
        }
        logical.append(UInt8(ascii: ":"))
        logical += value.utf8
        bytes += Self.fold(logical)
    }

    /// The octets of one logical line folded into physical lines of at most ``lineLimit`` octets, each ended
    /// by CRLF; a continuation line starts with a space, which counts towards its length. A fold never falls
    /// inside a UTF-8 sequence.
    public static func fold(_ logical: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(logical.count + logical.count / 70 * 3 + 2)
        var index = 0
        var limit = lineLimit
        while true {
            var cut = min(index + limit, logical.count)
            // Back off over continuation bytes (10xxxxxx) so the cut falls before a sequence's first byte.
            while cut < logical.count, cut > index, logical[cut] & 0xC0 == 0x80 { cut -= 1 }
            result += logical[index..<cut]
            result += [0x0D, 0x0A]
            index = cut
            guard index < logical.count else { return result }
            result.append(UInt8(ascii: " "))
            limit = lineLimit - 1
        }
    }

    /// A TEXT value escaped (RFC 5545 section 3.3.11): backslash, semicolon, comma and newline; a CR dropped.
    public static func text(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n": result += "\\n"
            case "\r": break
            default:
                // Other control characters are not allowed in a content line (RFC 5545 section 3.1).
                if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A parameter value, in double quotes when it holds `:`, `;` or `,`; a double quote, a newline and a
    /// caret are written as RFC 6868 says (`^'`, `^n`, `^^`).
    static func parameterValue(_ value: String) -> String {
        var escaped = ""
        var needsQuotes = false
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "^'"
            case "\n": escaped += "^n"
            case "^": escaped += "^^"
            case ":", ";", ",":
                needsQuotes = true
                escaped.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F { continue }
                escaped.unicodeScalars.append(scalar)
            }
        }
        return needsQuotes ? "\"\(escaped)\"" : escaped
    }
}

/// The value forms of RFC 5545 section 3.3 that the export writes.
public enum ICalendarFormat {
    /// `20220610` (DATE).
    public static func date(_ date: CivilDate) -> String { date.basicDescription }

    /// `20220610T090000` (a local DATE-TIME).
    public static func local(_ time: CivilDateTime) -> String { time.basicDescription }

    /// `20220610T070000Z` (a UTC DATE-TIME).
    public static func utc(_ instant: Instant) -> String { instant.utc.basicDescription + "Z" }

    /// `+0200`, `-0500`, `+0545`, `+003914` (UTC-OFFSET: seconds only when not whole minutes).
    public static func offset(_ seconds: Int) -> String {
        let magnitude = abs(seconds)
        var text = (seconds < 0 ? "-" : "+") + pad(magnitude / 3600, 2) + pad(magnitude / 60 % 60, 2)
        if magnitude % 60 != 0 { text += pad(magnitude % 60, 2) }
        return text
    }

    /// A DURATION of `days` nominal days then `seconds` exact seconds, both of one sign:
    /// `-P7D`, `PT1H30M`, `-P29DT15H`, `PT0S`.
    public static func duration(days: Int, seconds: Int64) -> String {
        precondition(days == 0 || seconds == 0 || (days < 0) == (seconds < 0), "a duration has one sign")
        let negative = days < 0 || seconds < 0
        let d = abs(days)
        var s = abs(seconds)
        var text = negative ? "-P" : "P"
        if d > 0 { text += "\(d)D" }
        if s > 0 || d == 0 {
            text += "T"
            let hours = s / 3600
            s %= 3600
            let minutes = s / 60
            s %= 60
            if hours > 0 { text += "\(hours)H" }
            if minutes > 0 { text += "\(minutes)M" }
            if s > 0 || (hours == 0 && minutes == 0) { text += "\(s)S" }
        }
        return text
    }
}
