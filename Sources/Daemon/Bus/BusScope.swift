import CSystemd
import Glibc

/// Which bus a connection opens: the system bus, the user's session bus, or one at an explicit address.
public enum BusScope: Sendable, Equatable, CustomStringConvertible {
    /// The system bus (`$DBUS_SYSTEM_BUS_ADDRESS`, or `/run/dbus/system_bus_socket`).
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

    /// The bus's D-Bus address, as `sd_bus_open_system` and `sd_bus_open_user` find it; nil for a user bus when
    /// neither variable is set.
    func address(environment: [String: String]) -> String? {
        switch self {
        case .system:
            environment["DBUS_SYSTEM_BUS_ADDRESS"] ?? "unix:path=/run/dbus/system_bus_socket"
        case .user:
            environment["DBUS_SESSION_BUS_ADDRESS"]
                ?? environment["XDG_RUNTIME_DIR"].map { "unix:path=\(escaped($0))/bus" }
        case .address(let address):
            address
        }
    }

    /// `path` as a D-Bus address value, as systemd's `bus_address_escape`: bytes other than `[-0-9A-Za-z_/.]` as `%xx`.
    private func escaped(_ path: String) -> String {
        let plain = Set("-_/.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        let hex = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for byte in path.utf8 {
            if plain.contains(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Opens a new bus client connection, not yet attached to any loop. With `waitingForTheBus`, sd-bus waits for a
    /// bus not there yet and queues what is sent meanwhile (`bus_open_system_watch_bind` in systemd); without, a bus
    /// that is not there is an error.
    ///
    /// - Throws: `BusError` (`isNotConnected`) when the bus has no address or cannot be reached.
    func open(waitingForTheBus: Bool = false) throws(BusError) -> OpaquePointer {
        guard let address = address(environment: ProcessEnvironment.current()) else {
            throw BusError(
                "no address for \(self) (neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR)",
                result: -ENOMEDIUM
            )
        }
        var bus: OpaquePointer?
        try BusError.check("sd_bus_new", sd_bus_new(&bus))
        do throws(BusError) {
            try BusError.check("sd_bus_set_address", sd_bus_set_address(bus, address))
            try BusError.check("sd_bus_set_bus_client", sd_bus_set_bus_client(bus, 1))
            // As sd_bus_open_user: no per-method access control on one's own bus.
            if self == .user { try BusError.check("sd_bus_set_trusted", sd_bus_set_trusted(bus, 1)) }
            try BusError.check("sd_bus_set_watch_bind", sd_bus_set_watch_bind(bus, waitingForTheBus ? 1 : 0))
            try BusError.check("sd_bus_start", sd_bus_start(bus))
        } catch {
            sd_bus_unref(bus)
            throw error
        }
        return bus!
    }
}
