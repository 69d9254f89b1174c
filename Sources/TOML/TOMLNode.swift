/// A table, array or value of a `TOMLDocument`, with where it sits in the source.
///
/// A node is a cheap handle (the document and an index); it keeps its document alive.
public struct TOMLNode: Sendable {
    /// What a node holds, in Swift values (tables and arrays stay nodes: see ``keys``, ``elements``).
    public enum Value: Hashable, Sendable {
        case table
        case array
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        case date(year: Int, month: Int, day: Int)
        case time(hour: Int, minute: Int, second: Int, nanosecond: Int)
        case dateTime(
            year: Int,
            month: Int,
            day: Int,
            hour: Int,
            minute: Int,
            second: Int,
            nanosecond: Int,
            offsetMinutes: Int?
        )
        /// A value the parser could not read (an impossible date, an integer out of range); its error is in
        /// ``TOMLDocument/errors``, so a reader should not report it again.
        case invalid

        /// The TOML type name with its article, for messages: "a string", "an offset date-time".
        public var typeName: String { typeText.description }

        /// ``typeName`` as a text to translate.
        public var typeText: TOMLText {
            switch self {
            case .table: tr("a table")
            case .array: tr("an array")
            case .string: tr("a string")
            case .integer: tr("an integer")
            case .float: tr("a float")
            case .boolean: tr("a boolean")
            case .date: tr("a local date")
            case .time: tr("a local time")
            case .dateTime(_, _, _, _, _, _, _, let offset):
                offset == nil ? tr("a local date-time") : tr("an offset date-time")
            case .invalid: tr("an invalid value")
            }
        }
    }

    /// The document the node belongs to.
    public let document: TOMLDocument
    let index: Int32

    init(document: TOMLDocument, index: Int32) {
        self.document = document
        self.index = index
    }

    private var node: Node { document.nodes[Int(index)] }

    /// The value.
    public var value: Value {
        let node = self.node
        switch node.kind {
        case .table: return .table
        case .array: return .array
        case .invalid: return .invalid
        case .integer: return .integer(Int64(bitPattern: node.payload))
        case .float: return .float(Double(bitPattern: node.payload))
        case .boolean: return .boolean(node.payload != 0)
        case .string:
            if node.flags.contains(.decodedString) { return .string(document.strings[Int(node.payload)]) }
            let start = Int(node.payload >> 32)
            let end = Int(node.payload & 0xFFFF_FFFF)
            return .string(String(decoding: document.bytes[start..<end], as: UTF8.self))
        case .date:
            let t = document.temporals[Int(node.payload)]
            return .date(year: Int(t.year), month: Int(t.month), day: Int(t.day))
        case .time:
            let t = document.temporals[Int(node.payload)]
            return .time(hour: Int(t.hour), minute: Int(t.minute), second: Int(t.second), nanosecond: Int(t.nanosecond))
        case .dateTime:
            let t = document.temporals[Int(node.payload)]
            return .dateTime(
                year: Int(t.year),
                month: Int(t.month),
                day: Int(t.day),
                hour: Int(t.hour),
                minute: Int(t.minute),
                second: Int(t.second),
                nanosecond: Int(t.nanosecond),
                offsetMinutes: t.hasOffset ? Int(t.offsetMinutes) : nil
            )
        }
    }

    /// Whether this is a table (a header table, an inline table, or one made by dotted keys).
    public var isTable: Bool { node.kind == .table }
    /// Whether this is an array (of values, or of tables made by `[[header]]`s).
    public var isArray: Bool { node.kind == .array }

    /// The keys of a table, in source order (empty for other values).
    public var keys: [String] { children.map(\.key) }

    /// The keys and values of a table, in source order (empty for other values).
    public var children: [(key: String, node: TOMLNode)] {
        guard node.kind == .table else { return [] }
        var result: [(String, TOMLNode)] = []
        result.reserveCapacity(Int(node.count))
        var child = node.first
        while child >= 0 {
            result.append(
                (String(decoding: document.keyBytes(child), as: UTF8.self), TOMLNode(document: document, index: child))
            )
            child = document.nodes[Int(child)].next
        }
        return result
    }

    /// The value at `key` of a table (nil for other values).
    public subscript(key: String) -> TOMLNode? {
        guard node.kind == .table else { return nil }
        var key = key
        let child = key.withUTF8 { document.child(of: index, key: $0) }
        return child.map { TOMLNode(document: document, index: $0) }
    }

    /// The elements of an array (empty for other values).
    public var elements: [TOMLNode] {
        let node = self.node
        guard node.kind == .array else { return [] }
        let start = Int(node.payload >> 32)
        return document.arrayElements[start..<start + Int(node.count)].map { TOMLNode(document: document, index: $0) }
    }

    /// The element at `index` of an array, in O(1); nil if out of range or not an array.
    public func element(at index: Int) -> TOMLNode? {
        let node = self.node
        guard node.kind == .array, index >= 0, index < Int(node.count) else { return nil }
        return TOMLNode(document: document, index: document.arrayElements[Int(node.payload >> 32) + index])
    }

    /// The number of keys of a table or elements of an array; 0 for other values.
    public var count: Int { node.kind == .table || node.kind == .array ? Int(node.count) : 0 }

    /// The key as decoded, for a value of a table (nil for array elements and the root).
    public var key: String? {
        guard node.flags.contains(.hasKey) else { return nil }
        return String(decoding: document.keyBytes(index), as: UTF8.self)
    }

    /// The byte offset of the value: its first character, or the `[` of a table's header. Cheaper than
    /// ``range`` (no line and column to count).
    public var offset: Int { Int(node.start) }

    /// The byte offset of the key as written (for a header table, its last part in the header), if any.
    public var keyOffset: Int? { node.flags.contains(.hasKey) ? Int(node.keyStart) : nil }

    /// Where the value is written. For a table defined by a `[header]` or `[[header]]`, the header; for one
    /// made implicitly (by a header `[a.b]` or a dotted key `a.b = 1`), the key that made it.
    public var range: TOMLRange {
        TOMLRange(start: document.position(ofByte: Int(node.start)), end: document.position(ofByte: Int(node.end)))
    }

    /// Where the key is written (nil for array elements and the root).
    public var keyRange: TOMLRange? {
        let node = self.node
        guard node.flags.contains(.hasKey) else { return nil }
        let start = Int(node.keyStart)
        let end = Parser.keyEnd(in: document.bytes, at: start)
        return TOMLRange(start: document.position(ofByte: start), end: document.position(ofByte: end))
    }

    /// The value as written in the source.
    public var sourceText: String {
        String(decoding: document.bytes[Int(node.start)..<Int(node.end)], as: UTF8.self)
    }
}
