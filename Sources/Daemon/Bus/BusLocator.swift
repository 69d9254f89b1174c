/// Where a method call goes: a peer on the bus (its well-known or unique name), one of its objects, and one
/// interface of that object. systemd's own clients name these triples the same way (`BusLocator` in
/// `src/shared/bus-locator.h`: `bus_systemd_mgr`, `bus_login_mgr`, ...).
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
