import CSystemd
import Gettext
import Glibc
import Logging

/// The daemon's connection to a D-Bus bus (sd-bus), attached to its `EventLoop`, whose thread runs every handler.
///
/// As in systemd's own daemons (`bus_open_system_watch_bind`), sd-bus waits for a bus socket not there yet and
/// sends what was queued once connected; a lost connection ends the loop with `EXIT_FAILURE`, for the unit's
/// `Restart=on-failure` to start the daemon again.
///
/// ```
/// let bus = try BusConnection(loop: loop, scope: .user, name: "io.github.ssetimeline.Timeline1", logger: logger)
/// let object = try bus.export(path: "/io/github/ssetimeline/Timeline1", interface: interface)
/// bus.call("GetId", at: .bus) { result in ... }
/// ```
public final class BusConnection {
    /// Which bus.
    public let scope: BusScope
    /// The `sd_bus`.
    public let pointer: OpaquePointer
    private let logger: Logger
    private var disconnected: BusSubscription?

    /// A connection to `scope` on `loop`, owning `name` when given: at once when the bus is up (before the daemon
    /// says READY=1, so that a client started next finds the name), else as soon as sd-bus has connected.
    ///
    /// - Throws: `BusError` when the bus has no address, or the connection cannot be set up on the loop.
    public init(loop: EventLoop, scope: BusScope, name: String? = nil, logger: Logger) throws(BusError) {
        self.scope = scope
        self.logger = logger
        pointer = try scope.open(waitingForTheBus: true)
        do throws(BusError) {
            try BusError.check("sd_bus_attach_event", sd_bus_attach_event(pointer, loop.event, 0))
            try BusError.check("sd_bus_set_exit_on_disconnect", sd_bus_set_exit_on_disconnect(pointer, 1))
        } catch {
            sd_bus_flush_close_unref(pointer)
            throw error
        }
        // sd-bus turns the end of the connection into this local signal, then ends the loop; no AddMatch is sent.
        disconnected = subscribe(
            sender: nil,
            path: "/org/freedesktop/DBus/Local",
            interface: "org.freedesktop.DBus.Local",
            member: "Disconnected"
        ) { [logger] _ in
            let text = Gettext.localizer.tr(
                "lost the connection to %s; exiting with status 1 for the service manager to restart it",
                "\(scope)"
            )
            logger.error("\(text)")
        }
        if let name { request(name) }
    }

    deinit {
        disconnected = nil
        sd_bus_flush_close_unref(pointer)
    }

    /// Requests `name`: synchronously when the bus is up, asynchronously while sd-bus still waits for its socket
    /// (`sd_bus_flush` says so with `EUNATCH` instead of blocking).
    private func request(_ name: String) {
        let failed = { [logger, scope] (error: BusError) in
            logger.error(
                .init(
                    stringLiteral: Gettext.localizer.tr(
                        "cannot own %s on %s: %s; the bus API is off",
                        name,
                        "\(scope)",
                        "\(error)"
                    )
                )
            )
        }
        if sd_bus_flush(pointer) != -EUNATCH {
            let result = sd_bus_request_name(pointer, name, 0)
            if result < 0 { failed(BusError("sd_bus_request_name \(name)", result: result)) }
            return
        }
        call("RequestName", at: .bus, arguments: { (writer) throws(BusError) in try writer.append(name, UInt32(0)) }) {
            // 1: the primary owner now; otherwise in the queue behind another owner (2) or refused (3).
            switch $0.value(UInt32.self) {
            case .success(1): break
            case .success(let answer):
                failed(BusError(name: BusError.failed, message: "RequestName answered \(answer)"))
            case .failure(let error): failed(error)
            }
        }
    }

    /// The connection's unique name on the bus (`:1.42`), once connected.
    public var uniqueName: String? {
        var name: UnsafePointer<CChar>?
        // sd_bus_get_unique_name would block until connected.
        guard sd_bus_is_ready(pointer) > 0, sd_bus_get_unique_name(pointer, &name) >= 0, let name else { return nil }
        return String(cString: name)
    }

    /// Exports `interface` at `path` (the standard Introspectable, Properties and Peer interfaces come with it),
    /// as long as the returned object lives.
    public func export(path: String, interface: BusInterface) throws(BusError) -> BusExportedObject {
        try BusExportedObject(path: path, interface: interface, on: pointer)
    }

    /// Calls `handler` with each signal that matches; nil arguments match anything. Active as long as the
    /// returned subscription lives; a match that cannot be added is logged.
    public func subscribe(
        sender: String?,
        path: String?,
        interface: String?,
        member: String?,
        firstArgument: String? = nil,
        handler: @escaping (BusMessage) -> Void
    ) -> BusSubscription {
        let parts = [
            ("sender", sender), ("path", path), ("interface", interface), ("member", member), ("arg0", firstArgument),
        ]
        let filters = parts.compactMap { key, value in value.map { "\(key)='\($0)'" } }
        let rule = (["type='signal'"] + filters).joined(separator: ",")
        let subscription = BusSubscription(handler)
        let context = UnsafeMutableRawPointer(unretained: subscription)
        let result = sd_bus_add_match_async(pointer, &subscription.slot, rule, BusSubscription.callback, nil, context)
        if result < 0 {
            let error = BusError("sd_bus_add_match_async", result: result)
            logger.error(.init(stringLiteral: Gettext.localizer.tr("cannot listen to %s: %s", rule, "\(error)")))
        }
        return subscription
    }

    /// Calls `handler` with the current owner of `name` (nil: none) once connected, and again each time the
    /// owner changes (`NameOwnerChanged`). Active as long as the returned subscription lives.
    public func watchOwner(of name: String, handler: @escaping (_ owner: String?) -> Void) -> BusSubscription {
        let bus = BusLocator.bus
        let subscription = subscribe(
            sender: bus.destination,
            path: bus.path,
            interface: bus.interface,
            member: "NameOwnerChanged",
            firstArgument: name
        ) { message in
            var reader = message.reader()
            guard (try? reader.read(String.self)) == name, (try? reader.read(String.self)) != nil,
                let owner = try? reader.read(String.self)
            else { return }
            handler(owner.isEmpty ? nil : owner)
        }
        call("GetNameOwner", at: bus, arguments: { (writer) throws(BusError) in try writer.append(name) }) {
            [weak subscription] result in
            if subscription != nil { handler(try? result.value(String.self).get()) }
        }
        return subscription
    }

    /// Calls the method `member` at `locator` with `arguments`, and `reply` on the loop with the reply or the
    /// failure (error reply, timeout, connection lost); before returning when the call cannot be made.
    ///
    /// - Parameter timeout: how long to wait for the reply; nil for sd-bus's default (25 s).
    public func call(
        _ member: String,
        at locator: BusLocator,
        timeout: Duration? = nil,
        arguments: (inout BusMessageWriter) throws(BusError) -> Void = { _ throws(BusError) in },
        reply: @escaping (Result<BusMessage, BusError>) -> Void
    ) {
        do throws(BusError) {
            let message = try BusMessage(calling: member, at: locator, on: pointer, arguments: arguments)
            var slot: OpaquePointer?
            let context = UnsafeMutableRawPointer(retained: ReplyHandler(reply))
            let timeout = timeout.busMicroseconds
            let result = sd_bus_call_async(pointer, &slot, message.pointer, ReplyHandler.callback, context, timeout)
            guard result >= 0, let slot else {
                context.release(as: ReplyHandler.self)
                throw BusError("sd_bus_call_async", result: result)
            }
            // A floating slot: the bus keeps it, and with it the handler, until the reply came or the bus ended.
            sd_bus_slot_set_destroy_callback(slot) { $0!.release(as: ReplyHandler.self) }
            sd_bus_slot_set_floating(slot, 1)
            sd_bus_slot_unref(slot)
        } catch {
            reply(.failure(error))
        }
    }

    /// Sends a signal from `path`, its arguments written by `arguments`; nothing while not connected yet.
    public func emitSignal(
        path: String,
        interface: String,
        member: String,
        arguments: (inout BusMessageWriter) throws(BusError) -> Void
    ) throws(BusError) {
        guard sd_bus_is_ready(pointer) > 0 else { return }
        var message: OpaquePointer?
        try BusError.check(
            "sd_bus_message_new_signal",
            sd_bus_message_new_signal(pointer, &message, path, interface, member)
        )
        let signal = BusMessage(taking: message!)
        var writer = signal.writer()
        try arguments(&writer)
        try BusError.check("sd_bus_send", sd_bus_send(pointer, signal.pointer, nil))
    }

    /// Sends `org.freedesktop.DBus.Properties.PropertiesChanged` with the new values of `names` of `interface`
    /// at `path`; nothing while not connected yet.
    public func emitPropertiesChanged(path: String, interface: String, names: [String]) throws(BusError) {
        guard sd_bus_is_ready(pointer) > 0, !names.isEmpty else { return }
        var strings: [UnsafeMutablePointer<CChar>?] = names.map { strdup($0) }
        strings.append(nil)
        defer { for string in strings { free(string) } }
        try BusError.check(
            "sd_bus_emit_properties_changed_strv",
            strings.withUnsafeMutableBufferPointer {
                sd_bus_emit_properties_changed_strv(pointer, path, interface, $0.baseAddress)
            }
        )
    }
}

/// A signal match: its handler runs with each matching signal as long as this object lives (its slot goes first
/// when it is released, so sd-bus never calls into a freed object).
public final class BusSubscription {
    fileprivate var slot: OpaquePointer?
    private let handler: (BusMessage) -> Void

    fileprivate init(_ handler: @escaping (BusMessage) -> Void) {
        self.handler = handler
    }

    deinit {
        sd_bus_slot_unref(slot)
    }

    fileprivate static let callback: sd_bus_message_handler_t = { message, context, _ in
        context!.object(as: BusSubscription.self).handler(BusMessage(borrowing: message!))
        return 0
    }
}

/// The closure a reply callback calls, kept alive by the call's slot.
private final class ReplyHandler {
    let handler: (Result<BusMessage, BusError>) -> Void

    init(_ handler: @escaping (Result<BusMessage, BusError>) -> Void) {
        self.handler = handler
    }

    static let callback: sd_bus_message_handler_t = { message, context, _ in
        let reply = BusMessage(borrowing: message!)
        context!.object(as: ReplyHandler.self).handler(reply.error.map { .failure($0) } ?? .success(reply))
        return 0
    }
}
