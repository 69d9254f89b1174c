import Timeline

/// A transient service to run a command (`StartTransientUnit`): what the daemon sets of it.
public struct TransientService: Equatable, Sendable {
    /// The unit name, `sse-timeline-exec-....service`.
    public var name: String
    /// A description for `systemctl status`.
    public var description: String
    /// The command: absolute path first, then the arguments.
    public var command: [String]
    /// `NAME=value` pairs.
    public var environment: [String]
}

/// The end of a job (`JobRemoved`): its id, path, unit and result (`done`, `failed`, `canceled`, `timeout`,
/// `dependency`, `skipped`).
public struct JobResult: Equatable, Sendable {
    /// The job's id.
    public var id: UInt32
    /// The job's object path.
    public var path: BusObjectPath
    /// The unit.
    public var unit: String
    /// How it ended.
    public var result: String
}

/// The service manager of the daemon's instance, as the actions use it: the real one over the bus
/// (`SystemdManager`), or a test's double.
public protocol UnitManager: AnyObject {
    /// Starts `unit` (`StartUnit`, mode `replace`); `completion` gets the job's path or the error.
    func startUnit(_ unit: String, completion: @escaping (Result<BusObjectPath, BusError>) -> Void)
    /// Starts `service` (`StartTransientUnit`); `completion` gets the job's path or the error.
    func startTransient(_ service: TransientService, completion: @escaping (Result<BusObjectPath, BusError>) -> Void)
    /// Called with the end of every job (`JobRemoved`). Each user keeps the handler it found and calls it too,
    /// so that the actions and the channels both hear of every job.
    var jobRemoved: ((JobResult) -> Void)? { get set }
}

/// `org.freedesktop.systemd1.Manager` on the daemon's bus: the system manager for the system instance, the
/// user's manager for a user instance.
public final class SystemdManager: UnitManager {
    static let manager = BusLocator(
        destination: "org.freedesktop.systemd1",
        path: "/org/freedesktop/systemd1",
        interface: "org.freedesktop.systemd1.Manager"
    )

    private let connection: BusConnection
    private var subscription: BusSubscription?
    public var jobRemoved: ((JobResult) -> Void)?

    /// The manager reached through `connection`; it listens to `JobRemoved` from now on.
    public init(connection: BusConnection) {
        self.connection = connection
        subscription = connection.subscribe(
            sender: Self.manager.destination,
            path: Self.manager.path,
            interface: Self.manager.interface,
            member: "JobRemoved"
        ) { [weak self] message in
            var reader = message.reader()
            guard let id = try? reader.read(UInt32.self), let path = try? reader.read(BusObjectPath.self),
                let unit = try? reader.read(String.self), let result = try? reader.read(String.self)
            else { return }
            self?.jobRemoved?(JobResult(id: id, path: path, unit: unit, result: result))
        }
        // systemd sends JobRemoved to the clients that queued the job anyway; subscribing makes it certain.
        connection.call("Subscribe", at: Self.manager) { _ in }
    }

    public func startUnit(_ unit: String, completion: @escaping (Result<BusObjectPath, BusError>) -> Void) {
        connection.call(
            "StartUnit",
            at: Self.manager,
            arguments: { (writer) throws(BusError) in try writer.append(unit, "replace") }
        ) {
            completion($0.value(BusObjectPath.self))
        }
    }

    public func startTransient(
        _ service: TransientService,
        completion: @escaping (Result<BusObjectPath, BusError>) -> Void
    ) {
        connection.call(
            "StartTransientUnit",
            at: Self.manager,
            arguments: { (writer) throws(BusError) in
                try writer.append(service.name, "fail")
                try writer.container("a", "(sv)") { (properties) throws(BusError) in
                    func property(
                        _ name: String,
                        _ signature: String,
                        _ value: (inout BusMessageWriter) throws(BusError) -> Void
                    ) throws(BusError) {
                        try properties.container("r", "sv") { (pair) throws(BusError) in
                            try pair.append(name)
                            try pair.container("v", signature, value)
                        }
                    }
                    try property("Description", "s") { (value) throws(BusError) in try value.append(service.description)
                    }
                    // Oneshot: the job ends when the command does, so its result says how the command ended.
                    try property("Type", "s") { (value) throws(BusError) in try value.append("oneshot") }
                    try property("TimeoutStartUSec", "t") { (value) throws(BusError) in try value.append(UInt64.max) }
                    try property("CollectMode", "s") { (value) throws(BusError) in
                        try value.append("inactive-or-failed")
                    }
                    try property("Environment", "as") { (value) throws(BusError) in
                        try value.append(service.environment)
                    }
                    try property("ExecStart", "a(sasb)") { (value) throws(BusError) in
                        try value.container("a", "(sasb)") { (commands) throws(BusError) in
                            try commands.container("r", "sasb") { (command) throws(BusError) in
                                try command.append(service.command[0], service.command, false)
                            }
                        }
                    }
                }
                try writer.container("a", "(sa(sv))") { _ throws(BusError) in }
            }
        ) { completion($0.value(BusObjectPath.self)) }
    }
}
