/// Where a value sits in a config file: the file, the 1-based line and the 1-based column.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The file's path as given, or a name such as `<embedded default timeline>`.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, in characters (Unicode scalars).
    public var column: Int

    /// A location in `file` at `line`:`column`.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and compilers use.
    public var description: String { "\(file):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
