import CSystemd
import CSystemdBus
import Glibc

/// A D-Bus interface an object exports: its methods, properties and signals, as sd-bus introspects them.
public struct BusInterface {
    /// One argument of a method or signal, named in the introspection data.
    public struct Argument {
        /// The argument's name.
        public var name: String
        /// Its D-Bus signature (one complete type).
        public var signature: String

        /// The argument `name` of type `signature`.
        public init(_ name: String, _ signature: String) {
            self.name = name
            self.signature = signature
        }
    }

    /// A method: reads its arguments from the call, writes its results into the reply, or throws a
    /// `BusError`, which becomes the error reply.
    public struct Method {
        /// The member name, e.g. `ListPending`.
        public var name: String
        /// Its input arguments.
        public var input: [Argument]
        /// Its output arguments.
        public var output: [Argument]
        /// Whether callers without privileges may call it on the system bus (sd-bus otherwise requires
        /// `CAP_SYS_ADMIN` or the daemon's own user: `SD_BUS_VTABLE_UNPRIVILEGED`). The D-Bus policy decides
        /// who may send the call at all.
        public var unprivileged: Bool
        /// The handler: the call's arguments, the reply to fill in.
        public var handler:
            (_ arguments: inout BusMessageReader, _ reply: inout BusMessageWriter) throws(BusError) -> Void

        /// A method; see the properties.
        public init(
            _ name: String,
            input: [Argument] = [],
            output: [Argument] = [],
            unprivileged: Bool = false,
            handler:
                @escaping (_ arguments: inout BusMessageReader, _ reply: inout BusMessageWriter) throws(BusError) ->
                Void
        ) {
            self.name = name
            self.input = input
            self.output = output
            self.unprivileged = unprivileged
            self.handler = handler
        }
    }

    /// How clients learn that a property changed.
    public enum PropertyChange {
        /// It never changes while the object exists.
        case constant
        /// `PropertiesChanged` carries the new value (the exporter calls `emitPropertiesChanged`).
        case emitsChange
        /// `PropertiesChanged` names it; clients read it again.
        case emitsInvalidation
        /// No signal; clients read it when they need it.
        case none
    }

    /// A read-only property.
    public struct Property {
        /// The property name, e.g. `NextDue`.
        public var name: String
        /// Its D-Bus signature.
        public var signature: String
        /// How changes are signalled.
        public var change: PropertyChange
        /// Writes the current value.
        public var get: (_ value: inout BusMessageWriter) throws(BusError) -> Void

        /// A property; see the properties.
        public init(
            _ name: String,
            _ signature: String,
            change: PropertyChange,
            get: @escaping (_ value: inout BusMessageWriter) throws(BusError) -> Void
        ) {
            self.name = name
            self.signature = signature
            self.change = change
            self.get = get
        }
    }

    /// A signal the object sends.
    public struct Signal {
        /// The member name, e.g. `ReminderDue`.
        public var name: String
        /// Its arguments.
        public var arguments: [Argument]

        /// A signal; see the properties.
        public init(_ name: String, arguments: [Argument]) {
            self.name = name
            self.arguments = arguments
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
        self.name = name
        self.methods = methods
        self.properties = properties
        self.signals = signals
    }
}

/// An object exported on a connection (`BusConnection.export`), through an sd-bus vtable built from its
/// `BusInterface`; exported again after each reconnect, and removed when released.
public final class BusExportedObject: BusRegistration {
    /// The object path.
    public let path: String
    /// What it exports.
    public let interface: BusInterface
    private let vtable: UnsafeMutableRawPointer
    // The vtable points into these C strings; they live as long as the object.
    private var strings: [UnsafeMutablePointer<CChar>] = []

    init(path: String, interface: BusInterface) {
        self.path = path
        self.interface = interface
        let entrySize = sse_bus_vtable_entry_size()
        let count = 2 + interface.methods.count + interface.properties.count + interface.signals.count
        vtable = UnsafeMutableRawPointer.allocate(byteCount: entrySize * count, alignment: 16)
        vtable.initializeMemory(as: UInt8.self, repeating: 0, count: entrySize * count)
        super.init()
        func entry(_ index: Int) -> UnsafeMutablePointer<sd_bus_vtable> {
            (vtable + entrySize * index).assumingMemoryBound(to: sd_bus_vtable.self)
        }
        var index = 0
        sse_bus_vtable_start(entry(index), 0)
        index += 1
        for method in interface.methods {
            let names = (method.input + method.output).map { $0.name + "\0" }.joined()
            sse_bus_vtable_method(
                entry(index),
                keep(method.name),
                keep(method.input.map(\.signature).joined()),
                keep(method.output.map(\.signature).joined()),
                keep(names),
                { message, context, replyError in
                    BusRegistration.object(context, as: BusExportedObject.self).dispatch(message!, replyError)
                },
                method.unprivileged ? UInt64(SD_BUS_VTABLE_UNPRIVILEGED) : 0
            )
            index += 1
        }
        for property in interface.properties {
            let flags: UInt64 =
                switch property.change {
                case .constant: UInt64(SD_BUS_VTABLE_PROPERTY_CONST)
                case .emitsChange: UInt64(SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE)
                case .emitsInvalidation: UInt64(SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION)
                case .none: 0
                }
            sse_bus_vtable_property(
                entry(index),
                keep(property.name),
                keep(property.signature),
                { _, _, _, name, reply, context, replyError in
                    BusRegistration.object(context, as: BusExportedObject.self).get(name!, into: reply!, replyError)
                },
                flags
            )
            index += 1
        }
        for signal in interface.signals {
            sse_bus_vtable_signal(
                entry(index),
                keep(signal.name),
                keep(signal.arguments.map(\.signature).joined()),
                keep(signal.arguments.map { $0.name + "\0" }.joined()),
                0
            )
            index += 1
        }
        sse_bus_vtable_end(entry(index))
    }

    deinit {
        uninstall()
        vtable.deallocate()
        for string in strings { free(string) }
    }

    /// A C copy of `text` (with any NULs inside, as the argument names need) that lives as long as the object.
    private func keep(_ text: String) -> UnsafeMutablePointer<CChar> {
        let bytes = Array(text.utf8) + [0]
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        bytes.withUnsafeBufferPointer { buffer in
            for (offset, byte) in buffer.enumerated() { copy[offset] = CChar(bitPattern: byte) }
        }
        strings.append(copy)
        return copy
    }

    override func install(on bus: OpaquePointer) throws(BusError) {
        let table = vtable.assumingMemoryBound(to: sd_bus_vtable.self)
        try BusError.check(
            "sd_bus_add_object_vtable",
            sd_bus_add_object_vtable(bus, &slot, path, interface.name, table, context)
        )
    }

    private func dispatch(_ pointer: OpaquePointer, _ replyError: UnsafeMutablePointer<sd_bus_error>?) -> Int32 {
        let call = BusMessage(borrowing: pointer)
        guard let member = call.member, let method = interface.methods.first(where: { $0.name == member }) else {
            return BusError(name: "org.freedesktop.DBus.Error.UnknownMethod", message: "no such method").set(replyError)
        }
        do throws(BusError) {
            var replyPointer: OpaquePointer?
            try BusError.check(
                "sd_bus_message_new_method_return",
                sd_bus_message_new_method_return(pointer, &replyPointer)
            )
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
            return BusError(name: "org.freedesktop.DBus.Error.UnknownProperty", message: "no property \(name)").set(
                replyError
            )
        }
        do throws(BusError) {
            var writer = BusMessage(borrowing: reply).writer()
            try property.get(&writer)
            return 1
        } catch {
            return error.set(replyError)
        }
    }

    public override var description: String { "the object \(path) (\(interface.name))" }
}
