/// A place in a TOML source: 1-based line, 1-based column in characters (Unicode scalars), and the 0-based
/// byte offset.
public struct TOMLPosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int
    /// 0-based offset in bytes from the start of the source.
    public var offset: Int

    /// A position at `line`:`column`, `offset` bytes into the source.
    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }

    /// Source order: by byte offset.
    public static func < (lhs: TOMLPosition, rhs: TOMLPosition) -> Bool { lhs.offset < rhs.offset }
}

/// Where something sits in a TOML source: from `start` up to (not including) `end`.
public struct TOMLRange: Hashable, Sendable, CustomStringConvertible {
    /// The first character.
    public var start: TOMLPosition
    /// Just after the last character.
    public var end: TOMLPosition

    /// The range from `start` to `end`.
    public init(start: TOMLPosition, end: TOMLPosition) {
        self.start = start
        self.end = end
    }

    /// `line:column-line:column`.
    public var description: String { "\(start)-\(end)" }
}
