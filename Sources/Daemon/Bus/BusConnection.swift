import CLinux
import CSystemd
import Glibc
import Logging
import SystemPackage

/// A connection to a D-Bus bus (sd-bus), attached to the daemon's `EventLoop`: every message is read, and
/// every handler and reply callback runs, on the loop's one thread.
///
/// It owns a well-known name when given one, exports objects, makes asynchronous method calls, and watches
/// signals and name owners. What is registered (`export`, `subscribe`, `watchOwner`) is kept by the connection
/// and installed again after a reconnect: when the bus goes away (`dbus-daemon` restarted, the user's bus
/// ended), the connection logs it once, retries after 1 s (by default), then doubling up to 30 s, and on success installs
/// everything again and calls `onConnected`.
///
/// ```
/// let bus = try BusConnection(loop: loop, scope: .user, name: "io.github.ssetimeline.Timeline1", logger: logger)
/// let object = bus.export(path: "/io/github/ssetimeline/Timeline1", interface: interface)
/// bus.call("GetId", at: .bus) { result in ... }
/// ```
public final class BusConnection {
    /// Which bus.
    public let scope: BusScope
    /// The well-known name requested at each connect, if any.
    public let wellKnownName: String?
    /// The `sd_bus`, nil while disconnected.
    public private(set) var pointer: OpaquePointer?
    /// Whether the connection owns `wellKnownName` now.
    public private(set) var ownsName = false
    /// Called after each successful connect (the first one included), once everything is installed again.
    public var onConnected: (() -> Void)?
    /// Called when the connection is lost.
    public var onDisconnected: (() -> Void)?

    /// The first delay before connecting again; it doubles after each failure.
    public let initialRetryDelay: Duration
    /// The longest delay between two tries.
    public let maximumRetryDelay: Duration = .seconds(30)

    private let loop: EventLoop
    private let logger: Logger
    private var registrations: [WeakRegistration] = []
    private var retryTimer: TimerSource?
    /// While the bus's socket does not exist (no D-Bus on this machine, or not yet): a watch of its directory,
    /// so that the daemon connects when the socket appears without waking up meanwhile.
    private var socketWatch: InotifySource?
    private var retryDelay: Duration
    private var disconnectSlot: OpaquePointer?
    private var failureReported = false

    private struct WeakRegistration {
        weak var value: BusRegistration?
    }

    /// A connection to `scope` on `loop`, owning `name` when given. It connects at once; when that fails, the
    /// failure is logged and it tries again after `retryDelay`, then after twice that, up to 30 s, so the caller
    /// goes on either way.
    ///
    /// - Throws: `SystemCallError` when the retry timer cannot be added to the loop.
    public init(
        loop: EventLoop,
        scope: BusScope,
        name: String? = nil,
        logger: Logger,
        retryDelay: Duration = .seconds(1)
    ) throws(SystemCallError) {
        self.loop = loop
        self.scope = scope
        self.wellKnownName = name
        self.logger = logger
        initialRetryDelay = retryDelay
        self.retryDelay = retryDelay
        retryTimer = try TimerSource(loop: loop, name: "bus reconnect", accuracyMicroseconds: 50_000) {
            [unowned self] in self.connect()
        }
        connect()
    }

    deinit {
        retryTimer = nil
        socketWatch = nil
        dropConnection()
    }

    /// Whether the connection is up.
    public var isConnected: Bool { pointer != nil }

    /// The connection's unique name on the bus (`:1.42`), when connected.
    public var uniqueName: String? {
        guard let pointer else { return nil }
        var name: UnsafePointer<CChar>?
        guard sd_bus_get_unique_name(pointer, &name) >= 0, let name else { return nil }
        return String(cString: name)
    }

    /// Connects now if not connected; returns whether it is connected afterwards. A failure is logged (once
    /// until the next success) and another try scheduled.
    @discardableResult
    public func connect() -> Bool {
        if pointer != nil { return true }
        do throws(BusError) {
            let bus = try scope.open()
            do throws(BusError) {
                try BusError.check("sd_bus_attach_event", sd_bus_attach_event(bus, loop.event, 0))
                // sd-bus turns the end of the connection into this local signal; no AddMatch goes to the bus.
                try BusError.check(
                    "sd_bus_match_signal",
                    sd_bus_match_signal(
                        bus,
                        &disconnectSlot,
                        "org.freedesktop.DBus.Local",
                        "/org/freedesktop/DBus/Local",
                        "org.freedesktop.DBus.Local",
                        "Disconnected",
                        { _, context, _ in
                            Unmanaged<BusConnection>.fromOpaque(context!).takeUnretainedValue().handleDisconnect()
                            return 0
                        },
                        Unmanaged.passUnretained(self).toOpaque()
                    )
                )
            } catch {
                if let disconnectSlot { sd_bus_slot_unref(disconnectSlot) }
                disconnectSlot = nil
                sd_bus_flush_close_unref(bus)
                throw error
            }
            pointer = bus
            if let wellKnownName {
                // Synchronously, so that a client started after READY=1 finds the name owned.
                let result = sd_bus_request_name(bus, wellKnownName, 0)
                if result < 0 {
                    let error = BusError("sd_bus_request_name \(wellKnownName)", result: result)
                    logger.error("cannot own \(wellKnownName) on \(scope): \(error); the bus API is off")
                } else {
                    ownsName = true
                }
            }
            registrations.removeAll { $0.value == nil }
            for registration in registrations.compactMap(\.value) {
                install(registration, on: bus)
            }
            if failureReported {
                logger.notice("connected to \(scope) again")
            }
            failureReported = false
            retryDelay = initialRetryDelay
            socketWatch = nil
            onConnected?()
            return true
        } catch {
            if !failureReported {
                failureReported = true
                logger.warning("cannot connect to \(scope): \(error); trying again, the reminders go on meanwhile")
            }
            scheduleRetry()
            return false
        }
    }

    private func handleDisconnect() {
        logger.warning("lost the connection to \(scope); reconnecting")
        failureReported = true
        dropConnection()
        onDisconnected?()
        scheduleRetry()
    }

    /// Tries again when the bus's socket appears, if it does not exist now (no wake-up meanwhile); otherwise (the
    /// bus refused, or its address is not a plain socket path) after `retryDelay`, doubling up to 30 s.
    private func scheduleRetry() {
        if watchForSocket() { return }
        retryTimer?.schedule(at: SystemClock().now().advanced(by: retryDelay))
        retryDelay = min(retryDelay * 2, maximumRetryDelay)
    }

    /// Watches the directory of a missing bus socket for its creation; false when the socket exists, its address
    /// is not a socket path, or the directory cannot be watched.
    private func watchForSocket() -> Bool {
        guard let path = scope.socketPath(environment: ProcessEnvironment.current()), !FileStatus.entryExists(path)
        else { return false }
        if socketWatch != nil { return true }
        let file = FilePath(path)
        let entry = Array((file.lastComponent?.string ?? "").utf8)
        do {
            socketWatch = try InotifySource(
                loop: loop,
                path: file.removingLastComponent().string,
                mask: UInt32(IN_CREATE | IN_MOVED_TO | IN_ONLYDIR)
            ) { [unowned self] event in
                guard event.name == entry || event.mask & UInt32(IN_Q_OVERFLOW | IN_IGNORED) != 0 else { return }
                self.socketWatch = nil
                self.connect()
            }
            return true
        } catch {
            return false
        }
    }

    /// Releases the bus and every slot that refers to it (a slot holds a reference to its bus).
    private func dropConnection() {
        for registration in registrations.compactMap(\.value) {
            registration.uninstall()
        }
        if let disconnectSlot { sd_bus_slot_unref(disconnectSlot) }
        disconnectSlot = nil
        if let pointer { sd_bus_flush_close_unref(pointer) }
        pointer = nil
        ownsName = false
    }

    // MARK: - Registrations

    /// Keeps `registration` installed on every connection from now on, until it is cancelled or released.
    func add(_ registration: BusRegistration) {
        registration.connection = self
        registrations.append(WeakRegistration(value: registration))
        if let pointer { install(registration, on: pointer) }
    }

    func remove(_ registration: BusRegistration) {
        registrations.removeAll { $0.value == nil || $0.value === registration }
    }

    private func install(_ registration: BusRegistration, on bus: OpaquePointer) {
        do throws(BusError) {
            try registration.install(on: bus)
        } catch {
            logger.error("cannot register \(registration) on \(scope): \(error)")
        }
    }

    /// Exports `interface` at `path` (the standard Introspectable, Properties and Peer interfaces come with it).
    /// It stays exported as long as the returned object lives.
    public func export(path: String, interface: BusInterface) -> BusExportedObject {
        let object = BusExportedObject(path: path, interface: interface)
        add(object)
        return object
    }

    /// Calls `handler` with each signal that matches; nil arguments match anything. Active as long as the
    /// returned subscription lives.
    public func subscribe(
        sender: String?,
        path: String?,
        interface: String?,
        member: String?,
        handler: @escaping (BusMessage) -> Void
    ) -> BusSubscription {
        let subscription = BusSubscription(
            sender: sender,
            path: path,
            interface: interface,
            member: member,
            handler: handler
        )
        add(subscription)
        return subscription
    }

    /// Calls `handler` with the current owner of `name` (nil: none) after each connect, and again each time
    /// the owner changes (`NameOwnerChanged`). Active as long as the returned watch lives.
    public func watchOwner(of name: String, handler: @escaping (_ owner: String?) -> Void) -> BusNameOwnerWatch {
        let watch = BusNameOwnerWatch(name: name, handler: handler)
        add(watch)
        return watch
    }

    // MARK: - Calls and signals

    /// A new call of the method `member` at `locator`, to fill in and pass to `call(_:timeout:reply:)`.
    public func methodCall(_ member: String, at locator: BusLocator) throws(BusError) -> BusMessage {
        guard let pointer else { throw Self.notConnected }
        return try BusMessage(calling: member, at: locator, on: pointer)
    }

    /// Sends `message` (a method call) and calls `reply` on the loop with the reply, or with the error reply or
    /// the failure (no such service, timeout, connection lost). When the message cannot be sent, `reply` is
    /// called before this returns.
    ///
    /// - Parameter timeout: how long to wait for the reply; nil for sd-bus's default (25 s).
    public func call(
        _ message: BusMessage,
        timeout: Duration? = nil,
        reply: @escaping (Result<BusMessage, BusError>) -> Void
    ) {
        guard let pointer else {
            reply(.failure(Self.notConnected))
            return
        }
        let box = Unmanaged.passRetained(ReplyHandler(reply))
        var slot: OpaquePointer?
        let microseconds =
            timeout.map {
                UInt64(max(1, $0.components.seconds * 1_000_000 + $0.components.attoseconds / 1_000_000_000_000))
            } ?? 0
        let result = sd_bus_call_async(
            pointer,
            &slot,
            message.pointer,
            { message, context, _ in
                let handler = Unmanaged<ReplyHandler>.fromOpaque(context!).takeUnretainedValue()
                let reply = BusMessage(borrowing: message!)
                if let error = reply.error {
                    handler.handler(.failure(error))
                } else {
                    handler.handler(.success(reply))
                }
                return 0
            },
            box.toOpaque(),
            microseconds
        )
        guard result >= 0, let slot else {
            box.release()
            reply(.failure(BusError("sd_bus_call_async", result: result)))
            return
        }
        // The bus keeps the slot until the reply came (or the connection ended); then the box goes with it.
        sd_bus_slot_set_destroy_callback(slot) { context in
            Unmanaged<ReplyHandler>.fromOpaque(context!).release()
        }
        sd_bus_slot_set_floating(slot, 1)
        sd_bus_slot_unref(slot)
    }

    /// Calls the method `member` at `locator`, its arguments written by `arguments`, and calls `reply` on the loop
    /// as `call(_:timeout:reply:)` does; when the call cannot even be made (no connection, an argument that cannot
    /// be written), `reply` is called before this returns.
    public func call(
        _ member: String,
        at locator: BusLocator,
        timeout: Duration? = nil,
        arguments: (inout BusMessageWriter) throws(BusError) -> Void = { _ throws(BusError) in },
        reply: @escaping (Result<BusMessage, BusError>) -> Void
    ) {
        let message: BusMessage
        do throws(BusError) {
            message = try methodCall(member, at: locator)
            var writer = message.writer()
            try arguments(&writer)
        } catch {
            reply(.failure(error))
            return
        }
        call(message, timeout: timeout, reply: reply)
    }

    /// Sends a signal from `path`, its arguments written by `arguments`.
    public func emitSignal(
        path: String,
        interface: String,
        member: String,
        arguments: (inout BusMessageWriter) throws(BusError) -> Void
    ) throws(BusError) {
        guard let pointer else { throw Self.notConnected }
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

    /// Sends `org.freedesktop.DBus.Properties.PropertiesChanged` for `names` of `interface` at `path` (their
    /// new values, or only their names for properties declared `.emitsInvalidation`).
    public func emitPropertiesChanged(path: String, interface: String, names: [String]) throws(BusError) {
        guard let pointer, !names.isEmpty else { return }
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

    /// The error of a call made while the connection is down.
    static let notConnected = BusError(
        name: "System.Error.ENOTCONN",
        message: "not connected to the bus",
        errno: ENOTCONN
    )
}

/// The closure a reply callback calls, kept alive by the call's slot.
private final class ReplyHandler {
    let handler: (Result<BusMessage, BusError>) -> Void

    init(_ handler: @escaping (Result<BusMessage, BusError>) -> Void) {
        self.handler = handler
    }
}
