/// A place in a TOML source: 1-based line, 1-based column in characters (Unicode scalars), and the 0-based
/// byte offset.
public struct TOMLPosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int
    /// 0-based offset in bytes from the start of the source.
    public var offset: Int

    /// `line:column`.
    public var description: String { "\(line):\(column)" }

    /// Source order: by byte offset.
    public static func < (lhs: TOMLPosition, rhs: TOMLPosition) -> Bool { lhs.offset < rhs.offset }
}

extension TOMLPosition {
    /// The position of byte `offset` of `text`, whose lines start at the byte offsets `lineStarts`.
    init(offset: Int, in text: UnsafeBufferPointer<UInt8>, lineStarts: [UInt32]) {
        // The last line starting at or before `offset`.
        var line = 0
        var high = lineStarts.count - 1
        while line < high {
            let middle = (line + high + 1) / 2
            if Int(lineStarts[middle]) <= offset { line = middle } else { high = middle - 1 }
        }
        var column = 1
        for i in Int(lineStarts[line])..<offset where text[i] & 0xC0 != 0x80 { column += 1 }
        self.init(line: line + 1, column: column, offset: offset)
    }
}

/// Where something sits in a TOML source: from `start` up to (not including) `end`.
public struct TOMLRange: Hashable, Sendable, CustomStringConvertible {
    /// The first character.
    public var start: TOMLPosition
    /// Just after the last character.
    public var end: TOMLPosition

    /// `line:column-line:column`.
    public var description: String { "\(start)-\(end)" }
}
