/// The notification server of the session bus, `org.freedesktop.Notifications` (Desktop Notifications
/// Specification 1.2), through a `BusConnection` on the daemon's loop.
///
/// It watches the name's owner (`NameOwnerChanged`), so a server that starts late, stops or restarts is noticed,
/// and listens for `ActionInvoked` and `NotificationClosed` from the current owner. Calls may start a server
/// through D-Bus activation, as any client's would.
public final class BusNotificationServer: NotificationServer {
    /// The well-known name, also the interface.
    public static let name = "org.freedesktop.Notifications"
    /// The object path.
    public static let path = "/org/freedesktop/Notifications"
    /// Where its methods are called.
    static let server = BusLocator(destination: name, path: path, interface: name)

    /// Called with the owner changes and the signals of the current owner.
    public var onEvent: ((NotificationServerEvent) -> Void)?

    private let connection: BusConnection
    private let callTimeout: Duration
    private var watch: BusSubscription?
    private var subscriptions: [BusSubscription] = []
    private var owner: String?

    /// A client of the server on `connection`; a call without answer fails after `callTimeout`.
    public init(connection: BusConnection, callTimeout: Duration = .seconds(10)) {
        self.connection = connection
        self.callTimeout = callTimeout
        watch = connection.watchOwner(of: Self.name) { [unowned self] owner in
            self.owner = owner
            self.onEvent?(.ownerChanged(owner))
        }
        // The server sends both signals to the client that made the notification; the match also lets sd-bus
        // hand them to this handler. Signals from anyone but the current owner are not the server's.
        for member in ["ActionInvoked", "NotificationClosed"] {
            subscriptions.append(
                connection.subscribe(sender: nil, path: Self.path, interface: Self.name, member: member) {
                    [unowned self] message in self.received(message)
                }
            )
        }
    }

    private func received(_ message: BusMessage) {
        if let owner, message.sender != owner { return }
        var reader = message.reader()
        switch message.member {
        case "ActionInvoked":
            guard let id = try? reader.read(UInt32.self), let action = try? reader.read(String.self) else { return }
            onEvent?(.actionInvoked(id: id, action: action))
        case "NotificationClosed":
            guard let id = try? reader.read(UInt32.self), let reason = try? reader.read(UInt32.self) else { return }
            onEvent?(.closed(id: id, reason: reason))
        default:
            return
        }
    }

    /// `GetCapabilities`.
    public func capabilities(reply: @escaping (Result<[String], BusError>) -> Void) {
        call("GetCapabilities") { reply($0.value([String].self)) }
    }

    /// `Notify`, as `app_name` "sse-timeline".
    public func notify(
        _ notification: DesktopNotification,
        replacing: UInt32,
        reply: @escaping (Result<UInt32, BusError>) -> Void
    ) {
        call(
            "Notify",
            arguments: { (writer) throws(BusError) in
                try writer.append(
                    DesktopNotification.appName,
                    replacing,
                    notification.icon,
                    notification.summary,
                    notification.body,
                    notification.actionStrings,
                    notification.hints,
                    notification.expireTimeout
                )
            }
        ) { reply($0.value(UInt32.self)) }
    }

    /// `CloseNotification`; its answer is not awaited.
    public func close(id: UInt32) {
        call("CloseNotification", arguments: { (writer) throws(BusError) in try writer.append(id) }) { _ in }
    }

    private func call(
        _ member: String,
        arguments: (inout BusMessageWriter) throws(BusError) -> Void = { _ throws(BusError) in },
        reply: @escaping (Result<BusMessage, BusError>) -> Void
    ) {
        connection.call(member, at: Self.server, timeout: callTimeout, arguments: arguments, reply: reply)
    }
}
