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
    /// Called with the end of every job (`JobRemoved`).
    var jobRemoved: ((JobResult) -> Void)? { get set }
}

/// `org.freedesktop.systemd1.Manager` on the daemon's bus: the system manager for the system instance, the
/// user's manager for a user instance.
public final class SystemdManager: UnitManager {
    static let destination = "org.freedesktop.systemd1"
    static let path = "/org/freedesktop/systemd1"
    static let interface = "org.freedesktop.systemd1.Manager"

    private let connection: BusConnection
    private var subscription: BusSubscription?
    public var jobRemoved: ((JobResult) -> Void)?

    /// The manager reached through `connection`; it listens to `JobRemoved` from now on.
    public init(connection: BusConnection) {
        self.connection = connection
        subscription = connection.subscribe(
            sender: Self.destination,
            path: Self.path,
            interface: Self.interface,
            member: "JobRemoved"
        ) { [weak self] message in
            var reader = message.reader()
            guard let id = try? reader.read(UInt32.self), let path = try? reader.read(BusObjectPath.self),
                let unit = try? reader.read(String.self), let result = try? reader.read(String.self)
            else { return }
            self?.jobRemoved?(JobResult(id: id, path: path, unit: unit, result: result))
        }
        // systemd sends JobRemoved to the clients that queued the job anyway; subscribing makes it certain.
        if let subscribe = try? connection.methodCall(
            destination: Self.destination,
            path: Self.path,
            interface: Self.interface,
            member: "Subscribe"
        ) {
            connection.call(subscribe) { _ in }
        }
    }

    private func call(
        _ member: String,
        arguments: (inout BusMessageWriter) throws(BusError) -> Void,
        completion: @escaping (Result<BusObjectPath, BusError>) -> Void
    ) {
        do throws(BusError) {
            let message = try connection.methodCall(
                destination: Self.destination,
                path: Self.path,
                interface: Self.interface,
                member: member
            )
            var writer = message.writer()
            try arguments(&writer)
            connection.call(message) { result in
                completion(
                    result.flatMap { reply in
                        var reader = reply.reader()
                        return Result { () throws(BusError) in try reader.read(BusObjectPath.self) }
                    }
                )
            }
        } catch {
            completion(.failure(error))
        }
    }

    public func startUnit(_ unit: String, completion: @escaping (Result<BusObjectPath, BusError>) -> Void) {
        call(
            "StartUnit",
            arguments: { (writer) throws(BusError) in
                try writer.append(unit)
                try writer.append("replace")
            },
            completion: completion
        )
    }

    public func startTransient(
        _ service: TransientService,
        completion: @escaping (Result<BusObjectPath, BusError>) -> Void
    ) {
        call(
            "StartTransientUnit",
            arguments: { (writer) throws(BusError) in
                try writer.append(service.name)
                try writer.append("fail")
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
                                try command.append(service.command[0])
                                try command.append(service.command)
                                try command.append(false)
                            }
                        }
                    }
                }
                try writer.container("a", "(sa(sv))") { _ throws(BusError) in }
            },
            completion: completion
        )
    }
}
