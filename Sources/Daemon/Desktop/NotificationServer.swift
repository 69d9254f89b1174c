/// What the desktop channel asks of a notification server (`org.freedesktop.Notifications`), and what it hears
/// from it: the seam between `DesktopChannel` and the bus. `BusNotificationServer` is the real one; tests use a
/// double. Replies and events come on the loop's thread.
public protocol NotificationServer: AnyObject {
    /// Called with each event: the server's owner changed, an action was invoked, a notification was closed.
    var onEvent: ((NotificationServerEvent) -> Void)? { get set }

    /// `GetCapabilities`: what the server can do (`actions`, `body-markup`, ...).
    func capabilities(reply: @escaping (Result<[String], BusError>) -> Void)

    /// `Notify`: shows `notification`, replacing the one with id `replacing` (0: none); the reply is its id.
    func notify(
        _ notification: DesktopNotification,
        replacing: UInt32,
        reply: @escaping (Result<UInt32, BusError>) -> Void
    )

    /// `CloseNotification`: takes the notification `id` away (nothing happens if it is gone already).
    func close(id: UInt32)
}

/// Something the notification server did.
public enum NotificationServerEvent: Equatable, Sendable {
    /// The name has a new owner (a unique name such as `:1.42`), or none: the server started, stopped or was
    /// replaced. Also sent once the first owner is known after connecting.
    case ownerChanged(String?)
    /// `ActionInvoked`: the person chose the action `action` of the notification `id`.
    case actionInvoked(id: UInt32, action: String)
    /// `NotificationClosed`: the notification `id` went away; `reason` 1 expired, 2 dismissed by the person, 3
    /// closed by `CloseNotification`, 4 undefined.
    case closed(id: UInt32, reason: UInt32)
}
