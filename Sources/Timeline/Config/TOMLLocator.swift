/// Finds where each value of a TOML document sits, by key path.
///
/// TOMLKit reports positions only for syntax errors, so the semantic checks ask this index instead.
/// Paths name tables, keys and array elements: `defaults.timezone`, `milestone[2].start`,
/// `milestone[2].reminders[1]`, `milestone[2].reminders[1].priority`. The scan is linear in the size of
/// the document and tolerant: it runs after TOMLKit has accepted the syntax.
struct TOMLLocator: Sendable {
    /// Line and column of each path's value (or header, for tables and array-of-table entries).
    private(set) var positions: [String: (line: Int, column: Int)] = [:]
    /// Line and column of each key itself, for messages about unknown keys.
    private(set) var keyPositions: [String: (line: Int, column: Int)] = [:]

    init(_ text: String) {
        var scanner = Scanner(bytes: Array(text.utf8))
        scanner.scanDocument(into: &self)
    }

    /// The position of `path`'s value, or of its nearest enclosing path that has one.
    func position(of path: String) -> (line: Int, column: Int)? {
        var current = Substring(path)
        while true {
            if let found = positions[String(current)] { return found }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
            current = current[..<cut]
        }
    }

    /// The position of the key of `path` (falls back to its value's position).
    func keyPosition(of path: String) -> (line: Int, column: Int)? {
        keyPositions[path] ?? position(of: path)
    }

    fileprivate mutating func record(_ path: String, _ pos: (line: Int, column: Int)) {
        if positions[path] == nil { positions[path] = pos }
    }

    fileprivate mutating func recordKey(_ path: String, _ pos: (line: Int, column: Int)) {
        if keyPositions[path] == nil { keyPositions[path] = pos }
    }
}

private struct Scanner {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var column = 1
    var arrayTableCounts: [String: Int] = [:]

    init(bytes: [UInt8]) { self.bytes = bytes }

    var position: (line: Int, column: Int) { (line, column) }
    var atEnd: Bool { index >= bytes.count }
    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    func peek(_ offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    mutating func advance() {
        guard index < bytes.count else { return }
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        } else {
            // A UTF-8 continuation byte belongs to the character already counted.
        }
    }

    mutating func skipSpaces() {
        while let c = current, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
            advance()
        }
    }

    mutating func skipComment() {
        if current == UInt8(ascii: "#") {
            while let c = current, c != UInt8(ascii: "\n") { advance() }
        }
    }

    /// Skips blanks, comments and newlines (inside arrays and between statements).
    mutating func skipTrivia() {
        while true {
            skipSpaces()
            skipComment()
            if current == UInt8(ascii: "\n") { advance() } else { return }
        }
    }

    mutating func skipToEndOfLine() {
        while let c = current, c != UInt8(ascii: "\n") {
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { _ = scanString() } else { advance() }
        }
    }

    mutating func scanDocument(into locator: inout TOMLLocator) {
        var table = ""
        while true {
            skipTrivia()
            guard let c = current else { return }
            if c == UInt8(ascii: "[") {
                let start = position
                let isArray = peek(1) == UInt8(ascii: "[")
                advance()
                if isArray { advance() }
                skipSpaces()
                let name = scanKey().joined(separator: ".")
                if isArray {
                    let n = arrayTableCounts[name, default: 0]
                    arrayTableCounts[name] = n + 1
                    table = "\(name)[\(n)]"
                } else {
                    table = resolveTableName(name)
                }
                locator.record(table, start)
                locator.recordKey(table, start)
                skipToEndOfLine()
            } else {
                scanKeyValue(prefix: table, into: &locator)
                skipToEndOfLine()
            }
        }
    }

    /// A `[a.b]` header below an array-of-tables entry `[[a]]` belongs to its latest element.
    func resolveTableName(_ name: String) -> String {
        var parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var resolved: [String] = []
        while !parts.isEmpty {
            let head = parts.removeFirst()
            let prefix = (resolved + [head]).joined(separator: ".")
            if let n = arrayTableCounts[prefix], !parts.isEmpty {
                resolved = ["\(prefix)[\(n - 1)]"]
            } else {
                resolved.append(head)
            }
        }
        return resolved.joined(separator: ".")
    }

    mutating func scanKeyValue(prefix: String, into locator: inout TOMLLocator) {
        let keyStart = position
        let key = scanKey()
        guard !key.isEmpty else {
            advance()
            return
        }
        skipSpaces()
        guard current == UInt8(ascii: "=") else { return }
        advance()
        skipSpaces()
        let path = join(prefix, key.joined(separator: "."))
        locator.recordKey(path, keyStart)
        scanValue(path: path, into: &locator)
    }

    mutating func scanValue(path: String, into locator: inout TOMLLocator) {
        locator.record(path, position)
        guard let c = current else { return }
        switch c {
        case UInt8(ascii: "["):
            advance()
            var element = 0
            while true {
                skipTrivia()
                guard let d = current else { return }
                if d == UInt8(ascii: "]") {
                    advance()
                    return
                }
                if d == UInt8(ascii: ",") {
                    advance()
                    continue
                }
                let before = index
                scanValue(path: "\(path)[\(element)]", into: &locator)
                element += 1
                if index == before { advance() }
            }
        case UInt8(ascii: "{"):
            advance()
            while true {
                skipSpaces()
                guard let d = current else { return }
                if d == UInt8(ascii: "}") {
                    advance()
                    return
                }
                if d == UInt8(ascii: ",") || d == UInt8(ascii: "\n") {
                    advance()
                    continue
                }
                let before = index
                scanKeyValue(prefix: path, into: &locator)
                if index == before { advance() }
            }
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            _ = scanString()
        default:
            // Numbers, booleans, dates and times: up to a delimiter.
            while let d = current, d != UInt8(ascii: ","), d != UInt8(ascii: "]"), d != UInt8(ascii: "}"),
                d != UInt8(ascii: "\n"), d != UInt8(ascii: "#")
            {
                advance()
            }
        }
    }

    /// A dotted key of bare and quoted parts.
    mutating func scanKey() -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            guard let c = current else { return parts }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                parts.append(scanString())
            } else {
                var part: [UInt8] = []
                while let d = current, isBareKeyByte(d) {
                    part.append(d)
                    advance()
                }
                if part.isEmpty { return parts }
                parts.append(String(decoding: part, as: UTF8.self))
            }
            skipSpaces()
            if current == UInt8(ascii: ".") { advance() } else { return parts }
        }
    }

    func isBareKeyByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }

    /// Scans a basic, literal or multi-line string and returns its raw content (escapes kept as written;
    /// keys with escapes are rare enough that this index does not decode them).
    mutating func scanString() -> String {
        guard let quote = current else { return "" }
        let multi = peek(1) == quote && peek(2) == quote
        if multi {
            advance()
            advance()
            advance()
        } else {
            advance()
        }
        var content: [UInt8] = []
        while let c = current {
            if c == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") {
                content.append(c)
                advance()
                if let e = current {
                    content.append(e)
                    advance()
                }
                continue
            }
            if c == quote {
                if !multi {
                    advance()
                    break
                }
                if peek(1) == quote && peek(2) == quote {
                    // Up to two quotes may precede the closing delimiter.
                    while peek(3) == quote {
                        content.append(c)
                        advance()
                    }
                    advance()
                    advance()
                    advance()
                    break
                }
            }
            if c == UInt8(ascii: "\n") && !multi { break }
            content.append(c)
            advance()
        }
        return String(decoding: content, as: UTF8.self)
    }

    func join(_ prefix: String, _ key: String) -> String {
        prefix.isEmpty ? key : "\(prefix).\(key)"
    }
}
