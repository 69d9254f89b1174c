import CSystemd
import CSystemdBus
import Glibc

/// A D-Bus interface an object exports: its methods, read-only properties and signals, as sd-bus introspects them.
public struct BusInterface {
    /// An argument of a method or signal: its name in the introspection data and its signature.
    public typealias Argument = (name: String, signature: String)
    /// A method's handler: reads the arguments, writes the reply; a `BusError` it throws is the error reply.
    public typealias Handler = (_ arguments: inout BusMessageReader, _ reply: inout BusMessageWriter) throws(BusError)
        -> Void
    /// A property's getter: writes the current value.
    public typealias Getter = (_ value: inout BusMessageWriter) throws(BusError) -> Void

    /// A member of the interface.
    public enum Member {
        /// A method. `unprivileged`: callers without privileges may call it on the system bus (sd-bus otherwise
        /// requires `CAP_SYS_ADMIN` or the daemon's own user); the D-Bus policy decides who may send it at all.
        case method(String, input: [Argument] = [], output: [Argument] = [], unprivileged: Bool = false, Handler)
        /// A read-only property whose changes `PropertiesChanged` carries (`BusConnection.emitPropertiesChanged`).
        case property(String, signature: String, Getter)
        /// A signal the object sends.
        case signal(String, arguments: [Argument])
    }

    /// The interface name, e.g. `io.github.ssetimeline.Timeline1`.
    public var name: String
    /// Its members.
    public var members: [Member]

    /// The interface `name` with its methods, properties and signals.
    public init(name: String, methods: [Member] = [], properties: [Member] = [], signals: [Member] = []) {
        self.name = name
        members = methods + properties + signals
    }
}

/// An object exported through an sd-bus vtable built from its `BusInterface` (`BusConnection.export`), as long
/// as it lives: its slot goes first, so that sd-bus never calls into a freed object.
public final class BusExportedObject {
    private var methods: [String: BusInterface.Handler] = [:]
    private var properties: [String: BusInterface.Getter] = [:]
    private let vtable: UnsafeMutableRawPointer
    // The vtable points into these C strings; they live as long as the object.
    private var strings: [UnsafeMutablePointer<CChar>] = []
    private var slot: OpaquePointer?

    init(path: String, interface: BusInterface, on bus: OpaquePointer) throws(BusError) {
        let entrySize = sse_bus_vtable_entry_size()
        let count = 2 + interface.members.count
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
        for member in interface.members {
            switch member {
            case .method(let name, let input, let output, let unprivileged, let handler):
                methods[name] = handler
                sse_bus_vtable_method(
                    next(),
                    keep(name),
                    keep(signature(input)),
                    keep(signature(output)),
                    keep(names(input + output)),
                    { message, context, error in context!.object(as: BusExportedObject.self).dispatch(message!, error)
                    },
                    unprivileged ? UInt64(SD_BUS_VTABLE_UNPRIVILEGED) : 0
                )
            case .property(let name, let type, let getter):
                properties[name] = getter
                sse_bus_vtable_property(
                    next(),
                    keep(name),
                    keep(type),
                    { _, _, _, name, reply, context, error in
                        context!.object(as: BusExportedObject.self).get(name!, into: reply!, error)
                    },
                    UInt64(SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE)
                )
            case .signal(let name, let arguments):
                sse_bus_vtable_signal(next(), keep(name), keep(signature(arguments)), keep(names(arguments)), 0)
            }
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
        guard let handler = call.member.flatMap({ methods[$0] }) else {
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
            try handler(&arguments, &writer)
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
        guard let getter = properties[name] else {
            return BusError(name: "org.freedesktop.DBus.Error.UnknownProperty", message: "no property \(name)")
                .set(replyError)
        }
        do throws(BusError) {
            var writer = BusMessage(borrowing: reply).writer()
            try getter(&writer)
            return 1
        } catch {
            return error.set(replyError)
        }
    }
}
