import Daemon

/// A notification server double: records every call, answers as told, and sends the events a test asks for
/// (an action invoked, a notification closed, the server going away or coming back).
///
/// ```
/// let server = RecordingNotificationServer()
/// let channel = DesktopChannel(server: server, clock: clock, logger: logger, followUps: ...)
/// channel.delivered(reminder)
/// #expect(server.shown.last?.summary == "Exam starts in 1 hour")
/// server.send(.actionInvoked(id: 1, action: "dismiss"))
/// ```
public final class RecordingNotificationServer: NotificationServer {
    /// One call, as the channel made it.
    public enum Call: Equatable {
        case capabilities
        case notify(DesktopNotification, replacing: UInt32)
        case close(UInt32)
    }

    /// The channel's handler; `send(_:)` calls it.
    public var onEvent: ((NotificationServerEvent) -> Void)?
    /// Every call, in order.
    public private(set) var calls: [Call] = []
    /// What `GetCapabilities` answers; a failure when nil.
    public var capabilityList: [String]? = ["actions", "body", "body-markup"]
    /// The error of failing calls (no server on the bus).
    public var failure = BusError(name: BusError.serviceUnknown, message: "The name is not activatable")
    /// Whether `Notify` fails.
    public var refusesNotifications = false
    /// The id the next notification gets (`replacing`, when that is not 0).
    public var nextID: UInt32 = 1

    /// A server that shows everything.
    public init() {}

    /// The notifications shown, in order.
    public var shown: [DesktopNotification] {
        calls.compactMap {
            if case .notify(let notification, _) = $0 { return notification }
            return nil
        }
    }

    /// The ids closed with `CloseNotification`, in order.
    public var closed: [UInt32] {
        calls.compactMap {
            if case .close(let id) = $0 { return id }
            return nil
        }
    }

    /// Sends `event` to the channel, as the server (or the bus) would.
    public func send(_ event: NotificationServerEvent) {
        onEvent?(event)
    }

    /// Forgets the calls so far.
    public func clearCalls() {
        calls = []
    }

    /// Answers `capabilityList`, or fails with `failure` when it is nil.
    public func capabilities(reply: @escaping (Result<[String], BusError>) -> Void) {
        calls.append(.capabilities)
        if let capabilityList {
            reply(.success(capabilityList))
        } else {
            reply(.failure(failure))
        }
    }

    /// Records the notification; answers its id, or fails with `failure` when `refusesNotifications`.
    public func notify(
        _ notification: DesktopNotification,
        replacing: UInt32,
        reply: @escaping (Result<UInt32, BusError>) -> Void
    ) {
        calls.append(.notify(notification, replacing: replacing))
        if refusesNotifications {
            reply(.failure(failure))
            return
        }
        if replacing != 0 {
            reply(.success(replacing))
        } else {
            reply(.success(nextID))
            nextID += 1
        }
    }

    /// Records the id.
    public func close(id: UInt32) {
        calls.append(.close(id))
    }
}
