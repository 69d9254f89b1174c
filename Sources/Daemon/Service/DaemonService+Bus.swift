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
    private let object: BusExportedObject
    private let changes: PostSource

    init(
        connection: BusConnection,
        api: TimelineBusAPI,
        actions: DueActionRunner,
        object: BusExportedObject,
        changes: PostSource
    ) {
        self.connection = connection
        self.api = api
        self.actions = actions
        self.object = object
        self.changes = changes
    }
}

extension DaemonService {
    /// The well-known name the daemon owns on the bus of its instance (the system bus for the system service,
    /// the user's bus for a user service).
    public static let busName = TimelineBusAPI.interfaceName

    /// Wires `scheduler` to the bus, before it starts, when `scope` is given: a connection on `loop` owning
    /// `busName`, the API object (`TimelineBusAPI`) whose answers `arm` arms the due timer with, its
    /// `PropertiesChanged` once per wake-up, its `ReminderDue` for every reminder written, the `on_due` actions (`DueActionRunner`). While the bus's
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
                calendars: { calendars?.statuses ?? [] },
                arm: arm
            )
            object = try connection.export(path: TimelineBusAPI.objectPath, interface: api.interface)
        } catch {
            logger.warning("cannot use \(scope): \(error); no bus API and no on_due actions, the reminders go on")
            return nil
        }
        scheduler.observers.append(api)
        let changes = try PostSource(loop: loop, name: "bus properties") { api.publishChanges() }
        let actions = DueActionRunner(
            manager: SystemdManager(connection: connection),
            systemInstance: scope == .system,
            runtimeDirectory: ProcessEnvironment.current()["RUNTIME_DIRECTORY"]?.split(separator: ":").first.map(
                String.init
            ),
            write: { entry in
                do {
                    try sink.write(entry)
                } catch {
                    try? StderrSink().write(entry)
                }
            }
        )
        scheduler.observers.append(actions)
        return DaemonBus(connection: connection, api: api, actions: actions, object: object, changes: changes)
    }
}
