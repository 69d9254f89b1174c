import CParseGuard
import CTOML
import Glibc

/// A parsed TOML document, read through TOMLKit's C layer (toml++).
///
/// The Swift layer of TOMLKit copies every string and date into memory it never frees and keeps the
/// parsed tree alive forever; a daemon that reloads its config must not grow with each reload. So this
/// wrapper reads values through the C functions directly, frees what they hand out, and clears the
/// tree when the document goes away.
final class TOMLDocument {
    /// A TOML syntax error, with the position toml++ reports.
    struct SyntaxError: Error {
        var message: String
        var line: Int
        var column: Int
    }

    /// The root table.
    let root: TOMLNode

    private let table: OpaquePointer

    /// A description pointer that stays valid (the parser replaces it on error).
    nonisolated(unsafe) private static let noDescription: UnsafePointer<CChar> = {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()

    /// Parses `text` (which must not contain NUL bytes).
    init(parsing text: String) throws(SyntaxError) {
        var error = CTOMLParseError(
            description: TOMLDocument.noDescription,
            source: CTOMLSourceRegion(begin: .init(line: 0, column: 0), end: .init(line: 0, column: 0))
        )
        var aborted: Int32 = 0
        let parsed = text.withCString { cText in
            withUnsafeMutablePointer(to: &error) { errorPointer in
                sse_guarded_parse(
                    { text, error in
                        UnsafeMutableRawPointer(
                            tableCreateFromString(text, error.assumingMemoryBound(to: CTOMLParseError.self)))
                    }, cText, errorPointer, &aborted)
            }
        }
        if aborted != 0 {
            // toml++ (bundled by TOMLKit 0.6.0) asserts on a few malformed inputs such as `[#`; the guard turns
            // the abort into this error, so a bad config never takes the daemon down.
            throw SyntaxError(
                message: "the TOML parser gave up on this file (malformed TOML it cannot report a position for)",
                line: 1, column: 1)
        }
        guard let parsed else {
            let message = String(cString: error.description)
            free(UnsafeMutableRawPointer(mutating: error.description))
            throw SyntaxError(
                message: message,
                line: Int(error.source.begin.line),
                column: Int(error.source.begin.column)
            )
        }
        let table = OpaquePointer(parsed)
        self.table = table
        root = TOMLNode(table: table)
    }

    deinit {
        // Frees every node of the tree, then the empty root object, which the C API has no function for
        // (found by `make fuzz`: 96 bytes leaked per parsed file, so per reload).
        tableClear(table)
        Self.deleteEmptyTable?(UnsafeMutableRawPointer(table))
    }

    /// C++ `operator delete(void*)`, to release the root `toml::table` that `tableCreateFromString` made with
    /// `new`. Skipping its destructor is sound here: after `tableClear` the table's map is empty, and a
    /// table parsed from a string has no source path, so the object owns no other memory (LeakSanitizer
    /// confirms: the fuzz targets report no leak). Looked up at run time, so that ASan's replacement is
    /// the one used in sanitizer builds; nil (the old leak, nothing worse) if the symbol cannot be found.
    private static let deleteEmptyTable: (@convention(c) (UnsafeMutableRawPointer?) -> Void)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "_ZdlPv") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutableRawPointer?) -> Void).self)
    }()
}

/// A value inside a `TOMLDocument`; valid while the document is alive.
struct TOMLNode {
    /// What a node holds, decoded into Swift values (tables and arrays stay as nodes).
    enum Value {
        case table
        case array
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        case date(year: Int, month: Int, day: Int)
        case time(hour: Int, minute: Int, second: Int, nanosecond: Int)
        case dateTime(
            year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanosecond: Int,
            offsetMinutes: Int?)

        /// The TOML type name, for messages.
        var typeName: String {
            switch self {
            case .table: "a table"
            case .array: "an array"
            case .string: "a string"
            case .integer: "an integer"
            case .float: "a float"
            case .boolean: "a boolean"
            case .date: "a local date"
            case .time: "a local time"
            case .dateTime(_, _, _, _, _, _, _, let offset): offset == nil ? "a local date-time" : "an offset date-time"
            }
        }
    }

    private enum Storage {
        case node(OpaquePointer)
        case table(OpaquePointer)
    }

    private let storage: Storage

    fileprivate init(table: OpaquePointer) { storage = .table(table) }
    private init(node: OpaquePointer) { storage = .node(node) }

    private var tablePointer: OpaquePointer? {
        switch storage {
        case .table(let t): t
        case .node(let n): nodeAsTable(n)
        }
    }

    private var arrayPointer: OpaquePointer? {
        switch storage {
        case .table: nil
        case .node(let n): nodeAsArray(n)
        }
    }

    /// The decoded value.
    var value: Value {
        guard case .node(let n) = storage else { return .table }
        if nodeAsTable(n) != nil { return .table }
        if nodeAsArray(n) != nil { return .array }
        if let p = nodeAsString(n) {
            defer { free(UnsafeMutableRawPointer(mutating: p)) }
            return .string(String(cString: p))
        }
        if let p = nodeAsInt(n) {
            defer { free(UnsafeMutableRawPointer(mutating: p)) }
            return .integer(p.pointee)
        }
        if let p = nodeAsBool(n) {
            defer { free(UnsafeMutableRawPointer(mutating: p)) }
            return .boolean(p.pointee)
        }
        if let p = nodeAsDouble(n) {
            defer { free(UnsafeMutableRawPointer(mutating: p)) }
            return .float(p.pointee)
        }
        if let p = nodeAsDate(n) {
            defer { free(UnsafeMutableRawPointer(mutating: p)) }
            return .date(year: Int(p.pointee.year), month: Int(p.pointee.month), day: Int(p.pointee.day))
        }
        if let p = nodeAsTime(n) {
            defer { free(UnsafeMutableRawPointer(mutating: p)) }
            let t = p.pointee
            return .time(
                hour: Int(t.hour), minute: Int(t.minute), second: Int(t.second), nanosecond: Int(t.nanoSecond))
        }
        if let p = nodeAsDateTime(n) {
            let dt = p.pointee
            let offset = dt.offset.map { Int($0.pointee.minutes) }
            if let o = dt.offset { free(o) }
            free(UnsafeMutableRawPointer(mutating: p))
            return .dateTime(
                year: Int(dt.date.year), month: Int(dt.date.month), day: Int(dt.date.day),
                hour: Int(dt.time.hour), minute: Int(dt.time.minute), second: Int(dt.time.second),
                nanosecond: Int(dt.time.nanoSecond), offsetMinutes: offset)
        }
        return .table
    }

    /// The keys of a table, in the document's sorted order (empty for other values).
    var keys: [String] {
        guard let t = tablePointer else { return [] }
        let count = tableSize(t)
        guard count > 0 else { return [] }
        let raw = tableGetKeys(t)
        var result: [String] = []
        result.reserveCapacity(count)
        for i in 0..<count {
            result.append(String(cString: raw[i]))
            free(UnsafeMutableRawPointer(mutating: raw[i]))
        }
        free(UnsafeMutableRawPointer(mutating: raw))
        return result
    }

    /// The value at `key` of a table.
    subscript(key: String) -> TOMLNode? {
        guard let t = tablePointer, let n = tableGetNode(t, key) else { return nil }
        return TOMLNode(node: n)
    }

    /// The elements of an array (empty for other values).
    var elements: [TOMLNode] {
        guard let a = arrayPointer else { return [] }
        let count = arraySize(a)
        return (0..<count).map { TOMLNode(node: arrayGetNode(a, Int64($0))) }
    }

    /// Whether this is a table.
    var isTable: Bool { tablePointer != nil }
    /// Whether this is an array.
    var isArray: Bool { arrayPointer != nil }
}
