/// Values: arrays and inline tables on a stack of frames, and the scalars inside them.
extension Parser {
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
            throw unexpected(pos, expected: tr("'=' after the key"), hint: tr("write key = value"))
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
            guard pos < text.count else { throw unexpected(pos, expected: tr("a value")) }
            let c = text[pos]
            if c == 0x5B || c == 0x7B {  // [ {
                if frames.count >= limits.maximumNestingDepth {
                    throw Failure(
                        pos,
                        tr(
                            "arrays and inline tables nested more than %s deep (nested value depth)",
                            limits.maximumNestingDepth
                        ),
                        hint: tr("nothing in a timeline nests this deep; is this the right file?")
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
                            throw unexpected(pos, expected: tr("',' or ']' in the array"))
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
                                expected: tr("',' or '}' in the inline table"),
                                hint: tr("an inline table is written on one line: { key = value, key = value }")
                            )
                        }
                        pos += 1
                        skipBlanks()
                        if pos < text.count, text[pos] == 0x7D {
                            throw Failure(pos, tr("a comma before '}' (a trailing comma) in an inline table"))
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
                expected: tr("a value"),
                hint: tr(
                    "a value is a \"string\", a number, true, false, a date, a time, an [array] or an { inline table }"
                )
            )
        }
        var node = Node(kind: .invalid, start: start, end: pos)
        var problem: (message: TOMLText, hint: TOMLText?)?
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
}
