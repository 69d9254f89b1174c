import CSystemd
import Glibc

/// Something a `BusConnection` installs on each connection (an exported object, a signal match, a name-owner
/// watch) and removes when the connection ends, when `cancel()` is called, or when the object is released.
///
/// C callbacks find it through an unretained pointer; its slot goes first when it is released, so sd-bus never
/// calls into a freed object.
public class BusRegistration: CustomStringConvertible {
    weak var connection: BusConnection?
    /// The sd-bus slot on the current connection (nil while not installed).
    var slot: OpaquePointer?

    init() {}

    deinit {
        uninstall()
    }

    /// Installs it on `bus`, filling in `slot`.
    func install(on bus: OpaquePointer) throws(BusError) {}

    /// Removes it from the current connection.
    func uninstall() {
        if let slot { sd_bus_slot_unref(slot) }
        slot = nil
    }

    /// Removes it for good.
    public func cancel() {
        uninstall()
        connection?.remove(self)
        connection = nil
    }

    /// The pointer handed to C for this object.
    var context: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    static func object<Registration: BusRegistration>(
        _ context: UnsafeMutableRawPointer?,
        as type: Registration.Type
    ) -> Registration {
        Unmanaged<Registration>.fromOpaque(context!).takeUnretainedValue()
    }

    public var description: String { "a bus registration" }
}

/// A signal match (`sd_bus_match_signal_async`): the handler runs with each matching signal.
public final class BusSubscription: BusRegistration {
    let sender: String?
    let path: String?
    let interface: String?
    let member: String?
    let handler: (BusMessage) -> Void

    init(sender: String?, path: String?, interface: String?, member: String?, handler: @escaping (BusMessage) -> Void) {
        self.sender = sender
        self.path = path
        self.interface = interface
        self.member = member
        self.handler = handler
    }

    override func install(on bus: OpaquePointer) throws(BusError) {
        try BusError.check(
            "sd_bus_match_signal_async",
            sd_bus_match_signal_async(
                bus,
                &slot,
                sender,
                path,
                interface,
                member,
                { message, context, _ in
                    BusRegistration.object(context, as: BusSubscription.self).handler(BusMessage(borrowing: message!))
                    return 0
                },
                nil,
                context
            )
        )
    }

    public override var description: String {
        "a match for the signal \(interface ?? "*").\(member ?? "*") from \(sender ?? "anyone")"
    }
}

/// The owner of a name, now and whenever it changes: `GetNameOwner` after each connect, then
/// `NameOwnerChanged` with `arg0` the name. Clients of a service that may restart (a notification server, the
/// daemon itself for the command line) use it.
public final class BusNameOwnerWatch: BusRegistration {
    /// The name watched.
    public let name: String
    /// The owner last seen (a unique name), nil when none.
    public private(set) var owner: String?
    let handler: (String?) -> Void

    init(name: String, handler: @escaping (String?) -> Void) {
        self.name = name
        self.handler = handler
    }

    override func install(on bus: OpaquePointer) throws(BusError) {
        let rule =
            "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
            + "interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='\(name)'"
        try BusError.check(
            "sd_bus_add_match_async",
            sd_bus_add_match_async(
                bus,
                &slot,
                rule,
                { message, context, _ in
                    let watch = BusRegistration.object(context, as: BusNameOwnerWatch.self)
                    var reader = BusMessage(borrowing: message!).reader()
                    guard let name = try? reader.read(String.self), name == watch.name,
                        (try? reader.read(String.self)) != nil, let newOwner = try? reader.read(String.self)
                    else { return 0 }
                    watch.changed(to: newOwner.isEmpty ? nil : newOwner)
                    return 0
                },
                nil,
                context
            )
        )
        guard let connection else { return }
        let call = try connection.methodCall("GetNameOwner", at: .bus)
        var writer = call.writer()
        try writer.append(name)
        connection.call(call) { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let reply):
                var reader = reply.reader()
                self.changed(to: try? reader.read(String.self))
            case .failure:
                self.changed(to: nil)
            }
        }
    }

    override func uninstall() {
        super.uninstall()
        owner = nil
    }

    private func changed(to newOwner: String?) {
        owner = newOwner
        handler(newOwner)
    }

    public override var description: String { "a watch of the owner of \(name)" }
}
