import CSystemd
import Glibc

/// An sd-bus message (a method call, its reply, an error or a signal), holding one reference to it. Its arguments
/// go through `BusMessageWriter` and `BusMessageReader` one value or container at a time, as sd-bus's variadic
/// `sd_bus_message_append`/`read` cannot be called from Swift.
public final class BusMessage {
    /// The `sd_bus_message`.
    public let pointer: OpaquePointer

    /// Takes over a reference the caller owns (a message just created).
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// A call of the method `member` at `locator` on `bus`, its arguments written by `arguments`: what both the
    /// daemon's asynchronous calls and the command line's blocking ones send.
    convenience init(
        calling member: String,
        at locator: BusLocator,
        on bus: OpaquePointer,
        arguments: (inout BusMessageWriter) throws(BusError) -> Void
    ) throws(BusError) {
        var message: OpaquePointer?
        try BusError.check(
            "sd_bus_message_new_method_call",
            sd_bus_message_new_method_call(bus, &message, locator.destination, locator.path, locator.interface, member)
        )
        self.init(taking: message!)
        var writer = writer()
        try arguments(&writer)
    }

    /// Adds a reference to a message sd-bus lends to a callback.
    init(borrowing pointer: OpaquePointer) {
        self.pointer = sd_bus_message_ref(pointer)
    }

    deinit {
        sd_bus_message_unref(pointer)
    }

    /// The unique name of the sender (`:1.42`), when the bus says.
    public var sender: String? { sd_bus_message_get_sender(pointer).map { String(cString: $0) } }
    /// The method or signal name.
    public var member: String? { sd_bus_message_get_member(pointer).map { String(cString: $0) } }
    /// The error this message carries, when it is an error reply.
    public var error: BusError? {
        BusError(sd_bus_message_get_error(pointer))
    }

    /// A reader at the start of the body.
    public func reader() -> BusMessageReader {
        _ = sd_bus_message_rewind(pointer, 1)
        return BusMessageReader(message: self)
    }

    /// A writer appending to the body.
    public func writer() -> BusMessageWriter {
        BusMessageWriter(message: self)
    }
}

extension Optional<Duration> {
    /// A call's timeout as sd-bus takes it: microseconds, at least 1; 0 (sd-bus's default, 25 s) for nil.
    var busMicroseconds: UInt64 { map { UInt64(max(1, $0.microseconds)) } ?? 0 }
}

extension Result<BusMessage, BusError> {
    /// The reply's first value, read as `type`, or the error.
    public func value<Value: BusValue>(_ type: Value.Type) -> Result<Value, BusError> {
        flatMap { reply in
            var reader = reply.reader()
            return Result<Value, BusError> { () throws(BusError) in try reader.read(type) }
        }
    }
}

/// A value that travels as one complete D-Bus type: basic values, arrays and dictionaries of them, variants.
public protocol BusValue {
    /// Its D-Bus signature, e.g. `s`, `as`, `a{sv}`.
    static var busSignature: String { get }
    /// Appends the value to a message.
    func append(to writer: inout BusMessageWriter) throws(BusError)
    /// Reads a value of this type at the reader's position.
    static func read(from reader: inout BusMessageReader) throws(BusError) -> Self
}

/// Appends arguments to a message, one complete type at a time.
public struct BusMessageWriter {
    /// The message written.
    public let message: BusMessage

    /// Appends `values`, in order, as `sd_bus_message_append` does.
    public mutating func append<each Value: BusValue>(_ values: repeat each Value) throws(BusError) {
        for value in repeat each values { try value.append(to: &self) }
    }

    /// Appends one basic value of D-Bus type `type` (a character of `ybnqiuxtdsog`), whose bytes `pointer`
    /// points at (for strings: a C string).
    public mutating func appendBasic(_ type: Character, _ pointer: UnsafeRawPointer) throws(BusError) {
        try BusError.check(
            "sd_bus_message_append_basic",
            sd_bus_message_append_basic(message.pointer, CChar(type.asciiValue!), pointer)
        )
    }

    /// Opens a container of kind `type` (`a`, `v`, `r`, `e`) holding `contents`, lets `body` fill it, closes it.
    public mutating func container(
        _ type: Character,
        _ contents: String,
        _ body: (inout BusMessageWriter) throws(BusError) -> Void
    ) throws(BusError) {
        try BusError.check(
            "sd_bus_message_open_container",
            sd_bus_message_open_container(message.pointer, CChar(type.asciiValue!), contents)
        )
        try body(&self)
        try BusError.check("sd_bus_message_close_container", sd_bus_message_close_container(message.pointer))
    }
}

/// Reads a message's arguments in order, one complete type at a time.
public struct BusMessageReader {
    /// The message read.
    public let message: BusMessage

    /// Reads a value of type `Value`.
    public mutating func read<Value: BusValue>(_ type: Value.Type = Value.self) throws(BusError) -> Value {
        try Value.read(from: &self)
    }

    /// The type of the next complete value and, for a container, its contents; nil at the end of the body or
    /// of the container entered.
    public func peek() throws(BusError) -> (type: Character, contents: String)? {
        var type: CChar = 0
        var contents: UnsafePointer<CChar>?
        let result = try BusError.check(
            "sd_bus_message_peek_type",
            sd_bus_message_peek_type(message.pointer, &type, &contents)
        )
        guard result > 0 else { return nil }
        return (Character(UnicodeScalar(UInt8(bitPattern: type))), contents.map { String(cString: $0) } ?? "")
    }

    /// Reads one basic value of D-Bus type `type` into the memory `pointer` points at (strings: a `const char *`
    /// that stays valid as long as the message).
    public mutating func readBasic(_ type: Character, _ pointer: UnsafeMutableRawPointer) throws(BusError) {
        let result = try BusError.check(
            "sd_bus_message_read_basic",
            sd_bus_message_read_basic(message.pointer, CChar(type.asciiValue!), pointer)
        )
        if result == 0 { throw BusError(name: BusError.invalidArgs, message: "expected a value of type \(type)") }
    }

    /// Enters a container of kind `type` holding `contents`, lets `body` read it, and leaves it.
    public mutating func container<Result>(
        _ type: Character,
        _ contents: String?,
        _ body: (inout BusMessageReader) throws(BusError) -> Result
    ) throws(BusError) -> Result {
        let entered = try BusError.check(
            "sd_bus_message_enter_container",
            sd_bus_message_enter_container(message.pointer, CChar(type.asciiValue!), contents)
        )
        if entered == 0 {
            throw BusError(name: BusError.invalidArgs, message: "expected a container \(type)\(contents ?? "")")
        }
        let result = try body(&self)
        try BusError.check("sd_bus_message_exit_container", sd_bus_message_exit_container(message.pointer))
        return result
    }

    /// Whether the container entered (or the body) has no more values.
    public var atEnd: Bool {
        sd_bus_message_at_end(message.pointer, 0) > 0
    }

    /// Skips the next complete value, whatever its type.
    public mutating func skip() throws(BusError) {
        try BusError.check("sd_bus_message_skip", sd_bus_message_skip(message.pointer, nil))
    }
}

/// Where a method call goes: a peer on the bus (its well-known or unique name), one of its objects, and one
/// interface of that object, as systemd's own clients name them (`BusLocator` in `src/shared/bus-locator.h`).
public struct BusLocator: Hashable, Sendable {
    /// The peer, e.g. `org.freedesktop.systemd1`.
    public var destination: String
    /// The object path, e.g. `/org/freedesktop/systemd1`.
    public var path: String
    /// The interface, e.g. `org.freedesktop.systemd1.Manager`.
    public var interface: String

    /// The bus itself (`org.freedesktop.DBus`).
    static let bus = BusLocator(
        destination: "org.freedesktop.DBus",
        path: "/org/freedesktop/DBus",
        interface: "org.freedesktop.DBus"
    )

    /// Another interface of the same object, e.g. `org.freedesktop.DBus.Properties`.
    func interface(_ name: String) -> BusLocator {
        BusLocator(destination: destination, path: path, interface: name)
    }
}
