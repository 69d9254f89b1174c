import CSystemd
import Glibc
import SystemPackage

/// A D-Bus error: a reverse-DNS name that programs match on and a message that people read. Handlers throw it
/// as their error reply; a failure of libsystemd itself carries sd-bus's name for the errno
/// (`System.Error.ENOTCONN`) and the call that failed.
public struct BusError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The error name, e.g. `org.freedesktop.DBus.Error.ServiceUnknown`.
    public var name: String
    /// What went wrong, for a person.
    public var message: String
    /// The errno of a local failure (nil for an error reply).
    public var errno: Int32?

    /// An error named `name` saying `message`.
    public init(name: String, message: String, errno: Int32? = nil) {
        self.name = name
        self.message = message
        self.errno = errno
    }

    /// A libsystemd call that returned the negative errno `result`.
    public init(_ call: String, result: Int32) {
        let code = Errno(rawValue: -result)
        var error = sd_bus_error()
        _ = sd_bus_error_set_errno(&error, -result)
        let name = error.name.map { String(cString: $0) } ?? "System.Error.\(code.rawValue)"
        sd_bus_error_free(&error)
        self.init(name: name, message: "\(call): \(String(cString: strerror(code.rawValue)))", errno: -result)
    }

    /// The error sd-bus filled in, or nil when it is not set.
    init?(_ error: UnsafePointer<sd_bus_error>?) {
        guard let error, sd_bus_error_is_set(error) != 0, let name = error.pointee.name else { return nil }
        self.init(name: String(cString: name), message: error.pointee.message.map { String(cString: $0) } ?? "")
    }

    /// Whether the error says that nobody owns the name called (the service is not running).
    public var isServiceUnknown: Bool {
        name == BusError.serviceUnknown || name == "org.freedesktop.DBus.Error.NameHasNoOwner"
    }

    /// Whether the call could not reach the bus at all (no socket, refused, the connection closed).
    public var isNotConnected: Bool {
        guard let errno else { return false }
        return [ENOENT, ECONNREFUSED, ENOTCONN, ECONNRESET, ENOMEDIUM, EPIPE].contains(errno)
    }

    /// `org.freedesktop.DBus.Error.ServiceUnknown`: nobody owns the destination name.
    public static let serviceUnknown = "org.freedesktop.DBus.Error.ServiceUnknown"
    /// `org.freedesktop.DBus.Error.InvalidArgs`: an argument of the call is not acceptable.
    public static let invalidArgs = "org.freedesktop.DBus.Error.InvalidArgs"
    /// `org.freedesktop.DBus.Error.Failed`: a generic failure.
    public static let failed = "org.freedesktop.DBus.Error.Failed"

    /// Fills in `error` for sd-bus (a method handler's error reply) and returns the negative value sd-bus wants.
    func set(_ error: UnsafeMutablePointer<sd_bus_error>?) -> Int32 {
        sd_bus_error_set(error, name, message)
    }

    public var description: String {
        message.isEmpty ? name : "\(message) (\(name))"
    }
}

extension BusError {
    /// Throws a `BusError` naming `call` when a libsystemd result is negative; returns it otherwise.
    @discardableResult
    static func check(_ call: String, _ result: Int32) throws(BusError) -> Int32 {
        guard result >= 0 else { throw BusError(call, result: result) }
        return result
    }
}
