import FuzzSupport
import TOML

/// Fuzzes the TOML parser alone: any bytes, then every node of the tree read back.
///
/// Checked beyond "no crash, no leak, under a second": every error is at a position inside the input, in
/// source order; every key and value range lies inside the input with its start before its end; and a
/// document without errors, written back out as TOML (inline tables and arrays, escaped strings), parses
/// again without errors to an equal tree.
enum FuzzTOML {
    static func run(_ bytes: [UInt8]) {
        let document = TOMLDocument(parsing: bytes)
        var previous = 0
        for error in document.errors {
            precondition(error.position.line >= 1 && error.position.column >= 1, "bad position \(error)")
            precondition(error.position.offset <= bytes.count && error.position.offset >= previous, "out of order")
            previous = error.position.offset
            _ = error.description
        }
        precondition(document.isValid == (document.errors.isEmpty && document.omittedErrorCount == 0))
        // Every node, without recursion.
        var stack = [document.root]
        while let node = stack.popLast() {
            let range = node.range
            precondition(range.start.offset <= range.end.offset && range.end.offset <= bytes.count, "bad range")
            if let key = node.keyRange {
                precondition(key.start.offset < key.end.offset && key.end.offset <= bytes.count, "bad key range")
                _ = node.key
            }
            _ = node.value
            stack += node.children.map(\.node)
            stack += node.elements
        }
        guard document.errors.isEmpty else { return }
        // Written back and read again, a valid document is the same document.
        var text = ""
        guard write(document.root, to: &text, depth: 0, top: true) else { return }
        let again = TOMLDocument(parsing: Array(text.utf8), limits: TOMLLimits(maximumNestingDepth: 10_000))
        precondition(again.errors.isEmpty, "the written document does not parse: \(again.errors)\n\(text)")
        precondition(same(document.root, again.root, depth: 0), "the written document reads differently:\n\(text)")
    }

    /// TOML for `node`: the root as `key = value` lines, anything below as inline tables and arrays. False
    /// when the tree is too deep to write this way.
    static func write(_ node: TOMLNode, to text: inout String, depth: Int, top: Bool = false) -> Bool {
        guard depth < 200 else { return false }
        switch node.value {
        case .table:
            if !top { text += "{" }
            for (i, child) in node.children.enumerated() {
                if !top && i > 0 { text += ", " }
                text += quoted(child.key) + " = "
                guard write(child.node, to: &text, depth: depth + 1) else { return false }
                if top { text += "\n" }
            }
            if !top { text += "}" }
        case .array:
            text += "["
            for (i, element) in node.elements.enumerated() {
                if i > 0 { text += ", " }
                guard write(element, to: &text, depth: depth + 1) else { return false }
            }
            text += "]"
        case .string(let value): text += quoted(value)
        case .integer(let value): text += String(value)
        case .float(let value):
            text += value.isNaN ? "nan" : value.isInfinite ? (value < 0 ? "-inf" : "inf") : "\(value)"
        case .boolean(let value): text += String(value)
        case .date, .time, .dateTime: text += node.sourceText
        case .invalid: return false
        }
        return true
    }

    static func quoted(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    static func same(_ a: TOMLNode, _ b: TOMLNode, depth: Int) -> Bool {
        switch (a.value, b.value) {
        case (.table, .table):
            let (x, y) = (a.children, b.children)
            return x.count == y.count
                && zip(x, y).allSatisfy { $0.key == $1.key && same($0.node, $1.node, depth: depth + 1) }
        case (.array, .array):
            let (x, y) = (a.elements, b.elements)
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1, depth: depth + 1) }
        case (.float(let x), .float(let y)):
            return x == y || (x.isNaN && y.isNaN)
        case (let x, let y):
            return x == y
        }
    }
}

/// libFuzzer's entry point.
@c(LLVMFuzzerTestOneInput)
public func fuzzTOML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzTOML.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer on `fuzzTOML` in a `-DFUZZING` build, else a replay of the corpus files given as arguments.
@main enum FuzzTOMLMain {
    static func main() { FuzzMain.run(fuzzTOML, replay: FuzzTOML.run) }
}
