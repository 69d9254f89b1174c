/// One content line of an iCalendar file, unfolded, with where it came from.
public struct ContentLine: Sendable, Hashable {
    /// A parameter: `TZID=Europe/Paris`, `VALUE=DATE`; a list (`MEMBER="a","b"`) has several values.
    public struct Parameter: Sendable, Hashable {
        /// The name, upper case.
        public var name: String
        /// The values, unquoted, RFC 6868 carets decoded.
        public var values: [String]
    }

    /// The property name, upper case (`DTSTART`, `X-WR-ALARMUID`).
    public var name: String
    /// The parameters, in order.
    public var parameters: [Parameter]
    /// The raw value (escapes not yet decoded).
    public var value: String
    /// 1-based line of the name.
    public var line: Int
    /// 1-based column of the name.
    public var column: Int
    /// Line and column of the first character of the value.
    public var valueLine: Int
    /// Column of the first character of the value.
    public var valueColumn: Int

    /// The first value of parameter `name`, if present.
    public func parameter(_ name: String) -> String? {
        parameters.first { $0.name == name }?.values.first
    }
}

/// A component (`VCALENDAR`, `VEVENT`, `VALARM`...) with its properties and sub-components.
public struct ICalendarComponent: Sendable, Hashable {
    /// The component name, upper case.
    public var name: String
    /// The properties, in order.
    public var properties: [ContentLine]
    /// The sub-components, in order.
    public var components: [ICalendarComponent]
    /// Line of its `BEGIN`.
    public var line: Int

    /// The first property called `name`.
    public func property(_ name: String) -> ContentLine? { properties.first { $0.name == name } }

    /// Every property called `name`.
    public func properties(_ name: String) -> [ContentLine] { properties.filter { $0.name == name } }
}

/// Reads the content lines of an iCalendar stream into components (RFC 5545 section 3.1 and 3.4), with every
/// problem located at its line and column.
///
/// Lenient where real files are sloppy: LF without CR, a tab as fold marker, a byte order mark, blank lines.
public struct ICalendarParser: Sendable {
    /// A problem found while reading.
    public struct Problem: Sendable, Hashable {
        /// 1-based line.
        public var line: Int
        /// 1-based column.
        public var column: Int
        /// What is wrong, in any language.
        public var text: LocalizedText
        /// Whether the line is left out; otherwise the reader repaired the structure around it (closed a
        /// component at an END of an outer one, or at the end of the text).
        public var skipsLine = true

        /// What is wrong, in English.
        public var message: String { text.description }

        /// A problem at `line` and `column` saying `message`.
        public init(line: Int, column: Int, message: LocalizedText, skipsLine: Bool = true) {
            self.line = line
            self.column = column
            self.text = message
            self.skipsLine = skipsLine
        }
    }

    /// The top-level components (normally one VCALENDAR).
    public private(set) var components: [ICalendarComponent] = []
    /// Every problem, in file order.
    public private(set) var problems: [Problem] = []

    /// The longest content line read, in bytes once unfolded; a longer one is skipped.
    public static let maximumLineLength = 1 << 20
    /// The most components read from one text; what follows the last one is skipped.
    public static let maximumComponents = 500_000
    /// How deep components may nest (VCALENDAR, VEVENT, VALARM is 3); a deeper one is skipped with what it holds.
    public static let maximumDepth = 16

    /// Parses `text`.
    public init(_ text: String) { self.init(bytes: Array(text.utf8)) }

    /// Parses the UTF-8 `bytes` (an invalid sequence is read as U+FFFD).
    public init(bytes: [UInt8]) { self.init(bytes: bytes, maximumComponents: Self.maximumComponents) }

    /// Parses `bytes`, reading at most `maximumComponents` components (the tests' small limit).
    init(bytes: [UInt8], maximumComponents: Int) {
        var stack: [ICalendarComponent] = []
        var componentCount = 0
        // Components nested too deep are skipped whole: their BEGINs not yet matched by an END.
        var skippedDepth = 0
        var lines = LogicalLines(bytes)
        reading: while let logical = lines.next() {
            if logical.count > Self.maximumLineLength {
                problems.append(
                    Problem(
                        line: logical.line,
                        column: 1,
                        message: .tr("a line of %s bytes; the limit is %s", logical.count, Self.maximumLineLength)
                    )
                )
                continue
            }
            guard let line = logical.contentLine(problems: &problems) else { continue }
            if skippedDepth > 0 {
                if line.name == "BEGIN" { skippedDepth += 1 }
                if line.name == "END" { skippedDepth -= 1 }
                continue
            }
            switch line.name {
            case "BEGIN":
                let name = line.value.uppercased()
                guard !name.isEmpty else {
                    problems.append(
                        Problem(
                            line: line.line,
                            column: line.valueColumn,
                            message: .tr("BEGIN without a component name")
                        )
                    )
                    continue
                }
                guard stack.count < Self.maximumDepth else {
                    problems.append(
                        Problem(
                            line: line.line,
                            column: line.valueColumn,
                            message: .tr(
                                "BEGIN:%s nested %s deep; the limit is %s, so it is skipped with what it holds",
                                name,
                                stack.count + 1,
                                Self.maximumDepth
                            )
                        )
                    )
                    skippedDepth = 1
                    continue
                }
                componentCount += 1
                guard componentCount <= maximumComponents else {
                    problems.append(
                        Problem(
                            line: line.line,
                            column: line.column,
                            message: .tr("more than %s components; the rest of the file is skipped", maximumComponents)
                        )
                    )
                    break reading
                }
                stack.append(ICalendarComponent(name: name, properties: [], components: [], line: line.line))
            case "END":
                let name = line.value.uppercased()
                guard let open = stack.last else {
                    problems.append(
                        Problem(line: line.line, column: line.column, message: .tr("END:%s without a BEGIN", name))
                    )
                    continue
                }
                if open.name != name {
                    problems.append(
                        Problem(
                            line: line.line,
                            column: line.valueColumn,
                            message: .tr("END:%s does not close BEGIN:%s of line %s", name, open.name, open.line),
                            skipsLine: !stack.contains { $0.name == name }
                        )
                    )
                    // Close up to the matching BEGIN if there is one; else ignore this END.
                    guard stack.contains(where: { $0.name == name }) else { continue }
                    while let top = stack.last, top.name != name { close(&stack, top) }
                }
                close(&stack, stack.last!)
            default:
                guard !stack.isEmpty else {
                    problems.append(
                        Problem(
                            line: line.line,
                            column: line.column,
                            message: .tr("%s outside any component", line.name)
                        )
                    )
                    continue
                }
                stack[stack.count - 1].properties.append(line)
            }
        }
        while let open = stack.last {
            problems.append(
                Problem(
                    line: open.line,
                    column: 1,
                    message: .tr("BEGIN:%s is never closed (END:%s)", open.name, open.name),
                    skipsLine: false
                )
            )
            close(&stack, open)
        }
    }

    private mutating func close(_ stack: inout [ICalendarComponent], _ component: ICalendarComponent) {
        stack.removeLast()
        if stack.isEmpty {
            components.append(component)
        } else {
            stack[stack.count - 1].components.append(component)
        }
    }
}

/// Reading RFC 5545 values.
public enum ICalendarValue {
    /// A TEXT value unescaped: `\\n` and `\\N` newline, `\\,` `\\;` `\\\\`.
    public static func text(_ raw: String) -> String {
        guard raw.utf8.contains(UInt8(ascii: "\\")) else { return raw }
        var result = ""
        var escaping = false
        for c in raw {
            if escaping {
                switch c {
                case "n", "N": result.append("\n")
                default: result.append(c)
                }
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                result.append(c)
            }
        }
        return result
    }

    /// A list of TEXT values split on unescaped commas, each unescaped.
    public static func textList(_ raw: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaping = false
        for c in raw {
            if escaping {
                current.append("\\")
                current.append(c)
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else if c == "," {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current)
        return parts.map(text).map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// A DATE or DATE-TIME value.
    public enum Time: Sendable, Hashable {
        /// `20270607`.
        case date(CivilDate)
        /// `20270607T090000`: local (or floating) time.
        case local(CivilDateTime)
        /// `20270607T070000Z`.
        case utc(CivilDateTime)

        /// Whether it is a DATE.
        public var isDate: Bool {
            if case .date = self { return true }
            return false
        }
    }

    /// Parses `YYYYMMDD`, `YYYYMMDDTHHMMSS` or `YYYYMMDDTHHMMSSZ`; nil when it is none of them.
    public static func time(_ raw: String) -> Time? {
        let u = Array(raw.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= u.count else { return nil }
            var n = 0
            for i in range {
                guard u[i] >= 0x30, u[i] <= 0x39 else { return nil }
                n = n * 10 + Int(u[i] - 0x30)
            }
            return n
        }
        guard u.count >= 8, let y = digits(0..<4), let m = digits(4..<6), let d = digits(6..<8),
            let date = CivilDate(year: y, month: m, day: d)
        else { return nil }
        if u.count == 8 { return .date(date) }
        guard u.count == 15 || (u.count == 16 && (u[15] == UInt8(ascii: "Z") || u[15] == UInt8(ascii: "z"))),
            u[8] == UInt8(ascii: "T") || u[8] == UInt8(ascii: "t"),
            let h = digits(9..<11), let mi = digits(11..<13), let s = digits(13..<15),
            // A leap second (60) is read as 59.
            let time = CivilDateTime(date: date, hour: h, minute: mi, second: min(s, 59))
        else { return nil }
        return u.count == 16 ? .utc(time) : .local(time)
    }

    /// A DURATION: `-P1D`, `PT15M`, `P1W`, `-P29DT15H`; nominal days (weeks as 7 days) and exact seconds,
    /// both carrying the sign. Nil when malformed.
    public static func duration(_ raw: String) -> (days: Int, seconds: Int64)? {
        var u = Substring(raw.uppercased())
        var sign = 1
        if u.first == "+" || u.first == "-" {
            sign = u.first == "-" ? -1 : 1
            u = u.dropFirst()
        }
        guard u.first == "P" else { return nil }
        u = u.dropFirst()
        var days = 0
        var seconds: Int64 = 0
        var inTime = false
        var number = ""
        var sawAny = false
        for c in u {
            if c.isASCII, c.isNumber {
                number.append(c)
                continue
            }
            if c == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            guard let n = Int(number), n <= 100_000_000 else { return nil }
            number = ""
            sawAny = true
            switch (c, inTime) {
            case ("W", false): days += 7 * n
            case ("D", false): days += n
            case ("H", true): seconds += Int64(n) * 3600
            case ("M", true): seconds += Int64(n) * 60
            case ("S", true): seconds += Int64(n)
            default: return nil
            }
        }
        guard number.isEmpty, sawAny else { return nil }
        return (sign * days, Int64(sign) * seconds)
    }

    /// A UTC-OFFSET: `+0200`, `-0500`, `+053000`, in seconds east of UTC.
    public static func utcOffset(_ raw: String) -> Int? {
        let u = Array(raw.utf8)
        guard u.count == 5 || u.count == 7, u[0] == UInt8(ascii: "+") || u[0] == UInt8(ascii: "-"),
            u.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else { return nil }
        let n = u.dropFirst().map { Int($0 - 0x30) }
        let seconds = (n[0] * 10 + n[1]) * 3600 + (n[2] * 10 + n[3]) * 60 + (u.count == 7 ? n[4] * 10 + n[5] : 0)
        return u[0] == UInt8(ascii: "-") ? -seconds : seconds
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
