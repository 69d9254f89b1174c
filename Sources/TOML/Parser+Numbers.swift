/// Integers, floats and booleans.
extension Parser {
    enum Scalar {
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        case failure(TOMLText, hint: TOMLText?)
    }

    static let valueHint = tr(
        "accepted: integers (%s), floats (%s), true, false; text needs quotes",
        "42, -7, 1_000, 0x2A, 0o52, 0b101010",
        "3.14, -1e6, inf, nan"
    )

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
                return .failure(tr("a hexadecimal, octal or binary integer cannot have a sign"), hint: Self.valueHint)
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
            guard valid, i == end else { return .failure(tr("not a valid number"), hint: Self.valueHint) }
            guard !overflow, value <= UInt64(Int64.max) else {
                return .failure(tr("an integer out of range (the largest is %s)", "0x7FFFFFFFFFFFFFFF"), hint: nil)
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
            return .failure(tr("not a valid value"), hint: Self.valueHint)
        }
        if text[integerStart] == 0x30, i > integerStart + 1 {
            return .failure(
                tr("a number with a leading zero"),
                hint: tr("write 7, not 07; dates are written 2027-06-10")
            )
        }
        var isFloat = false
        if i < end, text[i] == 0x2E {
            i += 1
            guard digitRun(&i, end, radix: 10, { _ in }) else {
                return .failure(tr("a float needs digits after its decimal point"), hint: tr("e.g. 3.0"))
            }
            isFloat = true
        }
        if i < end, text[i] == 0x65 || text[i] == 0x45 {
            i += 1
            if i < end, text[i] == 0x2B || text[i] == 0x2D { i += 1 }
            guard digitRun(&i, end, radix: 10, { _ in }) else {
                return .failure(tr("a float's exponent needs digits"), hint: tr("e.g. 1e6 or 2.5E-3"))
            }
            isFloat = true
        }
        guard i == end else { return .failure(tr("not a valid value"), hint: Self.valueHint) }
        if isFloat {
            var digits = ""
            digits.reserveCapacity(end - start)
            for b in text[start..<end] where b != 0x5F { digits.unicodeScalars.append(Unicode.Scalar(b)) }
            guard let value = Double(digits) else { return .failure(tr("not a valid float"), hint: Self.valueHint) }
            return .float(value)
        }
        if sign == 0x2D {
            guard !overflow, magnitude <= UInt64(Int64.max) + 1 else {
                return .failure(tr("an integer out of range (the smallest is %s)", "-9223372036854775808"), hint: nil)
            }
            return .integer(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude))
        }
        guard !overflow, magnitude <= UInt64(Int64.max) else {
            return .failure(tr("an integer out of range (the largest is %s)", "9223372036854775807"), hint: nil)
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
}
