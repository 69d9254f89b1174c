/// A parsed TOML 1.0 document: its tree, and every error found in it, each with its position.
///
/// Parsing never throws and never stops at the first error: after a syntax error the parser goes on at the
/// next line, and a value that is well formed but out of range (`2027-02-29`, `25:00:00`, an integer beyond
/// 64 bits) is kept as an ``TOMLNode/Value/invalid`` node with a located error. A document is valid TOML when
/// ``errors`` is empty.
///
/// Every key, table header and value has its source range (``TOMLNode/range``, ``TOMLNode/keyRange``).
/// The tree is stored flat, 32 bytes a node, and strings without escapes are read from the source bytes
/// when asked for, so a document costs about twice its source. Nothing recurses: arrays and inline tables
/// nested to ``TOMLLimits/maximumNestingDepth`` cost a stack frame of the parser's own array each.
public final class TOMLDocument: Sendable {
    /// The source, as given.
    public let bytes: [UInt8]
    /// Every error, in source order (at most ``TOMLLimits/maximumErrors``).
    public let errors: [TOMLError]
    /// How many errors were found beyond those in ``errors``.
    public let omittedErrorCount: Int

    let nodes: [Node]
    let strings: [String]
    let temporals: [Temporal]
    let escapedKeys: [Int32: [UInt8]]
    let indexes: [Int32: [[UInt8]: Int32]]
    /// The elements of every array, each array's together (from the high half of its payload).
    let arrayElements: [Int32]
    /// The byte offset at which each line starts.
    let lineStarts: [UInt32]

    /// Parses `bytes` as TOML 1.0 (UTF-8; sources of 4 GiB and more are refused with an error).
    public init(parsing bytes: [UInt8], limits: TOMLLimits = TOMLLimits()) {
        self.bytes = bytes
        var lineStarts: [UInt32] = [0]
        bytes.withUnsafeBufferPointer { text in
            for i in text.indices where text[i] == 0x0A { lineStarts.append(UInt32(truncatingIfNeeded: i + 1)) }
        }
        self.lineStarts = lineStarts
        var parser = Parser(limits: limits, lineStarts: lineStarts)
        if bytes.count >= Int(UInt32.max) {
            parser.nodes.append(Node(kind: .table))
            parser.record(0, message: tr("the source is 4 GiB or larger"), hint: tr("split it into smaller files"))
        } else {
            bytes.withUnsafeBufferPointer { parser.parse($0) }
        }
        // Each array's elements side by side, so that `element(at:)` is O(1); arrays keep their first
        // element in the low half of the payload and get their start in `arrayElements` in the high half.
        var arrayElements: [Int32] = []
        for i in parser.nodes.indices where parser.nodes[i].kind == .array {
            let start = UInt64(arrayElements.count)
            var child = parser.nodes[i].first
            while child >= 0 {
                arrayElements.append(child)
                child = parser.nodes[Int(child)].next
            }
            parser.nodes[i].payload = (parser.nodes[i].payload & 0xFFFF_FFFF) | start << 32
        }
        self.arrayElements = arrayElements
        nodes = parser.nodes
        strings = parser.strings
        temporals = parser.temporals
        escapedKeys = parser.escapedKeys
        indexes = parser.indexes
        omittedErrorCount = parser.omittedErrorCount
        errors = Self.resolve(parser.pendingErrors, lineStarts: lineStarts, bytes: bytes)
    }

    /// Parses `text`.
    public convenience init(parsing text: String, limits: TOMLLimits = TOMLLimits()) {
        self.init(parsing: Array(text.utf8), limits: limits)
    }

    /// The root table.
    public var root: TOMLNode { TOMLNode(document: self, index: 0) }

    /// Whether the document is valid TOML (no error at all).
    public var isValid: Bool { errors.isEmpty && omittedErrorCount == 0 }

    /// The line, column and offset of byte `offset` (clamped to the source).
    public func position(ofByte offset: Int) -> TOMLPosition {
        let offset = min(max(offset, 0), bytes.count)
        return bytes.withUnsafeBufferPointer { TOMLPosition(offset: offset, in: $0, lineStarts: lineStarts) }
    }

    /// The positions of many byte offsets (clamped to the source), in one pass over the source from the first to
    /// the last: what ``position(ofByte:)`` gives for each, without counting the characters of a long line again
    /// for each offset on it.
    public func positions(ofBytes offsets: [Int]) -> [TOMLPosition] {
        Self.positions(of: offsets, lineStarts: lineStarts, bytes: bytes)
    }

    private static func positions(of offsets: [Int], lineStarts: [UInt32], bytes: [UInt8]) -> [TOMLPosition] {
        let order = offsets.indices.sorted { offsets[$0] < offsets[$1] }
        var result = [TOMLPosition](repeating: TOMLPosition(line: 1, column: 1, offset: 0), count: offsets.count)
        var line = 0
        var column = 1
        var at = 0
        bytes.withUnsafeBufferPointer { text in
            for index in order {
                let offset = min(max(offsets[index], 0), text.count)
                while line + 1 < lineStarts.count, Int(lineStarts[line + 1]) <= offset {
                    line += 1
                    at = Int(lineStarts[line])
                    column = 1
                }
                while at < offset {
                    if text[at] & 0xC0 != 0x80 { column += 1 }
                    at += 1
                }
                result[index] = TOMLPosition(line: line + 1, column: column, offset: offset)
            }
        }
        return result
    }

    /// The errors with their positions, in source order.
    private static func resolve(_ pending: [Parser.PendingError], lineStarts: [UInt32], bytes: [UInt8]) -> [TOMLError] {
        let sorted = pending.sorted { $0.offset < $1.offset }
        let positions = positions(of: sorted.map(\.offset), lineStarts: lineStarts, bytes: bytes)
        return zip(sorted, positions).map { error, position in
            TOMLError(
                position: position,
                key: error.key,
                value: error.value,
                messageText: error.message,
                hintText: error.hint
            )
        }
    }

    // MARK: - Reading nodes

    /// The bytes of a node's key.
    func keyBytes(_ index: Int32) -> ArraySlice<UInt8> {
        let node = nodes[Int(index)]
        if node.flags.contains(.keyEscaped) { return escapedKeys[index].map { $0[...] } ?? [] }
        let range = Parser.keyContent(in: bytes, at: Int(node.keyStart), quoted: node.flags.contains(.keyQuoted))
        return bytes[range]
    }

    /// The first child of a table with the key `key`.
    func child(of table: Int32, key: UnsafeBufferPointer<UInt8>) -> Int32? {
        if let index = indexes[table] { return index[Array(key)] }
        var child = nodes[Int(table)].first
        while child >= 0 {
            if keyBytes(child).elementsEqual(key) { return child }
            child = nodes[Int(child)].next
        }
        return nil
    }
}

/// The kinds of node.
enum Kind: UInt8 {
    case table, array, string, integer, float, boolean, date, time, dateTime, invalid
}

/// One key, table or value of a document, in 32 bytes.
struct Node {
    /// Scalars: the integer, the float's bits, the boolean, the index into `temporals`, or for strings
    /// the source range of the content (start << 32 | end) or, with `.decodedString`, the index into
    /// `strings`. Containers: the first child (low 32 bits) and, while parsing, the last child (high 32 bits),
    /// -1 if none; once parsed, an array's high 32 bits are where its elements start in `arrayElements`.
    var payload: UInt64
    /// Where the key starts, when the node has one (`.hasKey`).
    var keyStart: UInt32
    /// The value's (or a header table's header's) byte range.
    var start: UInt32
    var end: UInt32
    /// The next child of the same parent, or -1.
    var next: Int32
    /// The number of children of a container.
    var count: UInt32
    var kind: Kind
    var flags: NodeFlags

    init(kind: Kind, start: Int = 0, end: Int = 0, payload: UInt64 = 0) {
        self.payload = payload
        keyStart = 0
        self.start = UInt32(start)
        self.end = UInt32(end)
        next = -1
        count = 0
        self.kind = kind
        flags = []
        if kind == .table || kind == .array { self.payload = UInt64.max }
    }

    var first: Int32 { Int32(truncatingIfNeeded: payload & 0xFFFF_FFFF) }
    var last: Int32 { Int32(truncatingIfNeeded: payload >> 32) }
}

/// What is known of a node beyond its kind.
struct NodeFlags: OptionSet {
    let rawValue: UInt8
    /// The node is a table's child with a key at `keyStart`.
    static let hasKey = NodeFlags(rawValue: 1)
    /// The key is quoted without escapes: its content is between the quotes.
    static let keyQuoted = NodeFlags(rawValue: 2)
    /// The key had escapes: its content is in `escapedKeys`.
    static let keyEscaped = NodeFlags(rawValue: 4)
    /// A string with escapes (or normalised newlines): its content is in `strings`.
    static let decodedString = NodeFlags(rawValue: 8)
    /// A table defined by a header, an inline table, or an element of an array of tables: no header may
    /// define it again.
    static let defined = NodeFlags(rawValue: 16)
    /// A table made by a dotted key (`a.b = 1` makes `a`): other dotted keys may add to it, headers may not.
    static let dotted = NodeFlags(rawValue: 32)
    /// An inline table, or a table inside one: nothing may be added to it after its closing brace.
    static let frozen = NodeFlags(rawValue: 64)
    /// An array made by `[[header]]`s, which later ones append to.
    static let tableArray = NodeFlags(rawValue: 128)
}

/// A date, time or date-time value, as stored; the parts its kind has not are 0.
struct Temporal {
    var year: Int16 = 0
    var month: UInt8 = 0
    var day: UInt8 = 0
    var hour: UInt8 = 0
    var minute: UInt8 = 0
    var second: UInt8 = 0
    var hasOffset = false
    var offsetMinutes: Int16 = 0
    var nanosecond: Int32 = 0
}
