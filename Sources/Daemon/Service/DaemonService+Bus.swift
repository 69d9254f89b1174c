import Logging

extension DaemonService {
    /// The well-known name the daemon owns on the bus of its instance (the system bus for the system service,
    /// the user's bus for a user service).
    public static let busName = "io.github.ssetimeline.Timeline1"

    /// The daemon's bus connection on `loop`, owning `busName`; nil when `scope` is nil (no bus). A bus that
    /// cannot be reached is logged and tried again; the reminders do not wait for it.
    static func connectBus(_ scope: BusScope?, loop: EventLoop, logger: Logger) throws(SystemCallError)
        -> BusConnection?
    {
        guard let scope else { return nil }
        return try BusConnection(loop: loop, scope: scope, name: busName, logger: logger)
    }
}
