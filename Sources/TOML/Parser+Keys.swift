/// Dotted keys, and the nodes they name.
extension Parser {
    /// A dotted key into `keyParts`.
    mutating func parseKey() throws(Failure) {
        keyParts.removeAll(keepingCapacity: true)
        while true {
            skipBlanks()
            guard pos < text.count else { throw unexpected(pos, expected: tr("a key")) }
            let c = text[pos]
            if isBareKeyByte(c) {
                let start = pos
                while pos < text.count, isBareKeyByte(text[pos]) { pos += 1 }
                keyParts.append(KeyPart(start: start, contentStart: start, contentEnd: pos, quoted: false))
            } else if c == 0x22 || c == 0x27 {
                if pos + 2 < text.count, text[pos + 1] == c, text[pos + 2] == c {
                    throw Failure(
                        pos,
                        tr("a key cannot be a multi-line string"),
                        hint: tr("quote keys with \" or '")
                    )
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
                    expected: tr("a key"),
                    hint: tr("bare keys are made of A-Z a-z 0-9 _ -; others are quoted")
                )
            }
            if keyParts.count > limits.maximumKeyParts {
                throw Failure(
                    keyParts[0].start,
                    tr("a key or table name with more than %s dotted parts", limits.maximumKeyParts),
                    hint: tr("nothing in a timeline nests this deep; is this the right file?"),
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
                        tr(
                            "\"%s\" is already defined as %s, which dotted keys cannot add to",
                            name,
                            describe(existing)
                        ),
                        hint: node.kind == .table && !node.flags.contains(.frozen)
                            ? tr("put the key under the table's [header]") : nil
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
                tr("duplicate key \"%s\", already defined at %s", name, place(of: existing)),
                hint: tr("each key is defined once in a table")
            )
        }
        return current
    }
}
