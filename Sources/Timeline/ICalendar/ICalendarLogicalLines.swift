/// One unfolded content line: its bytes, and where each physical line it was made of starts in it.
struct LogicalLine {
    /// The bytes, line ends and fold markers removed.
    var bytes: ArraySlice<UInt8>
    /// 1-based physical line of its first byte.
    var line: Int
    /// 1-based physical line of its last part (`line` when it is not folded).
    var lastLine: Int
    /// For a folded line, where each continuation starts: (offset into `bytes`, physical line); that offset is
    /// the continuation's column 2 (its fold marker was column 1).
    var folds: [(offset: Int, line: Int)] = []

    /// The byte at `offset` from the start.
    subscript(offset: Int) -> UInt8 { bytes[bytes.startIndex + offset] }

    /// How many bytes.
    var count: Int { bytes.count }

    /// Line and column (counted in characters, Unicode scalars) of the byte at `offset`.
    func position(_ offset: Int) -> (line: Int, column: Int) {
        var start = 0
        var line = self.line
        var column = 1
        for fold in folds where fold.offset <= offset {
            (start, line, column) = (fold.offset, fold.line, 2)
        }
        for index in start..<min(offset, count) where self[index] & 0xC0 != 0x80 { column += 1 }
        return (line, column)
    }

    /// The position of the byte at `offset`, or of the last character when `offset` is past it.
    func clampedPosition(_ offset: Int) -> (line: Int, column: Int) {
        guard offset >= count else { return position(offset) }
        var last = max(0, count - 1)
        while last > 0, self[last] & 0xC0 == 0x80 { last -= 1 }
        return position(last)
    }

    /// The first `limit` characters as text.
    func prefix(characters limit: Int) -> String {
        var end = 0
        var characters = 0
        while end < count {
            if self[end] & 0xC0 != 0x80 {
                if characters == limit { break }
                characters += 1
            }
            end += 1
        }
        return String(decoding: bytes.prefix(end), as: UTF8.self)
    }
}

/// The logical lines of an iCalendar text, one at a time (RFC 5545 section 3.1): split on LF (a CR before it
/// dropped), a line starting with a space or tab joined to the one before, blank lines skipped, a byte order
/// mark at the start dropped.
///
/// A line that is not folded is a slice of the text; a folded one is joined in a buffer reused for the next.
struct LogicalLines {
    private let text: [UInt8]
    private var index: Int
    private var lineNumber = 0
    private var scratch: [UInt8] = []
    /// The physical line read ahead: where it starts and ends (without its line end), and its number.
    private var ahead: (start: Int, end: Int, line: Int)?

    init(_ text: [UInt8]) {
        self.text = text
        index = text.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        ahead = nextPhysical()
    }

    /// The next non-blank physical line.
    private mutating func nextPhysical() -> (start: Int, end: Int, line: Int)? {
        while index < text.count || (index == text.count && lineNumber == 0) {
            let start = index
            var end = start
            while end < text.count, text[end] != UInt8(ascii: "\n") { end += 1 }
            lineNumber += 1
            index = end + 1
            let content = end > start && text[end - 1] == UInt8(ascii: "\r") ? end - 1 : end
            if content > start { return (start, content, lineNumber) }
        }
        return nil
    }

    private func isContinuation(_ physical: (start: Int, end: Int, line: Int)) -> Bool {
        text[physical.start] == UInt8(ascii: " ") || text[physical.start] == UInt8(ascii: "\t")
    }

    /// The next logical line, or nil at the end.
    mutating func next() -> LogicalLine? {
        guard let first = ahead else { return nil }
        ahead = nextPhysical()
        // A continuation with no line before it is a line of its own (as the first line of a text).
        guard let following = ahead, isContinuation(following) else {
            return LogicalLine(bytes: text[first.start..<first.end], line: first.line, lastLine: first.line)
        }
        scratch.removeAll(keepingCapacity: true)
        scratch += text[first.start..<first.end]
        var folds: [(offset: Int, line: Int)] = []
        var last = first.line
        while let part = ahead, isContinuation(part) {
            folds.append((scratch.count, part.line))
            scratch += text[(part.start + 1)..<part.end]
            last = part.line
            ahead = nextPhysical()
        }
        return LogicalLine(bytes: scratch[...], line: first.line, lastLine: last, folds: folds)
    }
}

extension LogicalLine {
    /// The content line `NAME;PARAM=VALUE;PARAM="QUOTED":value`, or nil with the problem that makes it none.
    func contentLine(problems: inout [ICalendarParser.Problem]) -> ContentLine? {
        func isNameByte(_ c: UInt8) -> Bool {
            c == UInt8(ascii: "-") || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
        }
        /// An upper-cased name from ASCII letters, digits and hyphens.
        func name(_ range: Range<Int>) -> String {
            String(
                decoding: bytes[(bytes.startIndex + range.lowerBound)..<(bytes.startIndex + range.upperBound)]
                    .lazy.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 },
                as: UTF8.self
            )
        }
        func problem(_ offset: Int, _ message: LocalizedText) -> ContentLine? {
            let at = clampedPosition(offset)
            problems.append(ICalendarParser.Problem(line: at.line, column: at.column, message: message))
            return nil
        }
        var index = 0
        while index < count, isNameByte(self[index]) { index += 1 }
        guard index > 0, index < count, self[index] == UInt8(ascii: ";") || self[index] == UInt8(ascii: ":") else {
            return problem(
                index,
                .tr("not a content line (NAME:value or NAME;PARAM=value:value): \"%s\"", prefix(characters: 40))
            )
        }
        let propertyName = name(0..<index)
        var parameters: [ContentLine.Parameter] = []
        while index < count, self[index] == UInt8(ascii: ";") {
            index += 1
            let nameStart = index
            while index < count, isNameByte(self[index]) { index += 1 }
            guard index > nameStart, index < count, self[index] == UInt8(ascii: "=") else {
                return problem(index, .tr("%s: a parameter without =value", propertyName))
            }
            let parameterName = name(nameStart..<index)
            index += 1
            var values: [String] = []
            while true {
                let valueStart: Int
                let valueEnd: Int
                if index < count, self[index] == UInt8(ascii: "\"") {
                    index += 1
                    valueStart = index
                    while index < count, self[index] != UInt8(ascii: "\"") { index += 1 }
                    guard index < count else {
                        let at = position(nameStart)
                        problems.append(
                            ICalendarParser.Problem(
                                line: at.line,
                                column: at.column,
                                message: .tr("%s: unterminated quote in %s", propertyName, parameterName)
                            )
                        )
                        return nil
                    }
                    valueEnd = index
                    index += 1
                } else {
                    valueStart = index
                    while index < count, self[index] != UInt8(ascii: ";"), self[index] != UInt8(ascii: ":"),
                        self[index] != UInt8(ascii: ",")
                    {
                        index += 1
                    }
                    valueEnd = index
                }
                values.append(
                    Self.decodeCarets(bytes[(bytes.startIndex + valueStart)..<(bytes.startIndex + valueEnd)])
                )
                if index < count, self[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                break
            }
            parameters.append(ContentLine.Parameter(name: parameterName, values: values))
        }
        guard index < count, self[index] == UInt8(ascii: ":") else {
            return problem(index, .tr("%s: no \":\" before the value", propertyName))
        }
        let valueStart = position(index + 1)
        return ContentLine(
            name: propertyName,
            parameters: parameters,
            value: String(decoding: bytes[(bytes.startIndex + index + 1)...], as: UTF8.self),
            line: line,
            column: 1,
            valueLine: valueStart.line,
            valueColumn: valueStart.column
        )
    }

    /// RFC 6868: `^n` newline, `^'` double quote, `^^` caret.
    static func decodeCarets(_ value: ArraySlice<UInt8>) -> String {
        guard value.contains(UInt8(ascii: "^")) else { return String(decoding: value, as: UTF8.self) }
        var result: [UInt8] = []
        var index = value.startIndex
        while index < value.endIndex {
            if value[index] == UInt8(ascii: "^"), index + 1 < value.endIndex {
                switch value[index + 1] {
                case UInt8(ascii: "n"): result.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "'"): result.append(UInt8(ascii: "\""))
                case UInt8(ascii: "^"): result.append(UInt8(ascii: "^"))
                default:
                    result.append(UInt8(ascii: "^"))
                    index += 1
                    continue
                }
                index += 2
                continue
            }
            result.append(value[index])
            index += 1
        }
        return String(decoding: result, as: UTF8.self)
    }
}
