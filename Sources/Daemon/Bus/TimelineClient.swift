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

    /// `ListDeliveries`: the deliveries to named channels waiting for a retry.
    public func deliveries() throws(BusError) -> [ChannelDeliverer.Retry] {
        var reader = try call("ListDeliveries").reader()
        return try reader.read([ChannelDeliverer.Retry].self)
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

    /// `ListCalendars`.
    public func calendars() throws(BusError) -> [VdirCalendars.Status] {
        var reader = try call("ListCalendars").reader()
        return try reader.read([CalendarStatusRecord].self).map(\.status)
    }

    /// The `Status` property.
    public func status() throws(BusError) -> String {
        let value = try bus.property("Status", at: TimelineBusAPI.locator)
        guard case .string(let text) = value else { return "" }
        return text
    }
}
