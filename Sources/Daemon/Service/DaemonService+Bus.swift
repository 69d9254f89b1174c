import Gettext
import Glibc
import Logging

/// The daemon's parts beyond the journal: its bus connection and the API object on it, kept alive by `run()`.
final class DaemonBus {
    /// The connection owning `DaemonService.busName`.
    let connection: BusConnection
    /// The API object.
    let api: TimelineBusAPI
    /// The `on_due` actions.
    let actions: DueActionRunner
    /// The named channels' deliveries.
    let channels: ChannelDeliverer
    private let sources: [AnyObject]

    init(
        connection: BusConnection,
        api: TimelineBusAPI,
        actions: DueActionRunner,
        channels: ChannelDeliverer,
        sources: [AnyObject]
    ) {
        self.connection = connection
        self.api = api
        self.actions = actions
        self.channels = channels
        self.sources = sources
    }
}

extension DaemonService {
    /// The well-known name the daemon owns on the bus of its instance (the system bus for the system service,
    /// the user's bus for a user service).
    public static let busName = TimelineBusAPI.interfaceName

    /// Wires `scheduler` to the bus, before it starts, when `scope` is given: a connection on `loop` owning
    /// `busName`, the API object (`TimelineBusAPI`) whose answers `arm` arms the due timer with, its
    /// `PropertiesChanged` once per wake-up, its `ReminderDue` for every reminder written, the `on_due` actions (`DueActionRunner`), the
    /// named channels' deliveries (`ChannelDeliverer`, with their retry timer). While the bus's
    /// socket is not there, sd-bus waits for it (`BusConnection`); a bus without an address (a user bus without
    /// `XDG_RUNTIME_DIR`) is logged and the daemon goes on without one: the reminders do not wait for it.
    static func attachBus(
        _ scope: BusScope?,
        loop: EventLoop,
        scheduler: Scheduler,
        sink: any NotificationSink,
        logger: Logger,
        calendars: VdirCalendars? = nil,
        arm: @escaping (WallTime?) -> Void
    ) throws(SystemCallError) -> DaemonBus? {
        guard let scope else { return nil }
        let connection: BusConnection
        let api: TimelineBusAPI
        let object: BusExportedObject
        do throws(BusError) {
            connection = try BusConnection(loop: loop, scope: scope, name: busName, logger: logger)
            api = TimelineBusAPI(
                scheduler: scheduler,
                sender: try BusTimelineSignals(connection: connection),
                calendars: { calendars?.currentStatuses ?? [] },
                arm: arm
            )
            object = try connection.export(path: TimelineBusAPI.objectPath, interface: api.interface)
        } catch {
            let text = Gettext.localizer.tr(
                "cannot use %s: %s; no bus API, no on_due actions and no named channels, the reminders go on",
                "\(scope)",
                "\(error)"
            )
            logger.warning("\(text)")
            return nil
        }
        scheduler.observers.append(api)
        let changes = try PostSource(loop: loop, name: "bus properties") { api.publishChanges() }
        let manager = SystemdManager(connection: connection)
        let runtimeDirectory = ProcessEnvironment.current()["RUNTIME_DIRECTORY"]?.split(separator: ":").first.map(
            String.init
        )
        let write: (JournalEntry) -> Void = { entry in
            do {
                try sink.write(entry)
            } catch {
                try? StderrSink().write(entry)
            }
        }
        let actions = DueActionRunner(
            manager: manager,
            systemInstance: scope == .system,
            runtimeDirectory: runtimeDirectory,
            write: write,
            localizer: { [unowned scheduler] in scheduler.localizer }
        )
        scheduler.observers.append(actions)
        var retryTimer: TimerSource?
        let channels = ChannelDeliverer(
            scheduler: scheduler,
            manager: manager,
            clock: SystemClock(),
            runtimeDirectory: runtimeDirectory,
            write: write,
            wake: { retryTimer?.schedule(at: $0) }
        )
        retryTimer = try TimerSource(loop: loop, name: "delivery retry", accuracyMicroseconds: 1_000_000) {
            [weak channels] in
            channels?.retryDue()
        }
        scheduler.observers.append(channels)
        api.channels = channels
        let deliveries = try PostSource(loop: loop, name: "deliveries") { [weak channels] in channels?.flush() }
        return DaemonBus(
            connection: connection,
            api: api,
            actions: actions,
            channels: channels,
            sources: [object, changes, retryTimer!, deliveries]
        )
    }
}
