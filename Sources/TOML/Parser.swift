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
        var message: TOMLText
        var hint: TOMLText?

        init(_ offset: Int, _ message: TOMLText, hint: TOMLText? = nil, resume: Int? = nil) {
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
        var message: TOMLText
        var hint: TOMLText?
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
    func place(of node: Int32) -> TOMLText {
        let n = nodes[Int(node)]
        let offset = Int(n.flags.contains(.hasKey) ? n.keyStart : n.start)
        let position = TOMLPosition(offset: offset, in: text, lineStarts: lineStarts)
        return tr("line %s, column %s", position.line, position.column)
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
                throw Failure(pos, tr("a carriage return must be followed by a line feed"))
            }
            if isControl(b) { throw controlFailure(pos, inString: false) }
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
            throw unexpected(
                pos,
                expected: tr("the end of the line"),
                hint: tr("one key = value or [table] per line")
            )
        }
    }

    /// Blanks, comments and line ends, as allowed between the values of an array.
    mutating func skipArrayTrivia() throws(Failure) {
        while pos < text.count {
            switch text[pos] {
            case 0x20, 0x09, 0x0A: pos += 1
            case 0x0D:
                guard pos + 1 < text.count, text[pos + 1] == 0x0A else {
                    throw Failure(pos, tr("a carriage return must be followed by a line feed"))
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
            throw unexpected(
                pos,
                expected: TOMLText(verbatim: isArray ? "\"]]\"" : "\"]\""),
                hint: tr("a table header is [name] or [[name]]")
            )
        }
        pos += 1
        if isArray {
            guard pos < text.count, text[pos] == 0x5D else {
                throw unexpected(
                    pos,
                    expected: TOMLText(verbatim: "\"]]\""),
                    hint: tr("an array of tables header is [[name]]")
                )
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
                            tr("\"%s\" is already defined as %s, not an array of tables", name, describe(existing))
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
                            tr("\"%s\" is already defined as %s", name, describe(existing)),
                            hint: tr("a table is defined once; put all its keys under one [%s]", name)
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
                throw Failure(
                    part.start,
                    tr("\"%s\" is %s, which cannot take more keys", name, describe(existing))
                )
            }
        }
        table = current
        chain = resolved
        headerChainCount = chain.count
    }

    /// What a node is, for messages.
    func describe(_ node: Int32) -> TOMLText {
        let n = nodes[Int(node)]
        switch n.kind {
        case .table:
            if n.flags.contains(.frozen) { return tr("an inline table") }
            if n.flags.contains(.dotted) { return tr("a table by dotted keys") }
            return tr("a table")
        case .array: return n.flags.contains(.tableArray) ? tr("an array of tables") : tr("an array")
        default: return tr("a value")
        }
    }

    /// A table outside the tree, for the keys under a header that could not be read.
    mutating func detachedTable() -> Int32 {
        var node = Node(kind: .table)
        node.flags = [.defined]
        nodes.append(node)
        return Int32(nodes.count - 1)
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
