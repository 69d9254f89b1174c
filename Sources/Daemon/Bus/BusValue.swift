import CSystemd
import Glibc

/// The string-like basic types (`s`, `o`), written as their `description` and read as C strings.
protocol StringBusValue: BusValue, CustomStringConvertible {
    static var typeCharacter: Character { get }
    init(busString: String)
}

extension StringBusValue {
    public static var busSignature: String { String(typeCharacter) }

    public func append(to writer: inout BusMessageWriter) throws(BusError) {
        let copy = strdup(description)
        defer { free(copy) }
        try writer.appendBasic(Self.typeCharacter, copy!)
    }

    public static func read(from reader: inout BusMessageReader) throws(BusError) -> Self {
        var text: UnsafePointer<CChar>?
        try reader.readBasic(typeCharacter, &text)
        return Self(busString: String(cString: text!))
    }
}

extension String: BusValue, StringBusValue {
    static var typeCharacter: Character { "s" }
    init(busString: String) { self = busString }
}

/// A D-Bus object path (`o`), such as `/org/freedesktop/systemd1/job/42`.
public struct BusObjectPath: BusValue, Hashable, Sendable, CustomStringConvertible {
    /// The path.
    public var rawValue: String

    /// The path `rawValue`; it must be a valid object path when sent.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
}

extension BusObjectPath: StringBusValue {
    static var typeCharacter: Character { "o" }
    init(busString: String) { self.init(busString) }
}

/// The fixed-size basic types, read and written through their bytes.
protocol FixedBusValue: BusValue {
    static var typeCharacter: Character { get }
    init()
}

extension FixedBusValue {
    public static var busSignature: String { String(typeCharacter) }

    public func append(to writer: inout BusMessageWriter) throws(BusError) {
        var value = self
        try writer.appendBasic(Self.typeCharacter, &value)
    }

    public static func read(from reader: inout BusMessageReader) throws(BusError) -> Self {
        var value = Self()
        try reader.readBasic(typeCharacter, &value)
        return value
    }
}

extension UInt8: FixedBusValue { static var typeCharacter: Character { "y" } }
extension Int32: FixedBusValue { static var typeCharacter: Character { "i" } }
extension UInt32: FixedBusValue { static var typeCharacter: Character { "u" } }
extension UInt64: FixedBusValue { static var typeCharacter: Character { "t" } }

extension Bool: BusValue {
    /// `b` (a 32-bit integer on the wire).
    public static var busSignature: String { "b" }

    public func append(to writer: inout BusMessageWriter) throws(BusError) {
        var value: Int32 = self ? 1 : 0
        try writer.appendBasic("b", &value)
    }

    public static func read(from reader: inout BusMessageReader) throws(BusError) -> Bool {
        var value: Int32 = 0
        try reader.readBasic("b", &value)
        return value != 0
    }
}

extension Array: BusValue where Element: BusValue {
    /// `a` and the element's signature.
    public static var busSignature: String { "a" + Element.busSignature }

    public func append(to writer: inout BusMessageWriter) throws(BusError) {
        try writer.container("a", Element.busSignature) { (inner) throws(BusError) in
            for element in self { try element.append(to: &inner) }
        }
    }

    public static func read(from reader: inout BusMessageReader) throws(BusError) -> [Element] {
        try reader.container("a", Element.busSignature) { (inner) throws(BusError) in
            var elements: [Element] = []
            while !inner.atEnd { elements.append(try Element.read(from: &inner)) }
            return elements
        }
    }
}

extension Dictionary: BusValue where Key: BusValue, Value: BusValue {
    /// `a{kv}`.
    public static var busSignature: String { "a{\(Key.busSignature)\(Value.busSignature)}" }

    public func append(to writer: inout BusMessageWriter) throws(BusError) {
        let entry = Key.busSignature + Value.busSignature
        try writer.container("a", "{\(entry)}") { (array) throws(BusError) in
            for (key, value) in self {
                try array.container("e", entry) { (pair) throws(BusError) in
                    try key.append(to: &pair)
                    try value.append(to: &pair)
                }
            }
        }
    }

    public static func read(from reader: inout BusMessageReader) throws(BusError) -> [Key: Value] {
        let entry = Key.busSignature + Value.busSignature
        return try reader.container("a", "{\(entry)}") { (array) throws(BusError) in
            var result: [Key: Value] = [:]
            while !array.atEnd {
                let (key, value) = try array.container("e", entry) { (pair) throws(BusError) in
                    (try Key.read(from: &pair), try Value.read(from: &pair))
                }
                result[key] = value
            }
            return result
        }
    }
}

/// A variant (`v`): a value that carries its own type, as in property values and notification hints.
public enum BusVariant: BusValue, Equatable, Sendable {
    /// `y`.
    case byte(UInt8)
    /// `b`.
    case bool(Bool)
    /// `s`.
    case string(String)
    /// A value of another type, skipped when read; its signature.
    case other(String)

    /// `v`.
    public static var busSignature: String { "v" }

    public func append(to writer: inout BusMessageWriter) throws(BusError) {
        func put<Value: BusValue>(_ value: Value) throws(BusError) {
            try writer.container("v", Value.busSignature) { (inner) throws(BusError) in try inner.append(value) }
        }
        switch self {
        case .byte(let value): try put(value)
        case .bool(let value): try put(value)
        case .string(let value): try put(value)
        case .other(let signature):
            throw BusError(name: BusError.invalidArgs, message: "cannot write a variant of type \(signature)")
        }
    }

    public static func read(from reader: inout BusMessageReader) throws(BusError) -> BusVariant {
        guard let (type, contents) = try reader.peek(), type == "v" else {
            throw BusError(name: BusError.invalidArgs, message: "expected a variant")
        }
        return try reader.container("v", contents) { (inner) throws(BusError) in
            switch contents {
            case "y": return .byte(try inner.read(UInt8.self))
            case "b": return .bool(try inner.read(Bool.self))
            case "s": return .string(try inner.read(String.self))
            default:
                try inner.skip()
                return .other(contents)
            }
        }
    }
}
