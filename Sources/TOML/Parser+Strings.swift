/// Basic, literal and multi-line strings, and their escapes.
extension Parser {
    /// A lexed string: its content in the source, or decoded when it had escapes or CRLF line ends.
    struct StringToken {
        var contentStart: Int
        var contentEnd: Int
        var decoded: [UInt8]?
        /// Just after the closing delimiter.
        var end: Int
    }

    static let escapeHint = tr("accepted escapes: %s", #"\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX"#)

    /// A control character other than tab, which TOML allows in no string and no comment.
    func isControl(_ b: UInt8) -> Bool { (b < 0x20 && b != 0x09) || b == 0x7F }

    func controlFailure(_ p: Int, inString: Bool) -> Failure {
        inString
            ? Failure(
                p,
                tr("the control character U+%s in a string", hex(text[p], 4)),
                hint: tr("write it as an escape such as %s or %s", "\\t", "\\u0007")
            )
            : Failure(p, tr("the control character U+%s in a comment", hex(text[p], 4)))
    }

    /// The character at `p` of a string, taken as written: added to `decoded` when the string is being decoded;
    /// a control character or invalid UTF-8 is an error. Returns where the character ends.
    func character(at p: Int, into decoded: inout [UInt8]?) throws(Failure) -> Int {
        if isControl(text[p]) { throw controlFailure(p, inString: true) }
        let end = try characterEnd(at: p)
        decoded?.append(contentsOf: text[p..<end])
        return end
    }

    /// `"..."` (escapes) or `'...'` (no escapes), on one line; the quote is the one at `start`.
    func lexString(at start: Int) throws(Failure) -> StringToken {
        let quote = text[start]
        var p = start + 1
        var decoded: [UInt8]?
        while true {
            guard p < text.count, text[p] != 0x0A, text[p] != 0x0D else {
                throw Failure(
                    start,
                    tr("a string that is not closed on its line"),
                    hint: tr("end it with %s before the line ends", quote == 0x22 ? "\"" : "'"),
                    resume: p
                )
            }
            let b = text[p]
            if b == quote { return StringToken(contentStart: start + 1, contentEnd: p, decoded: decoded, end: p + 1) }
            if b == 0x5C && quote == 0x22 {
                if decoded == nil { decoded = Array(text[start + 1..<p]) }
                p = try escape(at: p, into: &decoded!)
            } else {
                p = try character(at: p, into: &decoded)
            }
        }
    }

    /// `"""..."""` (escapes, line ends, and a backslash at a line's end that joins it to the next) or
    /// `'''...'''` (line ends, no escapes); the quotes are those at `start`.
    func lexMultilineString(at start: Int) throws(Failure) -> StringToken {
        let quote = text[start]
        let delimiter = quote == 0x22 ? "\"\"\"" : "'''"
        var p = start + 3
        // A line end right after the opening delimiter is not part of the string.
        if p < text.count, text[p] == 0x0A {
            p += 1
        } else if p + 1 < text.count, text[p] == 0x0D, text[p + 1] == 0x0A {
            p += 2
        }
        let contentStart = p
        var decoded: [UInt8]?
        while true {
            guard p < text.count else {
                throw Failure(start, tr("a multi-line string without its closing %s", delimiter), resume: text.count)
            }
            let b = text[p]
            if b == quote {
                var q = p
                while q < text.count, text[q] == quote { q += 1 }
                let run = q - p
                if run >= 3 {
                    // Up to two quotes may stand just before the closing delimiter.
                    if run > 5 {
                        throw Failure(
                            p,
                            tr("more than two quotes before the closing %s", delimiter),
                            hint: quote == 0x22
                                ? tr("escape them as %s", "\\\"")
                                : tr("use a %s with %s escapes", "\"\"\"string\"\"\"", "\\'")
                        )
                    }
                    decoded?.append(contentsOf: repeatElement(quote, count: run - 3))
                    return StringToken(contentStart: contentStart, contentEnd: p + run - 3, decoded: decoded, end: q)
                }
                decoded?.append(contentsOf: text[p..<q])
                p = q
            } else if b == 0x5C && quote == 0x22 {
                if decoded == nil { decoded = Array(text[contentStart..<p]) }
                var q = p + 1
                while q < text.count, text[q] == 0x20 || text[q] == 0x09 { q += 1 }
                if q < text.count, text[q] == 0x0A || (text[q] == 0x0D && q + 1 < text.count && text[q + 1] == 0x0A) {
                    // A line-ending backslash: the line end and the blanks and line ends after it go.
                    while q < text.count {
                        if text[q] == 0x20 || text[q] == 0x09 || text[q] == 0x0A {
                            q += 1
                        } else if text[q] == 0x0D, q + 1 < text.count, text[q + 1] == 0x0A {
                            q += 2
                        } else {
                            break
                        }
                    }
                    p = q
                } else {
                    p = try escape(at: p, into: &decoded!)
                }
            } else if b == 0x0A {
                decoded?.append(b)
                p += 1
            } else if b == 0x0D {
                guard p + 1 < text.count, text[p + 1] == 0x0A else {
                    throw Failure(p, tr("a carriage return must be followed by a line feed"))
                }
                if decoded == nil { decoded = Array(text[contentStart..<p]) }
                decoded!.append(0x0A)
                p += 2
            } else {
                p = try character(at: p, into: &decoded)
            }
        }
    }

    /// The escape at `p` (a backslash) into `out`; returns the offset after it.
    func escape(at p: Int, into out: inout [UInt8]) throws(Failure) -> Int {
        guard p + 1 < text.count else { throw Failure(p, tr("a backslash at the end of the file")) }
        let e = text[p + 1]
        switch e {
        case 0x62: out.append(0x08)  // b
        case 0x74: out.append(0x09)  // t
        case 0x6E: out.append(0x0A)  // n
        case 0x66: out.append(0x0C)  // f
        case 0x72: out.append(0x0D)  // r
        case 0x22: out.append(0x22)
        case 0x5C: out.append(0x5C)
        case 0x75, 0x55:  // u U
            let count = e == 0x75 ? 4 : 8
            var value: UInt32 = 0
            for i in 0..<count {
                guard p + 2 + i < text.count, let digit = hexValue(text[p + 2 + i]) else {
                    throw Failure(
                        p,
                        tr("%s needs %s hexadecimal digits", e == 0x75 ? "\\u" : "\\U", count),
                        hint: Self.escapeHint
                    )
                }
                value = value << 4 | UInt32(digit)
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw Failure(
                    p,
                    tr("%s is not a Unicode scalar value", (e == 0x75 ? "\\u" : "\\U") + hex(value, count)),
                    hint: tr("accepted: U+0000 to U+D7FF and U+E000 to U+10FFFF")
                )
            }
            UTF8.encode(scalar) { out.append($0) }
            return p + 2 + count
        default:
            throw Failure(p, tr("an invalid escape \\%s", found(at: p + 1).trimmingQuotes), hint: Self.escapeHint)
        }
        return p + 2
    }

    func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }
}

extension TOMLText {
    /// The character without the double quotes `found(at:)` puts around it.
    fileprivate var trimmingQuotes: TOMLText {
        guard !isMarked, template.count >= 2, template.hasPrefix("\""), template.hasSuffix("\"") else { return self }
        return TOMLText(verbatim: String(template.dropFirst().dropLast()))
    }
}
