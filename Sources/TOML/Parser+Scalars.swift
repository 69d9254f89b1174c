/// Strings, numbers, booleans, dates and times.
extension Parser {
    /// A lexed string: its content in the source, or decoded when it had escapes or CRLF line ends.
    struct StringToken {
        var contentStart: Int
        var contentEnd: Int
        var decoded: [UInt8]?
        /// Just after the closing delimiter.
        var end: Int
    }

    static let escapeHint = #"accepted escapes: \b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX"#

    /// A control character other than tab, which TOML allows in no string and no comment.
    func isControl(_ b: UInt8) -> Bool { (b < 0x20 && b != 0x09) || b == 0x7F }

    func controlFailure(_ p: Int, in what: String) -> Failure {
        Failure(
            p,
            "the control character U+\(hex(text[p], 4)) in \(what)",
            hint: what == "a string" ? "write it as an escape such as \\t or \\u0007" : nil
        )
    }

    /// The character at `p` of a string, taken as written: added to `decoded` when the string is being decoded;
    /// a control character or invalid UTF-8 is an error. Returns where the character ends.
    func character(at p: Int, into decoded: inout [UInt8]?) throws(Failure) -> Int {
        if isControl(text[p]) { throw controlFailure(p, in: "a string") }
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
                    "a string that is not closed on its line",
                    hint: "end it with \(quote == 0x22 ? "\"" : "'") before the line ends",
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
                throw Failure(start, "a multi-line string without its closing \(delimiter)", resume: text.count)
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
                            "more than two quotes before the closing \(delimiter)",
                            hint: quote == 0x22 ? "escape them as \\\"" : "use a \"\"\"string\"\"\" with \\' escapes"
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
                    throw Failure(p, "a carriage return must be followed by a line feed")
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
        guard p + 1 < text.count else { throw Failure(p, "a backslash at the end of the file") }
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
                        "\\\(e == 0x75 ? "u" : "U") needs \(count) hexadecimal digits",
                        hint: Self.escapeHint
                    )
                }
                value = value << 4 | UInt32(digit)
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw Failure(
                    p,
                    "\\\(e == 0x75 ? "u" : "U")\(hex(value, count)) is not a Unicode scalar value",
                    hint: "accepted: U+0000 to U+D7FF and U+E000 to U+10FFFF"
                )
            }
            UTF8.encode(scalar) { out.append($0) }
            return p + 2 + count
        default:
            throw Failure(p, "an invalid escape \\\(found(at: p + 1).trimmingQuotes)", hint: Self.escapeHint)
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

    // MARK: - Numbers and booleans

    enum Scalar {
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        case failure(String, hint: String?)
    }

    static let valueHint =
        "accepted: integers (42, -7, 1_000, 0x2A, 0o52, 0b101010), floats (3.14, -1e6, inf, nan), true, false; text needs quotes"

    /// The number or boolean written in `start..<end`.
    func readNumberOrBoolean(_ start: Int, _ end: Int) -> Scalar {
        let token = text[start..<end]
        if token.elementsEqual("true".utf8) { return .boolean(true) }
        if token.elementsEqual("false".utf8) { return .boolean(false) }
        var i = start
        var sign: UInt8?
        if text[i] == 0x2B || text[i] == 0x2D {
            sign = text[i]
            i += 1
        }
        let unsigned = text[i..<end]
        if unsigned.elementsEqual("inf".utf8) { return .float(sign == 0x2D ? -.infinity : .infinity) }
        if unsigned.elementsEqual("nan".utf8) { return .float(sign == 0x2D ? -.nan : .nan) }
        if i + 1 < end, text[i] == 0x30, let radix = radix(text[i + 1]) {
            guard sign == nil else {
                return .failure("a hexadecimal, octal or binary integer cannot have a sign", hint: Self.valueHint)
            }
            i += 2
            var value: UInt64 = 0
            var overflow = false
            let valid = digitRun(&i, end, radix: radix) { digit in
                let (shifted, o1) = value.multipliedReportingOverflow(by: UInt64(radix))
                let (sum, o2) = shifted.addingReportingOverflow(UInt64(digit))
                overflow = overflow || o1 || o2
                value = sum
            }
            guard valid, i == end else { return .failure("not a valid number", hint: Self.valueHint) }
            guard !overflow, value <= UInt64(Int64.max) else {
                return .failure("an integer out of range (the largest is 0x7FFFFFFFFFFFFFFF)", hint: nil)
            }
            return .integer(Int64(value))
        }
        let integerStart = i
        var magnitude: UInt64 = 0
        var overflow = false
        guard
            digitRun(
                &i,
                end,
                radix: 10,
                { digit in
                    let (shifted, o1) = magnitude.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = shifted.addingReportingOverflow(UInt64(digit))
                    overflow = overflow || o1 || o2
                    magnitude = sum
                }
            )
        else {
            return .failure("not a valid value", hint: Self.valueHint)
        }
        if text[integerStart] == 0x30, i > integerStart + 1 {
            return .failure("a number with a leading zero", hint: "write 7, not 07; dates are written 2027-06-10")
        }
        var isFloat = false
        if i < end, text[i] == 0x2E {
            i += 1
            guard digitRun(&i, end, radix: 10, { _ in }) else {
                return .failure("a float needs digits after its decimal point", hint: "e.g. 3.0")
            }
            isFloat = true
        }
        if i < end, text[i] == 0x65 || text[i] == 0x45 {
            i += 1
            if i < end, text[i] == 0x2B || text[i] == 0x2D { i += 1 }
            guard digitRun(&i, end, radix: 10, { _ in }) else {
                return .failure("a float's exponent needs digits", hint: "e.g. 1e6 or 2.5E-3")
            }
            isFloat = true
        }
        guard i == end else { return .failure("not a valid value", hint: Self.valueHint) }
        if isFloat {
            var digits = ""
            digits.reserveCapacity(end - start)
            for b in text[start..<end] where b != 0x5F { digits.unicodeScalars.append(Unicode.Scalar(b)) }
            guard let value = Double(digits) else { return .failure("not a valid float", hint: Self.valueHint) }
            return .float(value)
        }
        if sign == 0x2D {
            guard !overflow, magnitude <= UInt64(Int64.max) + 1 else {
                return .failure("an integer out of range (the smallest is -9223372036854775808)", hint: nil)
            }
            return .integer(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude))
        }
        guard !overflow, magnitude <= UInt64(Int64.max) else {
            return .failure("an integer out of range (the largest is 9223372036854775807)", hint: nil)
        }
        return .integer(Int64(magnitude))
    }

    func radix(_ b: UInt8) -> Int? {
        switch b {
        case 0x78: 16  // x
        case 0x6F: 8  // o
        case 0x62: 2  // b
        default: nil
        }
    }

    /// Digits of `radix`, with single underscores between digits; false if there is no digit at `i`.
    func digitRun(_ i: inout Int, _ end: Int, radix: Int, _ each: (UInt8) -> Void) -> Bool {
        func digit(_ b: UInt8) -> UInt8? {
            guard let value = hexValue(b), Int(value) < radix else { return nil }
            return value
        }
        guard i < end, let first = digit(text[i]) else { return false }
        each(first)
        i += 1
        while i < end {
            if let d = digit(text[i]) {
                each(d)
                i += 1
            } else if text[i] == 0x5F, i + 1 < end, let d = digit(text[i + 1]) {
                each(d)
                i += 2
            } else {
                break
            }
        }
        return true
    }

    // MARK: - Dates and times

    static let dateHint =
        "accepted: a date 2027-06-10, a date-time 2027-06-10T13:00:00 (optionally with Z or an offset such as +02:00), a time 13:00:00"

    /// A date, date-time or time at `pos`, added under `key` of `parent`. A value of the right shape but
    /// impossible (February 30, hour 25) is an `.invalid` node with an error, and reading goes on.
    mutating func parseDateTime(parent: Int32, key: KeyPart?) -> Int32 {
        let start = pos
        var p = pos
        let text = self.text
        func number(_ count: Int) -> Int? {
            guard p + count <= text.count else { return nil }
            var value = 0
            for i in p..<p + count {
                guard text[i] >= 0x30, text[i] <= 0x39 else { return nil }
                value = value * 10 + Int(text[i] - 0x30)
            }
            p += count
            return value
        }
        func literal(_ b: UInt8) -> Bool {
            guard p < text.count, text[p] == b else { return false }
            p += 1
            return true
        }
        var t = Temporal()
        var hour = 0
        var minute = 0
        var second = 0
        var offsetHour = 0
        var offsetMinute = 0
        func time() -> Bool {
            guard let h = number(2), literal(0x3A), let m = number(2), literal(0x3A), let s = number(2) else {
                return false
            }
            (hour, minute, second) = (h, m, s)
            if literal(0x2E) {
                var digits = 0
                var nanosecond = 0
                while p < text.count, text[p] >= 0x30, text[p] <= 0x39 {
                    if digits < 9 { nanosecond = nanosecond * 10 + Int(text[p] - 0x30) }
                    digits += 1
                    p += 1
                }
                guard digits > 0 else { return false }
                for _ in digits..<max(digits, 9) { nanosecond *= 10 }
                t.nanosecond = Int32(nanosecond)
            }
            return true
        }
        var kind = Kind.date
        var year = 0
        var month = 0
        var day = 0
        var ok: Bool
        if start + 2 < text.count, text[start + 2] == 0x3A {
            kind = .time
            ok = time()
        } else if let y = number(4), literal(0x2D), let m = number(2), literal(0x2D), let d = number(2) {
            (year, month, day) = (y, m, d)
            ok = true
            if p < text.count {
                let b = text[p]
                let spaceThenTime =
                    b == 0x20 && p + 3 < text.count && text[p + 1] >= 0x30 && text[p + 1] <= 0x39
                    && text[p + 2] >= 0x30 && text[p + 2] <= 0x39 && text[p + 3] == 0x3A
                if b == 0x54 || b == 0x74 || spaceThenTime {  // T t
                    p += 1
                    kind = .dateTime
                    ok = time()
                    if ok, p < text.count {
                        if text[p] == 0x5A || text[p] == 0x7A {  // Z z
                            p += 1
                            t.hasOffset = true
                        } else if text[p] == 0x2B || text[p] == 0x2D {
                            let negative = text[p] == 0x2D
                            p += 1
                            if let h = number(2), literal(0x3A), let m = number(2) {
                                (offsetHour, offsetMinute) = (h, m)
                                t.hasOffset = true
                                t.offsetMinutes = Int16((h * 60 + m) * (negative ? -1 : 1))
                            } else {
                                ok = false
                            }
                        }
                    }
                }
            }
        } else {
            ok = false
        }
        // Something glued on (`2027-06-10x`, `13:00:00.`) makes the whole token invalid.
        if ok, p < text.count, isValueByte(text[p]) || text[p] == 0x3A { ok = false }
        if !ok {
            p = start
            while p < text.count, isValueByte(text[p]) || text[p] == 0x3A { p += 1 }
        }
        pos = p
        var node = Node(kind: kind, start: start, end: p)
        var problem: String?
        if !ok {
            problem = "not a valid date or time"
        } else if kind != .time, !(1...12).contains(month) {
            problem = "not a valid date: there is no month \(month)"
        } else if kind != .time, day < 1 || day > Self.daysIn(month: month, year: year) {
            problem =
                day < 1
                ? "not a valid date: days start at 01"
                : "not a valid date: \(Self.monthNames[month - 1]) \(year) has \(Self.daysIn(month: month, year: year)) days"
        } else if kind != .date, hour > 23 {
            problem = "not a valid time: hours go from 00 to 23"
        } else if kind != .date, minute > 59 {
            problem = "not a valid time: minutes go from 00 to 59"
        } else if kind != .date, second > 60 {
            problem = "not a valid time: seconds go from 00 to 59 (60 for a leap second)"
        } else if offsetHour > 23 || offsetMinute > 59 {
            problem = "not a valid offset: at most ±23:59"
        }
        if problem == nil {
            t.year = Int16(year)
            t.month = UInt8(month)
            t.day = UInt8(day)
            t.hour = UInt8(hour)
            t.minute = UInt8(minute)
            t.second = UInt8(second)
            node.payload = appendTemporal(t)
        } else {
            node.kind = .invalid
        }
        let index = addChild(parent, key, node)
        if let problem { valueError(index, problem, hint: Self.dateHint) }
        return index
    }

    mutating func appendTemporal(_ temporal: Temporal) -> UInt64 {
        temporals.append(temporal)
        return UInt64(temporals.count - 1)
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension String {
    /// The text without the double quotes `found(at:)` puts around a character.
    fileprivate var trimmingQuotes: String {
        guard count >= 2, hasPrefix("\""), hasSuffix("\"") else { return self }
        return String(dropFirst().dropLast())
    }
}
