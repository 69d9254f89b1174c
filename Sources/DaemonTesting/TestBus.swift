import Glibc

/// A private D-Bus bus for a test: a `dbus-daemon` of its own on a socket in a temporary directory, anyone
/// allowed to own any name and call anything. Stopped (by PID) when the value goes away; `restart()` stands in
/// for a restart of the bus.
public final class TestBus {
    /// Where `dbus-daemon` is installed (Debian's dbus-daemon package).
    public static let daemonPath = "/usr/bin/dbus-daemon"
    /// Whether a bus can be run here.
    public static var isAvailable: Bool { access(daemonPath, X_OK) == 0 }

    /// The bus address, `unix:path=...`.
    public let address: String
    private let directory: TemporaryDirectory
    private var process: ChildProcess?

    /// Starts the bus, its socket in a new directory under `base`; returns once it accepts connections.
    public init(directoryIn base: String = "/tmp") {
        directory = TemporaryDirectory(in: base)
        let socket = directory.file("bus")
        address = "unix:path=\(socket)"
        let config = """
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>session</type>
              <listen>\(address)</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
                <allow own="*"/>
              </policy>
            </busconfig>
            """
        writeFile(directory.file("bus.conf"), Array(config.utf8))
        start()
    }

    /// Starts `dbus-daemon`, waiting (at most 10 s) for the address it prints once it listens.
    public func start() {
        precondition(process == nil)
        let process = ChildProcess(
            Self.daemonPath,
            ["--config-file=\(directory.file("bus.conf"))", "--nofork", "--nopidfile", "--print-address=1"]
        )
        let line = process.readLine(waitingAtMost: 10_000)
        precondition(line?.hasPrefix("unix:path=") == true, "dbus-daemon did not start: \(line ?? "no output")")
        self.process = process
    }

    /// Stops `dbus-daemon` (every connection to it ends), leaving the socket path free for `start()`.
    public func stop() {
        process?.terminate()
        process = nil
        unlink(directory.file("bus"))
    }

    /// Stops and starts the bus again at the same address.
    public func restart() {
        stop()
        start()
    }

    deinit {
        stop()
    }
}
