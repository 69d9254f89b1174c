/// The TOML 1.0 parser behind `TOMLDocument`: one pass over the bytes, no recursion, every error kept.
///
/// Statements (a key/value pair or a table header) are read one at a time. A syntax error is recorded and
/// the parser goes on at the next line; when the error was on a later line than the statement's start (inside
/// an array spanning lines), errors in the lines that follow are not recorded until a statement reads cleanly
/// again, since they are usually the rest of that value.
/// Arrays and inline tables are read with a stack of frames held in an array, not by recursion.
struct Parser {
    /// A syntax error: where to report it, and where to go on from.
    struct Failure: Error {
        var offset: Int
        var resume: Int
        var message: String
        var hint: String?

        init(_ offset: Int, _ message: String, hint: String? = nil, resume: Int? = nil) {
            self.offset = offset
            self.resume = resume ?? offset
            self.message = message
            self.hint = hint
        }
    }

    /// An error before its line and column are known.
    struct PendingError {
        var offset: Int
        var key: String?
        var value: String?
        var message: String
        var hint: String?
    }

    /// One part of a dotted key as written.
    struct KeyPart {
        /// Where the part starts (its opening quote, if quoted).
        var start: Int
        var contentStart: Int
        var contentEnd: Int
        var quoted: Bool
        /// The content of a key with escapes.
        var decoded: [UInt8]?
    }

    /// An array or inline table being read.
    struct Frame {
        var node: Int32
        var isArray: Bool
        /// Arrays: a value (or `]`) comes next. Inline tables: a key comes next.
        var expectingValue = true
        /// Inline tables: nothing was read yet (so `}` may close it).
        var isEmpty = true
        /// The length of `chain` with this container last.
        var chainCount: Int
    }

    let limits: TOMLLimits
    var nodes: [Node] = []
    var strings: [String] = []
    var temporals: [Temporal] = []
    var escapedKeys: [Int32: [UInt8]] = [:]
    var indexes: [Int32: [[UInt8]: Int32]] = [:]
    var pendingErrors: [PendingError] = []
    var omittedErrorCount = 0

    var text = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    var pos = 0
    /// The table key/value pairs go to.
    var table: Int32 = 0
    /// The nodes from the root (or a detached table after a bad header) to what is being read, for the key
    /// paths of messages: `milestone[2].reminders[1]`.
    var chain: [Int32] = [0]
    var headerChainCount = 1
    var keyParts: [KeyPart] = []
    var frames: [Frame] = []
    /// After a syntax error, until a statement reads cleanly.
    var recovering = false
    /// The statement's key, once resolved, until its value node exists.
    var pendingKey: (parent: Int32, part: KeyPart)?
    /// The statement's value node, once it exists.
    var statementValue: Int32?

    /// The byte offset at which each line starts, for messages that name another place.
    let lineStarts: [UInt32]

    init(limits: TOMLLimits, lineStarts: [UInt32]) {
        self.limits = limits
        self.lineStarts = lineStarts
    }

    /// "line 3, column 1": where a node's key (or value) is.
    func place(of node: Int32) -> String {
        let n = nodes[Int(node)]
        let offset = Int(n.flags.contains(.hasKey) ? n.keyStart : n.start)
        let position = TOMLPosition(offset: offset, in: text, lineStarts: lineStarts)
        return "line \(position.line), column \(position.column)"
    }

    // MARK: - Errors

    /// Whether another error is kept (past the limit, errors are only counted).
    mutating func keepsAnotherError() -> Bool {
        if pendingErrors.count < limits.maximumErrors { return true }
        omittedErrorCount += 1
        return false
    }

    mutating func record(
        _ offset: Int,
        key: String? = nil,
        value: String? = nil,
        message: String,
        hint: String? = nil
    ) {
        guard keepsAnotherError() else { return }
        pendingErrors.append(PendingError(offset: offset, key: key, value: value, message: message, hint: hint))
    }

    /// The key path of what is being read: the chain, then `node` if given.
    func keyPath(appending node: Int32? = nil) -> String? {
        var list = chain
        if let node { list.append(node) }
        guard list.count > 1 else { return nil }
        var path = ""
        for i in 1..<list.count {
            let parent = nodes[Int(list[i - 1])]
            if parent.kind == .array {
                path += "[\(max(Int(parent.count) - 1, 0))]"
            } else {
                if !path.isEmpty { path += "." }
                path += keyForMessage(list[i])
            }
        }
        return path
    }

    /// A node's key for a message: its first 64 bytes, then "..." (reading no further, so that a long key
    /// costs no more per message than a short one).
    func keyForMessage(_ node: Int32) -> String {
        let n = nodes[Int(node)]
        let limit = 64
        var bytes: ArraySlice<UInt8>
        if n.flags.contains(.keyEscaped) {
            bytes = escapedKeys[node].map { $0[...] } ?? []
        } else if n.flags.contains(.hasKey) {
            let quoted = n.flags.contains(.keyQuoted)
            let start = Int(n.keyStart) + (quoted ? 1 : 0)
            var end = start
            while end < text.count, end - start <= limit,
                quoted ? text[end] != text[Int(n.keyStart)] : isBareKeyByte(text[end])
            {
                end += 1
            }
            bytes = ArraySlice(text[start..<end])
        } else {
            bytes = []
        }
        if bytes.count > limit { return String(decoding: bytes.prefix(limit), as: UTF8.self) + "..." }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Records a value the parser cannot take, and makes its node `.invalid`.
    mutating func valueError(_ node: Int32, _ message: String, hint: String?) {
        let n = nodes[Int(node)]
        nodes[Int(node)].kind = .invalid
        guard keepsAnotherError() else { return }
        let key = keyPath(appending: node)
        let value = String(decoding: text[Int(n.start)..<Int(n.end)], as: UTF8.self)
        pendingErrors.append(PendingError(offset: Int(n.start), key: key, value: value, message: message, hint: hint))
    }

    /// A description of the character at `offset`, for messages.
    func found(at offset: Int) -> String {
        guard offset < text.count else { return "the end of the file" }
        let b = text[offset]
        switch b {
        case 0x0A: return "the end of the line"
        case 0x0D: return "a carriage return"
        case 0x09: return "a tab"
        case 0x20: return "a space"
        case 0x00..<0x20, 0x7F: return "the control character U+\(hex(b, 4))"
        case 0x80...:
            let length = utf8Length(at: offset)
            if length == 0 { return "invalid UTF-8" }
            return "\"\(String(decoding: text[offset..<offset + length], as: UTF8.self))\""
        default: return "\"\(Character(Unicode.Scalar(b)))\""
        }
    }

    func hex(_ value: some BinaryInteger, _ digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    func invalidUTF8(_ offset: Int) -> Failure {
        Failure(
            offset,
            "invalid UTF-8 (byte 0x\(hex(text[offset], 2)) at offset \(offset))",
            hint: "save the file as UTF-8",
            resume: offset + 1
        )
    }

    /// The failure for an unexpected character at `offset`.
    func unexpected(_ offset: Int, expected: String, hint: String? = nil) -> Failure {
        if offset < text.count, text[offset] >= 0x80, utf8Length(at: offset) == 0 { return invalidUTF8(offset) }
        return Failure(offset, "expected \(expected), found \(found(at: offset))", hint: hint)
    }

    // MARK: - Document

    mutating func parse(_ text: UnsafeBufferPointer<UInt8>) {
        self.text = text
        nodes.reserveCapacity(text.count / 16 + 1)
        nodes.append(Node(kind: .table))
        nodes[0].flags = [.defined]
        // A byte order mark is allowed at the start.
        if text.count >= 3, text[0] == 0xEF, text[1] == 0xBB, text[2] == 0xBF { pos = 3 }
        while pos < text.count {
            switch text[pos] {
            case 0x20, 0x09:
                pos += 1
            case 0x0A:
                pos += 1
            case 0x0D where pos + 1 < text.count && text[pos + 1] == 0x0A:
                pos += 2
            case 0x23:  // #
                // A comment line is no sign that reading is back on track (it may sit inside a broken array).
                statement(endsRecovery: false) { (parser: inout Parser) throws(Failure) in try parser.skipComment() }
            default:
                statement { (parser: inout Parser) throws(Failure) in
                    if parser.text[parser.pos] == 0x5B {  // [
                        try parser.parseHeader()
                    } else {
                        try parser.parseKeyValue()
                    }
                    try parser.expectEndOfLine()
                }
            }
        }
    }

    /// Runs one statement; on a syntax error records it and skips to the next line. When the error is on a
    /// later line than the statement's start (inside a multi-line array or string), the lines after it are
    /// likely the rest of that value: their errors are not recorded until a statement reads cleanly.
    mutating func statement(endsRecovery: Bool = true, _ body: (inout Parser) throws(Failure) -> Void) {
        let start = pos
        pendingKey = nil
        statementValue = nil
        do {
            try body(&self)
            if endsRecovery { recovering = false }
        } catch {
            // What the broken statement was defining is there, but not readable: readers skip it instead
            // of reporting it missing or half-read.
            var value = statementValue
            if value == nil, let (parent, part) = pendingKey {
                value = addChild(parent, part, Node(kind: .invalid, start: part.start, end: part.contentEnd))
            }
            if !recovering, keepsAnotherError() {
                var key: String?
                if let value { key = chain.contains(value) ? keyPath() : keyPath(appending: value) }
                pendingErrors.append(
                    PendingError(offset: error.offset, key: key, value: nil, message: error.message, hint: error.hint)
                )
            }
            if let value { nodes[Int(value)].kind = .invalid }
            frames.removeAll(keepingCapacity: true)
            let resume = max(pos, min(error.resume, text.count))
            if !recovering { recovering = text[start..<resume].contains(0x0A) }
            pos = resume
            while pos < text.count, text[pos] != 0x0A { pos += 1 }
        }
        chain.removeSubrange(headerChainCount...)
    }

    /// Spaces and tabs.
    mutating func skipBlanks() {
        while pos < text.count, text[pos] == 0x20 || text[pos] == 0x09 { pos += 1 }
    }

    /// A comment, up to (not including) its line's end.
    mutating func skipComment() throws(Failure) {
        pos += 1
        while pos < text.count {
            let b = text[pos]
            if b == 0x0A { return }
            if b == 0x0D {
                if pos + 1 < text.count, text[pos + 1] == 0x0A { return }
                throw Failure(pos, "a carriage return must be followed by a line feed")
            }
            if isControl(b) { throw controlFailure(pos, in: "a comment") }
            pos = try characterEnd(at: pos)
        }
    }

    /// Blanks, a comment, and the end of the line (or of the file).
    mutating func expectEndOfLine() throws(Failure) {
        skipBlanks()
        if pos < text.count, text[pos] == 0x23 { try skipComment() }
        guard pos < text.count else { return }
        if text[pos] == 0x0A {
            pos += 1
        } else if text[pos] == 0x0D, pos + 1 < text.count, text[pos + 1] == 0x0A {
            pos += 2
        } else {
            throw unexpected(pos, expected: "the end of the line", hint: "one key = value or [table] per line")
        }
    }

    /// Blanks, comments and line ends, as allowed between the values of an array.
    mutating func skipArrayTrivia() throws(Failure) {
        while pos < text.count {
            switch text[pos] {
            case 0x20, 0x09, 0x0A: pos += 1
            case 0x0D:
                guard pos + 1 < text.count, text[pos + 1] == 0x0A else {
                    throw Failure(pos, "a carriage return must be followed by a line feed")
                }
                pos += 2
            case 0x23: try skipComment()
            default: return
            }
        }
    }

    // MARK: - Tables

    mutating func parseHeader() throws(Failure) {
        let start = pos
        let isArray = pos + 1 < text.count && text[pos + 1] == 0x5B
        pos += isArray ? 2 : 1
        // Until the header is read, what follows belongs to no table.
        table = detachedTable()
        chain = [table]
        headerChainCount = 1
        try parseKey()
        skipBlanks()
        guard pos < text.count, text[pos] == 0x5D else {
            throw unexpected(pos, expected: isArray ? "\"]]\"" : "\"]\"", hint: "a table header is [name] or [[name]]")
        }
        pos += 1
        if isArray {
            guard pos < text.count, text[pos] == 0x5D else {
                throw unexpected(pos, expected: "\"]]\"", hint: "an array of tables header is [[name]]")
            }
            pos += 1
        }
        let end = pos
        var current: Int32 = 0
        var resolved: [Int32] = [0]
        for (i, part) in keyParts.enumerated() {
            let isLast = i == keyParts.count - 1
            guard let existing = findChild(current, part) else {
                if isLast && isArray {
                    var array = Node(kind: .array, start: start, end: end)
                    array.flags = [.tableArray]
                    let arrayIndex = addChild(current, part, array)
                    var element = Node(kind: .table, start: start, end: end)
                    element.flags = [.defined]
                    current = addChild(arrayIndex, nil, element)
                    resolved += [arrayIndex, current]
                } else {
                    var node = Node(
                        kind: .table,
                        start: isLast ? start : part.start,
                        end: isLast ? end : keyEnd(part)
                    )
                    if isLast { node.flags = [.defined] }
                    current = addChild(current, part, node)
                    resolved.append(current)
                }
                continue
            }
            let node = nodes[Int(existing)]
            let name = keyParts[...i].map { String(decoding: bytes(of: $0), as: UTF8.self) }.joined(separator: ".")
            if isLast {
                if isArray {
                    guard node.kind == .array, node.flags.contains(.tableArray) else {
                        throw Failure(
                            part.start,
                            "\"\(name)\" is already defined as \(describe(existing)), not an array of tables"
                        )
                    }
                    var element = Node(kind: .table, start: start, end: end)
                    element.flags = [.defined]
                    current = addChild(existing, nil, element)
                    resolved += [existing, current]
                } else {
                    guard node.kind == .table, node.flags.isDisjoint(with: [.defined, .dotted, .frozen]) else {
                        throw Failure(
                            part.start,
                            "\"\(name)\" is already defined as \(describe(existing))",
                            hint: "a table is defined once; put all its keys under one [\(name)]"
                        )
                    }
                    nodes[Int(existing)].flags.insert(.defined)
                    nodes[Int(existing)].start = UInt32(start)
                    nodes[Int(existing)].end = UInt32(end)
                    current = existing
                    resolved.append(current)
                }
            } else if node.kind == .table, !node.flags.contains(.frozen) {
                current = existing
                resolved.append(current)
            } else if node.kind == .array, node.flags.contains(.tableArray) {
                current = node.last
                resolved += [existing, current]
            } else {
                throw Failure(part.start, "\"\(name)\" is \(describe(existing)), which cannot take more keys")
            }
        }
        table = current
        chain = resolved
        headerChainCount = chain.count
    }

    /// What a node is, for messages.
    func describe(_ node: Int32) -> String {
        let n = nodes[Int(node)]
        switch n.kind {
        case .table:
            if n.flags.contains(.frozen) { return "an inline table" }
            if n.flags.contains(.dotted) { return "a table by dotted keys" }
            return "a table"
        case .array: return n.flags.contains(.tableArray) ? "an array of tables" : "an array"
        default: return "a value"
        }
    }

    /// A table outside the tree, for the keys under a header that could not be read.
    mutating func detachedTable() -> Int32 {
        var node = Node(kind: .table)
        node.flags = [.defined]
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    // MARK: - Keys

    /// A dotted key into `keyParts`.
    mutating func parseKey() throws(Failure) {
        keyParts.removeAll(keepingCapacity: true)
        while true {
            skipBlanks()
            guard pos < text.count else { throw unexpected(pos, expected: "a key") }
            let c = text[pos]
            if isBareKeyByte(c) {
                let start = pos
                while pos < text.count, isBareKeyByte(text[pos]) { pos += 1 }
                keyParts.append(KeyPart(start: start, contentStart: start, contentEnd: pos, quoted: false))
            } else if c == 0x22 || c == 0x27 {
                if pos + 2 < text.count, text[pos + 1] == c, text[pos + 2] == c {
                    throw Failure(pos, "a key cannot be a multi-line string", hint: "quote keys with \" or '")
                }
                let token = try lexString(at: pos)
                keyParts.append(
                    KeyPart(
                        start: pos,
                        contentStart: token.contentStart,
                        contentEnd: token.contentEnd,
                        quoted: true,
                        decoded: token.decoded
                    )
                )
                pos = token.end
            } else {
                throw unexpected(
                    pos,
                    expected: "a key",
                    hint: "bare keys are made of A-Z a-z 0-9 _ -; others are quoted"
                )
            }
            if keyParts.count > limits.maximumKeyParts {
                throw Failure(
                    keyParts[0].start,
                    "a key or table name with more than \(limits.maximumKeyParts) dotted parts",
                    hint: "nothing in a timeline nests this deep; is this the right file?",
                    resume: pos
                )
            }
            skipBlanks()
            guard pos < text.count, text[pos] == 0x2E else { return }
            pos += 1
        }
    }

    func isBareKeyByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D
    }

    func bytes(of part: KeyPart) -> ArraySlice<UInt8> {
        if let decoded = part.decoded { return decoded[...] }
        return ArraySlice(text[part.contentStart..<part.contentEnd])
    }

    func keyEnd(_ part: KeyPart) -> Int { part.quoted ? part.contentEnd + 1 : part.contentEnd }

    /// The content of a node's key.
    func keyBytes(_ node: Int32) -> ArraySlice<UInt8> {
        let n = nodes[Int(node)]
        if n.flags.contains(.keyEscaped) { return escapedKeys[node].map { $0[...] } ?? [] }
        guard n.flags.contains(.hasKey) else { return [] }
        return ArraySlice(text[Parser.keyContent(in: text, at: Int(n.keyStart), quoted: n.flags.contains(.keyQuoted))])
    }

    func keyMatches(_ node: Int32, _ part: KeyPart) -> Bool {
        let n = nodes[Int(node)]
        if n.flags.contains(.keyEscaped) || part.decoded != nil { return keyBytes(node).elementsEqual(bytes(of: part)) }
        let range = Parser.keyContent(in: text, at: Int(n.keyStart), quoted: n.flags.contains(.keyQuoted))
        guard range.count == part.contentEnd - part.contentStart else { return false }
        var i = range.lowerBound
        var j = part.contentStart
        while i < range.upperBound {
            if text[i] != text[j] { return false }
            i += 1
            j += 1
        }
        return true
    }

    /// The child of a table with the key `part`.
    func findChild(_ table: Int32, _ part: KeyPart) -> Int32? {
        if let index = indexes[table] { return index[Array(bytes(of: part))] }
        var child = nodes[Int(table)].first
        while child >= 0 {
            if keyMatches(child, part) { return child }
            child = nodes[Int(child)].next
        }
        return nil
    }

    /// Adds `node` to `parent` (under `part` for a table) and returns its index.
    mutating func addChild(_ parent: Int32, _ part: KeyPart?, _ node: Node) -> Int32 {
        var node = node
        let index = Int32(nodes.count)
        if let part {
            node.flags.insert(.hasKey)
            node.keyStart = UInt32(part.start)
            if let decoded = part.decoded {
                node.flags.insert(.keyEscaped)
                escapedKeys[index] = decoded
            } else if part.quoted {
                node.flags.insert(.keyQuoted)
            }
        }
        nodes.append(node)
        var p = nodes[Int(parent)]
        let bits = UInt64(UInt32(bitPattern: index))
        if p.count == 0 {
            p.payload = bits | bits << 32
        } else {
            nodes[Int(p.last)].next = index
            p.payload = (p.payload & 0xFFFF_FFFF) | bits << 32
        }
        p.count += 1
        nodes[Int(parent)] = p
        if p.kind == .table, let part {
            // Past a few keys, a table gets a hash index, so that each lookup stays O(1).
            if indexes[parent] != nil {
                indexes[parent]![Array(bytes(of: part))] = index
            } else if p.count > 8 {
                var index: [[UInt8]: Int32] = [:]
                var child = p.first
                while child >= 0 {
                    index[Array(keyBytes(child))] = child
                    child = nodes[Int(child)].next
                }
                indexes[parent] = index
            }
        }
        return index
    }

    /// The table the last part of `keyParts` goes in, below `table`: dotted keys make (or reuse) tables.
    mutating func resolveDotted(in table: Int32, inline: Bool) throws(Failure) -> Int32 {
        var current = table
        for (i, part) in keyParts.dropLast().enumerated() {
            if let existing = findChild(current, part) {
                let node = nodes[Int(existing)]
                guard node.kind == .table, node.flags.contains(.dotted) else {
                    let name = keyParts[...i].map { String(decoding: bytes(of: $0), as: UTF8.self) }
                        .joined(separator: ".")
                    throw Failure(
                        part.start,
                        "\"\(name)\" is already defined as \(describe(existing)), which dotted keys cannot add to",
                        hint: node.kind == .table && !node.flags.contains(.frozen)
                            ? "put the key under the table's [header]" : nil
                    )
                }
                current = existing
            } else {
                var node = Node(kind: .table, start: part.start, end: keyEnd(part))
                node.flags = inline ? [.dotted, .frozen] : [.dotted]
                current = addChild(current, part, node)
            }
            chain.append(current)
        }
        let last = keyParts[keyParts.count - 1]
        if let existing = findChild(current, last) {
            let name = keyParts.map { String(decoding: bytes(of: $0), as: UTF8.self) }.joined(separator: ".")
            throw Failure(
                last.start,
                "duplicate key \"\(name)\", already defined at \(place(of: existing))",
                hint: "each key is defined once in a table"
            )
        }
        return current
    }

    // MARK: - Values

    mutating func parseKeyValue() throws(Failure) {
        try parseKeyAndEquals()
        let parent = try resolveDotted(in: table, inline: false)
        pendingKey = (parent, keyParts[keyParts.count - 1])
        try parseValue(parent: parent, key: keyParts[keyParts.count - 1])
    }

    /// A key (into `keyParts`), `=`, and the blanks around it: what comes before a value.
    mutating func parseKeyAndEquals() throws(Failure) {
        try parseKey()
        skipBlanks()
        guard pos < text.count, text[pos] == 0x3D else {
            throw unexpected(pos, expected: "'=' after the key", hint: "write key = value")
        }
        pos += 1
        skipBlanks()
    }

    /// A value under `key` of `parent` (an element, with a nil key, of an array), with everything nested in it.
    mutating func parseValue(parent: Int32, key: KeyPart?) throws(Failure) {
        var parent = parent
        var key = key
        frames.removeAll(keepingCapacity: true)
        while true {
            guard pos < text.count else { throw unexpected(pos, expected: "a value") }
            let c = text[pos]
            if c == 0x5B || c == 0x7B {  // [ {
                if frames.count >= limits.maximumNestingDepth {
                    throw Failure(
                        pos,
                        "arrays and inline tables nested more than \(limits.maximumNestingDepth) deep (nested value depth)",
                        hint: "nothing in a timeline nests this deep; is this the right file?"
                    )
                }
                var node = Node(kind: c == 0x5B ? .array : .table, start: pos, end: pos + 1)
                if c == 0x7B { node.flags = [.defined, .frozen] }
                let index = addChild(parent, key, node)
                if frames.isEmpty && statementValue == nil { statementValue = index }
                chain.append(index)
                frames.append(Frame(node: index, isArray: c == 0x5B, chainCount: chain.count))
                pos += 1
            } else {
                let index = try parseScalar(parent: parent, key: key)
                if frames.isEmpty { statementValue = index }
            }
            pendingKey = nil
            // Read separators and closing brackets up to the next value, or to the end of the outermost one.
            while true {
                guard var frame = frames.last else { return }
                chain.removeSubrange(frame.chainCount...)
                if frame.isArray {
                    try skipArrayTrivia()
                    if pos < text.count, text[pos] == 0x5D {  // ]
                        close(frame)
                        continue
                    }
                    if !frame.expectingValue {
                        guard pos < text.count, text[pos] == 0x2C else {
                            throw unexpected(pos, expected: "',' or ']' in the array")
                        }
                        pos += 1
                        frame.expectingValue = true
                        frames[frames.count - 1] = frame
                        continue
                    }
                    frame.expectingValue = false
                    frames[frames.count - 1] = frame
                    parent = frame.node
                    key = nil
                    break
                } else {
                    skipBlanks()
                    if !frame.expectingValue || frame.isEmpty {
                        if pos < text.count, text[pos] == 0x7D {  // }
                            close(frame)
                            continue
                        }
                    }
                    if !frame.expectingValue {
                        guard pos < text.count, text[pos] == 0x2C else {
                            throw unexpected(
                                pos,
                                expected: "',' or '}' in the inline table",
                                hint: "an inline table is written on one line: { key = value, key = value }"
                            )
                        }
                        pos += 1
                        skipBlanks()
                        if pos < text.count, text[pos] == 0x7D {
                            throw Failure(pos, "a comma before '}' (a trailing comma) in an inline table")
                        }
                    }
                    try parseKeyAndEquals()
                    parent = try resolveDotted(in: frame.node, inline: true)
                    key = keyParts[keyParts.count - 1]
                    frame.expectingValue = false
                    frame.isEmpty = false
                    frames[frames.count - 1] = frame
                    break
                }
            }
        }
    }

    mutating func close(_ frame: Frame) {
        pos += 1
        nodes[Int(frame.node)].end = UInt32(pos)
        frames.removeLast()
        chain.removeSubrange((frame.chainCount - 1)...)
    }

    /// A string, number, boolean, date or time; added under `key` of `parent`.
    mutating func parseScalar(parent: Int32, key: KeyPart?) throws(Failure) -> Int32 {
        let start = pos
        let c = text[pos]
        if c == 0x22 || c == 0x27 {
            let isMultiline = pos + 2 < text.count && text[pos + 1] == c && text[pos + 2] == c
            let token = try isMultiline ? lexMultilineString(at: pos) : lexString(at: pos)
            var node = Node(kind: .string, start: start, end: token.end)
            if let decoded = token.decoded {
                node.flags = [.decodedString]
                node.payload = UInt64(strings.count)
                strings.append(String(decoding: decoded, as: UTF8.self))
            } else {
                node.payload = UInt64(token.contentStart) << 32 | UInt64(token.contentEnd)
            }
            pos = token.end
            return addChild(parent, key, node)
        }
        if isDigit(c), isDateOrTimeStart(pos) {
            return parseDateTime(parent: parent, key: key)
        }
        // Numbers, booleans, inf and nan: a run of the characters they are made of.
        while pos < text.count, isValueByte(text[pos]) { pos += 1 }
        guard pos > start else {
            throw unexpected(
                start,
                expected: "a value",
                hint:
                    "a value is a \"string\", a number, true, false, a date, a time, an [array] or an { inline table }"
            )
        }
        var node = Node(kind: .invalid, start: start, end: pos)
        var problem: (message: String, hint: String?)?
        switch readNumberOrBoolean(start, pos) {
        case .integer(let value):
            node.kind = .integer
            node.payload = UInt64(bitPattern: value)
        case .float(let value):
            node.kind = .float
            node.payload = value.bitPattern
        case .boolean(let value):
            node.kind = .boolean
            node.payload = value ? 1 : 0
        case .failure(let message, let hint):
            problem = (message, hint)
        }
        let index = addChild(parent, key, node)
        if let problem { valueError(index, problem.message, hint: problem.hint) }
        return index
    }

    func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    func isValueByte(_ b: UInt8) -> Bool {
        isBareKeyByte(b) || b == 0x2B || b == 0x2E  // + .
    }

    func isDateOrTimeStart(_ p: Int) -> Bool {
        func digit(_ i: Int) -> Bool { i < text.count && isDigit(text[i]) }
        if digit(p + 1), p + 2 < text.count, text[p + 2] == 0x3A { return true }  // HH:
        return digit(p + 1) && digit(p + 2) && digit(p + 3) && p + 4 < text.count && text[p + 4] == 0x2D  // YYYY-
    }

    // MARK: - Source helpers shared with TOMLDocument

    /// The byte range of a key's content: a bare key, or between the quotes of a quoted one without escapes.
    static func keyContent(in text: UnsafeBufferPointer<UInt8>, at start: Int, quoted: Bool) -> Range<Int> {
        if quoted {
            let quote = text[start]
            var end = start + 1
            while end < text.count, text[end] != quote { end += 1 }
            return start + 1..<end
        }
        var end = start
        while end < text.count {
            let b = text[end]
            guard
                (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
                    || b == 0x2D
            else { break }
            end += 1
        }
        return start..<end
    }

    static func keyContent(in bytes: [UInt8], at start: Int, quoted: Bool) -> Range<Int> {
        bytes.withUnsafeBufferPointer { keyContent(in: $0, at: start, quoted: quoted) }
    }

    /// Where the key written at `start` ends (after its closing quote, if quoted).
    static func keyEnd(in bytes: [UInt8], at start: Int) -> Int {
        bytes.withUnsafeBufferPointer { text in
            guard start < text.count else { return start }
            let quote = text[start]
            guard quote == 0x22 || quote == 0x27 else {
                return keyContent(in: text, at: start, quoted: false).upperBound
            }
            var end = start + 1
            while end < text.count, text[end] != quote {
                end += quote == 0x22 && text[end] == 0x5C ? 2 : 1
            }
            return min(end + 1, text.count)
        }
    }

    /// Where the character at `offset` ends; throws when it is not valid UTF-8.
    func characterEnd(at offset: Int) throws(Failure) -> Int {
        let length = utf8Length(at: offset)
        if length == 0 { throw invalidUTF8(offset) }
        return offset + length
    }

    /// The length of the UTF-8 sequence at `offset`, or 0 if it is not valid UTF-8.
    func utf8Length(at offset: Int) -> Int {
        let b0 = text[offset]
        func continuation(_ i: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            offset + i < text.count && range.contains(text[offset + i])
        }
        switch b0 {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return continuation(1) ? 2 : 0
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE, 0xEF: return continuation(1) && continuation(2) ? 3 : 0
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default: return 0
        }
    }
}
