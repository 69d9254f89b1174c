import Glibc
import TOML

/// A decoder for the toml-test suite (github.com/toml-lang/toml-test): TOML on standard input, the document
/// in toml-test's tagged JSON on standard output (`{"type": "integer", "value": "42"}` for each scalar), and
/// exit status 1 with the errors on standard error when the input is not valid TOML 1.0.
@main enum TOMLTestDecoder {
    static func main() {
        var input: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            input += chunk[..<count]
        }
        let document = TOMLDocument(parsing: input)
        guard document.isValid else {
            for error in document.errors { writeAll(STDERR_FILENO, "\(error)\n") }
            exit(1)
        }
        var output = ""
        write(document.root, to: &output)
        output += "\n"
        writeAll(STDOUT_FILENO, output)
    }

    static func writeAll(_ descriptor: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Tables and arrays as JSON objects and arrays, scalars tagged.
    static func write(_ node: TOMLNode, to output: inout String) {
        switch node.value {
        case .table:
            output += "{"
            for (i, child) in node.children.enumerated() {
                if i > 0 { output += "," }
                output += TOMLString.quoted(child.key) + ":"
                write(child.node, to: &output)
            }
            output += "}"
        case .array:
            output += "["
            for (i, element) in node.elements.enumerated() {
                if i > 0 { output += "," }
                write(element, to: &output)
            }
            output += "]"
        case .string(let text): output += tagged("string", text)
        case .integer(let value): output += tagged("integer", String(value))
        case .float(let value):
            output += tagged(
                "float",
                value.isNaN ? "nan" : value.isInfinite ? (value < 0 ? "-inf" : "inf") : "\(value)"
            )
        case .boolean(let value): output += tagged("bool", String(value))
        case .date(let year, let month, let day): output += tagged("date-local", date(year, month, day))
        case .time(let hour, let minute, let second, let nanosecond):
            output += tagged("time-local", time(hour, minute, second, nanosecond))
        case .dateTime(let year, let month, let day, let hour, let minute, let second, let nanosecond, let offset):
            var text = date(year, month, day) + "T" + time(hour, minute, second, nanosecond)
            if let offset {
                text +=
                    offset == 0
                    ? "Z" : (offset < 0 ? "-" : "+") + pad(abs(offset) / 60, 2) + ":" + pad(abs(offset) % 60, 2)
            }
            output += tagged(offset == nil ? "datetime-local" : "datetime", text)
        case .invalid: output += tagged("invalid", "")
        }
    }

    static func tagged(_ type: String, _ value: String) -> String {
        "{\"type\":\"\(type)\",\"value\":\(TOMLString.quoted(value))}"
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    static func date(_ year: Int, _ month: Int, _ day: Int) -> String {
        "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    static func time(_ hour: Int, _ minute: Int, _ second: Int, _ nanosecond: Int) -> String {
        var text = "\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
        if nanosecond > 0 {
            var fraction = pad(nanosecond, 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text
    }
}
