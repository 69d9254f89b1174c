import CSystemd

/// A blocking bus connection for the command line: each call waits for its reply (`sd_bus_call`), no loop.
///
/// The daemon never uses it (it has `BusConnection` on its loop); `sse-timeline pending`, `snooze` and
/// `dismiss` do, as `timedatectl` talks to timedated.
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

/// The daemon's API as the command line calls it (`TimelineBusAPI` on the other end).
public struct TimelineClient {
    /// The connection.
    public let bus: BusClient

    /// A client on `bus`.
    public init(bus: BusClient) {
        self.bus = bus
    }

    private func call(
        _ member: String,
        arguments: (inout BusMessageWriter) throws(BusError) -> Void = { _ throws(BusError) in }
    ) throws(BusError) -> BusMessage {
        try bus.call(member, at: TimelineBusAPI.locator, arguments: arguments)
    }

    /// `ListPending`.
    public func pending(limit: UInt32) throws(BusError) -> [PendingReminder] {
        var reader = try call("ListPending") { (writer) throws(BusError) in try writer.append(limit) }.reader()
        return try reader.read([PendingReminderRecord].self).map(\.reminder)
    }

    /// `Snooze`; returns when the reminder comes back.
    public func snooze(key: String, seconds: UInt64) throws(BusError) -> WallTime {
        var reader = try call("Snooze") { (writer) throws(BusError) in
            try writer.append(key, seconds)
        }.reader()
        return WallTime(microsecondsSinceEpoch: Int64(clamping: try reader.read(UInt64.self)))
    }

    /// `Dismiss`.
    public func dismiss(key: String) throws(BusError) {
        _ = try call("Dismiss") { (writer) throws(BusError) in try writer.append(key) }
    }

    /// `Reload`.
    public func reload() throws(BusError) {
        _ = try call("Reload")
    }

    /// The `Status` property.
    public func status() throws(BusError) -> String {
        let value = try bus.property("Status", at: TimelineBusAPI.locator)
        guard case .string(let text) = value else { return "" }
        return text
    }
}
