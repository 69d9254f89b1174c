import ArgumentParser
import Daemon
import Gettext

/// `sse-timeline run`: the daemon.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: HelpText.tr("Run the daemon: sleep until each reminder is due and write it into the journal."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                Runs in the foreground, as a Type=notify systemd service or in a terminal. Reminders go to the \
                systemd journal when /run/systemd/journal/socket exists, otherwise to stderr as one line each with a \
                <N> priority prefix. Talks to systemd through $NOTIFY_SOCKET (READY=1, STATUS=, RELOADING=1, \
                STOPPING=1, WATCHDOG=1 when $WATCHDOG_USEC is set).
                """
            ),
            HelpText.tr(
                """
                Signals: SIGHUP reloads the config (a broken config keeps the old timeline running); SIGTERM and \
                SIGINT stop after saving the state.
                """
            ),
            HelpText.tr(
                """
                The bus: the daemon owns io.github.ssetimeline.Timeline1 on the bus of its service manager (the \
                system bus in a system unit, the user's bus in a user unit). Started by hand it uses no bus unless \
                told: --user for the user's bus, --system for the system bus; --no-bus turns it off under systemd.
                """
            ),
            HelpText.tr(
                """
                The state (which reminders were sent) lives in $STATE_DIRECTORY (systemd sets it), or --state-dir. On \
                the first start nothing before now is sent; after downtime, reminders that came due meanwhile are \
                sent once with CAUGHT_UP=1 when younger than [defaults] catch_up_window (default 7 days).
                """
            ),
            HelpText.examples(
                "sse-timeline run --state-dir /var/lib/sse-timeline",
                "sse-timeline run --default-timeline --state-dir /tmp/sse-state"
            )
        )
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp(HelpText.tr("Where the state is kept (default: $STATE_DIRECTORY)."), valueName: "dir"))
    var stateDir: String?

    @Option(
        help: ArgumentHelp(
            HelpText.tr("Where entries go: auto (the journal when journald runs, else stderr), journal or stderr.")
        )
    )
    var logTarget: LogTarget = .auto

    // --user: the user's bus (the default in a user unit); shared with the root command and the bus commands.
    @OptionGroup var instance: InstanceOptions

    @Flag(
        name: .customLong("system"),
        help: ArgumentHelp(HelpText.tr("Own the daemon's name on the system bus (the default in a system unit)."))
    )
    var systemBus = false

    @Flag(name: .customLong("no-bus"), help: ArgumentHelp(HelpText.tr("Use no bus (no D-Bus API, no actions).")))
    var noBus = false

    func validate() throws {
        if [instance.user, systemBus, noBus].filter({ $0 }).count > 1 {
            throw ValidationError(Gettext.localizer.tr("give at most one of --user, --system and --no-bus"))
        }
    }

    /// The bus asked for, or the service manager's.
    func busScope(environment: [String: String]) -> BusScope? {
        if noBus { return nil }
        if instance.user { return .user }
        if systemBus { return .system }
        return BusScope.ofServiceManager(environment: environment)
    }

    func run() throws {
        let environment = ProcessEnvironment.current()
        guard
            let directory = stateDir
                ?? environment["STATE_DIRECTORY"].flatMap({ $0.split(separator: ":").first.map(String.init) })
        else {
            throw ValidationError(
                "no state directory: pass --state-dir DIR, or run under systemd with StateDirectory=sse-timeline"
            )
        }
        var configuration = DaemonConfiguration(
            source: options.source,
            stateDirectory: directory,
            logTarget: logTarget,
            environment: environment
        )
        configuration.bus = busScope(environment: environment)
        configuration.version = BuildInfo.summary
        let status: Int32
        do {
            status = try DaemonService(configuration: configuration).run()
        } catch {
            throw ValidationError(Gettext.localizer.tr("cannot run: %s", "\(error)"))
        }
        if status != 0 { throw ExitCode(status) }
    }
}

extension LogTarget: ExpressibleByArgument {}
