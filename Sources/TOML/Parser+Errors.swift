/// Recording errors, and the texts that say where and what.
extension Parser {
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
        message: TOMLText,
        hint: TOMLText? = nil
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
    mutating func valueError(_ node: Int32, _ message: TOMLText, hint: TOMLText?) {
        let n = nodes[Int(node)]
        nodes[Int(node)].kind = .invalid
        guard keepsAnotherError() else { return }
        let key = keyPath(appending: node)
        let value = String(decoding: text[Int(n.start)..<Int(n.end)], as: UTF8.self)
        pendingErrors.append(PendingError(offset: Int(n.start), key: key, value: value, message: message, hint: hint))
    }

    /// A description of the character at `offset`, for messages.
    func found(at offset: Int) -> TOMLText {
        guard offset < text.count else { return tr("the end of the file") }
        let b = text[offset]
        switch b {
        case 0x0A: return tr("the end of the line")
        case 0x0D: return tr("a carriage return")
        case 0x09: return tr("a tab")
        case 0x20: return tr("a space")
        case 0x00..<0x20, 0x7F: return tr("the control character U+%s", hex(b, 4))
        case 0x80...:
            let length = utf8Length(at: offset)
            if length == 0 { return tr("invalid UTF-8") }
            return TOMLText(verbatim: "\"\(String(decoding: text[offset..<offset + length], as: UTF8.self))\"")
        default: return TOMLText(verbatim: "\"\(Character(Unicode.Scalar(b)))\"")
        }
    }

    func hex(_ value: some BinaryInteger, _ digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    func invalidUTF8(_ offset: Int) -> Failure {
        Failure(
            offset,
            tr("invalid UTF-8 (byte 0x%s at offset %s)", hex(text[offset], 2), offset),
            hint: tr("save the file as UTF-8"),
            resume: offset + 1
        )
    }

    /// The failure for an unexpected character at `offset`.
    func unexpected(_ offset: Int, expected: TOMLText, hint: TOMLText? = nil) -> Failure {
        if offset < text.count, text[offset] >= 0x80, utf8Length(at: offset) == 0 { return invalidUTF8(offset) }
        return Failure(offset, tr("expected %s, found %s", expected, found(at: offset)), hint: hint)
    }
}
