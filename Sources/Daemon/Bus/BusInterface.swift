import CSystemd
import CSystemdBus
import Glibc

/// A D-Bus interface an object exports: its methods, read-only properties and signals, as sd-bus introspects them.
public struct BusInterface {
    /// One argument of a method or signal: its name in the introspection data and its D-Bus signature.
    public struct Argument {
        /// The argument's name.
        public var name: String
        /// Its signature (one complete type).
        public var signature: String

        /// The argument `name` of type `signature`.
        public init(_ name: String, _ signature: String) {
            self.name = name
            self.signature = signature
        }
    }

    /// The handler of a method: reads the call's arguments, writes the reply, or throws a `BusError`, which
    /// becomes the error reply.
    public typealias Handler = (_ arguments: inout BusMessageReader, _ reply: inout BusMessageWriter) throws(BusError)
        -> Void

    /// A method.
    public struct Method {
        /// The member name, e.g. `ListPending`.
        public var name: String
        /// Its input and output arguments.
        public var input, output: [Argument]
        /// Whether callers without privileges may call it on the system bus (sd-bus otherwise requires
        /// `CAP_SYS_ADMIN` or the daemon's own user: `SD_BUS_VTABLE_UNPRIVILEGED`). The D-Bus policy decides
        /// who may send the call at all.
        public var unprivileged: Bool
        /// What it does.
        public var handler: Handler

        /// A method; see the properties.
        public init(
            _ name: String,
            input: [Argument] = [],
            output: [Argument] = [],
            unprivileged: Bool = false,
            handler: @escaping Handler
        ) {
            (self.name, self.input, self.output, self.unprivileged, self.handler) =
                (name, input, output, unprivileged, handler)
        }
    }

    /// A read-only property whose changes `PropertiesChanged` carries (the exporter calls
    /// `BusConnection.emitPropertiesChanged`).
    public struct Property {
        /// The property name, e.g. `NextDue`, and its signature.
        public var name, signature: String
        /// Writes the current value.
        public var get: (_ value: inout BusMessageWriter) throws(BusError) -> Void

        /// A property; see the properties.
        public init(_ name: String, _ signature: String, get: @escaping (inout BusMessageWriter) throws(BusError) -> Void) {
            (self.name, self.signature, self.get) = (name, signature, get)
        }
    }

    /// A signal the object sends: its member name, e.g. `ReminderDue`, and its arguments.
    public struct Signal {
        /// The member name.
        public var name: String
        /// Its arguments.
        public var arguments: [Argument]

        /// A signal; see the properties.
        public init(_ name: String, arguments: [Argument]) {
            (self.name, self.arguments) = (name, arguments)
        }
    }

    /// The interface name, e.g. `io.github.ssetimeline.Timeline1`.
    public var name: String
    /// Its methods.
    public var methods: [Method]
    /// Its properties.
    public var properties: [Property]
    /// Its signals.
    public var signals: [Signal]

    /// An interface; see the properties.
    public init(name: String, methods: [Method] = [], properties: [Property] = [], signals: [Signal] = []) {
        (self.name, self.methods, self.properties, self.signals) = (name, methods, properties, signals)
    }
}

/// An object exported on a connection (`BusConnection.export`) through an sd-bus vtable built from its
/// `BusInterface`, as long as this value lives: its slot goes first when it is released, so sd-bus never calls
/// into a freed object.
public final class BusExportedObject {
    /// What it exports.
    public let interface: BusInterface
    private let vtable: UnsafeMutableRawPointer
    // The vtable points into these C strings; they live as long as the object.
    private var strings: [UnsafeMutablePointer<CChar>] = []
    private var slot: OpaquePointer?

    init(path: String, interface: BusInterface, on bus: OpaquePointer) throws(BusError) {
        self.interface = interface
        let entrySize = sse_bus_vtable_entry_size()
        let count = 2 + interface.methods.count + interface.properties.count + interface.signals.count
        vtable = UnsafeMutableRawPointer.allocate(byteCount: entrySize * count, alignment: 16)
        vtable.initializeMemory(as: UInt8.self, repeating: 0, count: entrySize * count)
        var index = 0
        func next() -> UnsafeMutablePointer<sd_bus_vtable> {
            defer { index += 1 }
            return (vtable + entrySize * index).assumingMemoryBound(to: sd_bus_vtable.self)
        }
        // Argument names, each ended by NUL, as SD_BUS_PARAM writes them.
        func names(_ arguments: [BusInterface.Argument]) -> String { arguments.map { $0.name + "\0" }.joined() }
        func signature(_ arguments: [BusInterface.Argument]) -> String { arguments.map(\.signature).joined() }

        sse_bus_vtable_start(next(), 0)
        for method in interface.methods {
            sse_bus_vtable_method(
                next(),
                keep(method.name),
                keep(signature(method.input)),
                keep(signature(method.output)),
                keep(names(method.input + method.output)),
                { message, context, error in context!.object(as: BusExportedObject.self).dispatch(message!, error) },
                method.unprivileged ? UInt64(SD_BUS_VTABLE_UNPRIVILEGED) : 0
            )
        }
        for property in interface.properties {
            sse_bus_vtable_property(
                next(),
                keep(property.name),
                keep(property.signature),
                { _, _, _, name, reply, context, error in
                    context!.object(as: BusExportedObject.self).get(name!, into: reply!, error)
                },
                UInt64(SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE)
            )
        }
        for signal in interface.signals {
            sse_bus_vtable_signal(next(), keep(signal.name), keep(signature(signal.arguments)), keep(names(signal.arguments)), 0)
        }
        sse_bus_vtable_end(next())
        let table = vtable.assumingMemoryBound(to: sd_bus_vtable.self)
        let context = UnsafeMutableRawPointer(unretained: self)
        try BusError.check(
            "sd_bus_add_object_vtable \(path)",
            sd_bus_add_object_vtable(bus, &slot, path, interface.name, table, context)
        )
    }

    deinit {
        sd_bus_slot_unref(slot)
        vtable.deallocate()
        for string in strings { free(string) }
    }

    /// A C copy of `text` (with any NULs inside, as the argument names need) that lives as long as the object.
    private func keep(_ text: String) -> UnsafeMutablePointer<CChar> {
        let bytes = Array(text.utf8) + [0]
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        for (offset, byte) in bytes.enumerated() { copy[offset] = CChar(bitPattern: byte) }
        strings.append(copy)
        return copy
    }

    private func dispatch(_ pointer: OpaquePointer, _ replyError: UnsafeMutablePointer<sd_bus_error>?) -> Int32 {
        let call = BusMessage(borrowing: pointer)
        guard let member = call.member, let method = interface.methods.first(where: { $0.name == member }) else {
            return BusError(name: "org.freedesktop.DBus.Error.UnknownMethod", message: "no such method").set(replyError)
        }
        do throws(BusError) {
            var replyPointer: OpaquePointer?
            try BusError.check("sd_bus_message_new_method_return", sd_bus_message_new_method_return(pointer, &replyPointer))
            let reply = BusMessage(taking: replyPointer!)
            var arguments = call.reader()
            var writer = reply.writer()
            try method.handler(&arguments, &writer)
            try BusError.check("sd_bus_send", sd_bus_send(nil, reply.pointer, nil))
            return 1
        } catch {
            return error.set(replyError)
        }
    }

    private func get(
        _ name: UnsafePointer<CChar>,
        into reply: OpaquePointer,
        _ replyError: UnsafeMutablePointer<sd_bus_error>?
    ) -> Int32 {
        let name = String(cString: name)
        guard let property = interface.properties.first(where: { $0.name == name }) else {
            return BusError(name: "org.freedesktop.DBus.Error.UnknownProperty", message: "no property \(name)").set(replyError)
        }
        do throws(BusError) {
            var writer = BusMessage(borrowing: reply).writer()
            try property.get(&writer)
            return 1
        } catch {
            return error.set(replyError)
        }
    }
}
