/// Finds the table header that would abort the process inside toml++.
///
/// toml++ 3.4.0 (bundled by TOMLKit 0.6.0) checks the first character of a table header's key with an
/// `assert`, which SwiftPM builds keep: `[#`, `[`+newline, `[[[1]]]` or `[[=` abort the whole process
/// instead of giving a syntax error (found by `make fuzz`; fixed upstream in marzer/tomlplusplus#301, not
/// yet in a TOMLKit release). `TOMLDocument` asks this guard first and reports such a header itself.
///
/// It follows TOML's lexical structure just enough to know where toml++ reads a table header: at the start of
/// a line outside any string, comment or multi-line array. On a valid TOML prefix it agrees with toml++, so it
/// finds every such header that toml++ would reach, and a valid document never has one.
enum TOMLHeaderGuard {
    /// A header without a valid key start: where its offending character is, and the character.
    struct Finding: Equatable {
        /// Byte offset of the offending character (or of the end of the text).
        var offset: Int
        /// Byte offset where the header's line starts.
        var lineStart: Int
        /// The offending character as toml++ would show it.
        var shown: String
    }

    /// The first table header in `bytes` whose key starts with a character that cannot start a key.
    static func firstBadHeader(in bytes: UnsafeBufferPointer<UInt8>) -> Finding? {
        var i = 0
        // A byte order mark at the very start is not part of the first line.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        while i < bytes.count {
            let lineStart = i
            while i < bytes.count, bytes[i] == space || bytes[i] == tab { i += 1 }
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case newline, carriageReturn:
                i += 1
            case hash:
                i = endOfLine(bytes, from: i)
            case openBracket:
                if let finding = checkHeader(bytes, at: i, lineStart: lineStart) { return finding }
                i = skipLine(bytes, from: i, allowMultiline: false)
            default:
                // A key = value line; its value may span lines (arrays, multi-line strings).
                i = skipLine(bytes, from: i, allowMultiline: true)
            }
        }
        return nil
    }

    /// Checks the header starting with the `[` at `start`, as toml++'s `parse_table_header` reads it.
    private static func checkHeader(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, lineStart: Int) -> Finding? {
        var i = start + 1
        var hadWhitespace = false
        while i < bytes.count, bytes[i] == space || bytes[i] == tab {
            i += 1
            hadWhitespace = true
        }
        guard i < bytes.count else { return nil }
        if bytes[i] == openBracket {
            // `[ [` is an error toml++ reports; `[[` opens an array of tables.
            if hadWhitespace { return nil }
            i += 1
            while i < bytes.count, bytes[i] == space || bytes[i] == tab { i += 1 }
            guard i < bytes.count else { return nil }
        }
        let c = bytes[i]
        if isBareKeyByte(c) || c == quote || c == apostrophe || c == closeBracket { return nil }
        return Finding(offset: i, lineStart: lineStart, shown: shown(bytes, at: i))
    }

    /// The offset after the line starting at `start` (after its newline), skipping strings and comments; with
    /// `allowMultiline`, a line break inside brackets does not end it.
    private static func skipLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, allowMultiline: Bool) -> Int {
        var i = start
        var depth = 0
        while i < bytes.count {
            switch bytes[i] {
            case quote, apostrophe:
                i = skipString(bytes, from: i)
                continue
            case hash:
                i = endOfLine(bytes, from: i)
                continue
            case openBracket, openBrace:
                if allowMultiline { depth += 1 }
            case closeBracket, closeBrace:
                if allowMultiline { depth = max(0, depth - 1) }
            case newline:
                if depth == 0 { return i + 1 }
            default:
                break
            }
            i += 1
        }
        return i
    }

    /// The offset after the string starting at `start` (a quote or apostrophe): basic, literal, or multi-line.
    private static func skipString(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let delimiter = bytes[start]
        let escapes = delimiter == quote
        let multiline = start + 2 < bytes.count && bytes[start + 1] == delimiter && bytes[start + 2] == delimiter
        var i = start + (multiline ? 3 : 1)
        while i < bytes.count {
            let c = bytes[i]
            if escapes && c == backslash {
                i += 2
                continue
            }
            if !multiline && c == newline { return i }  // Unterminated: toml++ reports it.
            if c == delimiter {
                if !multiline { return i + 1 }
                if i + 2 < bytes.count, bytes[i + 1] == delimiter, bytes[i + 2] == delimiter {
                    // Up to two more delimiters belong to the content: `"""a""""` is `a"`.
                    var end = i + 3
                    while end < bytes.count, end < i + 5, bytes[end] == delimiter { end += 1 }
                    return end
                }
            }
            i += 1
        }
        return i
    }

    /// The offset of the newline ending the line that `start` is in (or the end).
    private static func endOfLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        while i < bytes.count, bytes[i] != newline { i += 1 }
        return i
    }

    /// The character at `offset` as toml++'s messages show it: itself, or an escape for controls.
    private static func shown(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> String {
        switch bytes[offset] {
        case newline: return "\\n"
        case carriageReturn: return "\\r"
        case 0..<0x20, 0x7F: return "\\u{" + String(bytes[offset], radix: 16, uppercase: true) + "}"
        default:
            var end = offset + 1
            while end < bytes.count, end < offset + 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
            return String(decoding: bytes[offset..<end], as: UTF8.self)
        }
    }

    private static func isBareKeyByte(_ c: UInt8) -> Bool {
        (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) || c == 0x5F
            || c == 0x2D
    }

    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let hash = UInt8(ascii: "#")
    private static let quote = UInt8(ascii: "\"")
    private static let apostrophe = UInt8(ascii: "'")
    private static let backslash = UInt8(ascii: "\\")
    private static let openBracket = UInt8(ascii: "[")
    private static let closeBracket = UInt8(ascii: "]")
    private static let openBrace = UInt8(ascii: "{")
    private static let closeBrace = UInt8(ascii: "}")
}
