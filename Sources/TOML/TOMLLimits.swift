/// Bounds the parser puts on a document, so that hostile input costs bounded memory and time.
public struct TOMLLimits: Hashable, Sendable {
    /// Arrays and inline tables nested deeper than this are an error.
    public var maximumNestingDepth: Int
    /// Keys and table headers with more dotted parts than this are an error.
    public var maximumKeyParts: Int
    /// Errors past this many are counted (`TOMLDocument.omittedErrorCount`) but not kept.
    public var maximumErrors: Int

    /// Limits with the given values; the defaults are far beyond what a hand-written file needs.
    public init(maximumNestingDepth: Int = 256, maximumKeyParts: Int = 100, maximumErrors: Int = 1000) {
        self.maximumNestingDepth = maximumNestingDepth
        self.maximumKeyParts = maximumKeyParts
        self.maximumErrors = maximumErrors
    }
}
