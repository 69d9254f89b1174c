import CSystemd

/// A blocking bus connection for the command line (`pending`, `snooze`, `dismiss`, as `timedatectl` talks to
/// timedated): each call waits for its reply (`sd_bus_call`); the daemon has `BusConnection` on its loop.
public final class BusClient {
    /// The `sd_bus`.
    public let pointer: OpaquePointer
    /// Which bus.
    public let scope: BusScope

    /// Connects to `scope`.
    ///
    /// - Throws: `BusError` when the bus cannot be reached (`isNotConnected`).
    public init(scope: BusScope) throws(BusError) {
        self.scope = scope
        pointer = try scope.open()
    }

    deinit {
        sd_bus_flush_close_unref(pointer)
    }

    /// Calls the method `member` at `locator` and waits for the reply (at most `timeout`; nil: sd-bus's 25 s).
    ///
    /// - Throws: `BusError`: the error reply, or why the call could not be made.
    public func call(
        _ member: String,
        at locator: BusLocator,
        timeout: Duration? = nil,
        arguments: (inout BusMessageWriter) throws(BusError) -> Void = { _ throws(BusError) in }
    ) throws(BusError) -> BusMessage {
        let message = try BusMessage(calling: member, at: locator, on: pointer, arguments: arguments)
        var error = sd_bus_error()
        defer { sd_bus_error_free(&error) }
        var reply: OpaquePointer?
        let result = sd_bus_call(pointer, message.pointer, timeout.busMicroseconds, &error, &reply)
        guard result >= 0, let reply else {
            throw BusError(&error) ?? BusError("sd_bus_call \(locator.interface).\(member)", result: result)
        }
        return BusMessage(taking: reply)
    }

    /// The value of the property `name` of the interface at `locator` (`org.freedesktop.DBus.Properties.Get`).
    public func property(_ name: String, at locator: BusLocator) throws(BusError) -> BusVariant {
        let reply = try call("Get", at: locator.interface("org.freedesktop.DBus.Properties")) {
            (writer) throws(BusError) in try writer.append(locator.interface, name)
        }
        return try Result.success(reply).value(BusVariant.self).get()
    }
}
