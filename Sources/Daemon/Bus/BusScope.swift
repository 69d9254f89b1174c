import CSystemd
import Glibc

/// Which bus a connection opens: the system bus, the user's session bus, or one at an explicit address.
public enum BusScope: Sendable, Equatable, CustomStringConvertible {
    /// The system bus (`/run/dbus/system_bus_socket`, or `$DBUS_SYSTEM_BUS_ADDRESS`).
    case system
    /// The calling user's bus (`$DBUS_SESSION_BUS_ADDRESS`, or `$XDG_RUNTIME_DIR/bus`).
    case user
    /// A bus at a D-Bus address such as `unix:path=/tmp/bus` (tests run a private `dbus-daemon`).
    case address(String)

    public var description: String {
        switch self {
        case .system: "the system bus"
        case .user: "the user bus"
        case .address(let address): "the bus at \(address)"
        }
    }

    /// The bus of the service manager the process runs under: the user bus in a user unit (its cgroup is
    /// under `user@UID.service`), the system bus in a system unit (systemd sets `$INVOCATION_ID` for both),
    /// nil for a process started by hand.
    public static func ofServiceManager(environment: [String: String]) -> BusScope? {
        guard environment["INVOCATION_ID"] != nil else { return nil }
        var unit: UnsafeMutablePointer<CChar>?
        if sd_pid_get_user_unit(0, &unit) >= 0 {
            free(unit)
            return .user
        }
        return .system
    }

    /// The path of the bus's socket when its address is a plain `unix:path=` (the usual case), else nil: what to
    /// watch for while the bus does not exist yet.
    func socketPath(environment: [String: String]) -> String? {
        let address: String?
        switch self {
        case .system:
            address = environment["DBUS_SYSTEM_BUS_ADDRESS"] ?? "unix:path=/run/dbus/system_bus_socket"
        case .user:
            address =
                environment["DBUS_SESSION_BUS_ADDRESS"]
                ?? environment["XDG_RUNTIME_DIR"].map { "unix:path=\($0)/bus" }
        case .address(let value):
            address = value
        }
        guard let address, address.hasPrefix("unix:path="), !address.contains(","), !address.contains(";") else {
            return nil
        }
        return String(address.dropFirst("unix:path=".count))
    }

    /// Opens a new connection, not yet attached to any loop.
    func open() throws(BusError) -> OpaquePointer {
        var bus: OpaquePointer?
        switch self {
        case .system:
            try BusError.check("sd_bus_open_system", sd_bus_open_system(&bus))
        case .user:
            try BusError.check("sd_bus_open_user", sd_bus_open_user(&bus))
        case .address(let address):
            try BusError.check("sd_bus_new", sd_bus_new(&bus))
            do throws(BusError) {
                try BusError.check("sd_bus_set_address", sd_bus_set_address(bus, address))
                try BusError.check("sd_bus_set_bus_client", sd_bus_set_bus_client(bus, 1))
                try BusError.check("sd_bus_start", sd_bus_start(bus))
            } catch {
                sd_bus_unref(bus)
                throw error
            }
        }
        return bus!
    }
}
