import CLinux
import Gettext
import Glibc
import Logging
import SystemPackage
import Timeline

/// Where the daemon writes its entries.
public enum LogTarget: String, CaseIterable, Sendable {
    /// The journal when journald runs (its socket exists), otherwise stderr.
    case auto
    /// The systemd journal.
    case journal
    /// Standard error, one line per entry.
    case stderr
}

/// What `sse-timeline run` was asked to do.
public struct DaemonConfiguration: Sendable {
    /// Which timeline to load (again at each reload).
    public var source: TimelineSource
    /// Where the state lives (`$STATE_DIRECTORY` under systemd); created (mode 0700) when missing.
    public var stateDirectory: String
    /// Where entries go.
    public var logTarget: LogTarget
    /// The process environment (`NOTIFY_SOCKET`, `WATCHDOG_USEC`, ...).
    public var environment: [String: String]
    /// The zone file whose changes reload the timeline.
    public var zoneFilePath: String = ZoneFileWatch.defaultPath
    /// The bus whose name the daemon owns (`DaemonService+Bus.swift`); nil: no bus.
    public var bus: BusScope? = nil
    /// What this build is (`sse-timeline --version`), logged once at start; nil logs nothing.
    public var version: String? = nil
    /// What writes dismissals and snoozes of calendar alarms into their files; nil: they stay local.
    public var alarmEditor: AlarmEditor? = CalendarWriteBack.builtInEditor

    /// A configuration; `zoneFilePath` keeps its default.
    public init(source: TimelineSource, stateDirectory: String, logTarget: LogTarget, environment: [String: String]) {
        self.source = source
        self.source.stateDirectory = stateDirectory
        self.stateDirectory = stateDirectory
        self.logTarget = logTarget
        self.environment = environment
    }
}

/// The daemon: a `Scheduler` on one sd-event loop (`DaemonLoop`), wired to the journal, systemd, the state
/// directory and the bus.
public final class DaemonService {
    /// The exit status when the timeline cannot be loaded at start (EX_CONFIG, sysexits.h); the unit's
    /// `RestartPreventExitStatus=` keeps systemd from restarting a daemon whose config cannot load.
    public static let configErrorExitCode: Int32 = 78

    /// The signals the daemon handles: SIGHUP reloads, SIGTERM and SIGINT stop.
    public static let handledSignals: [Int32] = [SIGHUP, SIGTERM, SIGINT]

    private let configuration: DaemonConfiguration

    /// A daemon that will run with `configuration`.
    public init(configuration: DaemonConfiguration) {
        self.configuration = configuration
    }

    /// The sink that `target` asks for.
    public static func sink(for target: LogTarget) -> any NotificationSink {
        switch target {
        case .auto: JournalDetector().sink()
        case .journal: SystemdJournalSink()
        case .stderr: StderrSink()
        }
    }

    /// Runs until SIGTERM or SIGINT; returns the exit status: 0, or `configErrorExitCode` when the timeline
    /// cannot be loaded at start (its errors are logged and printed).
    ///
    /// - Throws: `SystemCallError` when the state directory cannot be created or the loop cannot be set up.
    public func run() throws(SystemCallError) -> Int32 {
        // Before anything else, so that none of them takes its default action once the loop owns them.
        SignalSource.block(Self.handledSignals)
        // A closed stderr pipe must not kill the daemon; the write fails and the journal still has the entry.
        signal(SIGPIPE, SIG_IGN)
        // Timers may otherwise expire up to 50 µs late (the default slack).
        _ = sse_set_timer_slack(1)
        try Self.makeDirectory(configuration.stateDirectory)

        let clock = SystemClock()
        let sink = Self.sink(for: configuration.logTarget)
        let logger = Logger(label: JournalEntry.syslogIdentifier) { JournalLogHandler(label: $0, sink: sink) }
        if let version = configuration.version {
            logger.info(.init(stringLiteral: Gettext.localizer.tr("starting %s", version)))
        }
        let calendars = VdirCalendars(home: VdirCalendars.home(environment: configuration.environment))
        let scheduler = Scheduler(
            environment: makeEnvironment(clock: clock, sink: sink, logger: logger, calendars: calendars)
        )
        let loop = try DaemonLoop(
            scheduler: scheduler,
            clock: clock,
            zoneFilePath: configuration.zoneFilePath,
            calendars: calendars
        )
        let bus = try Self.attachBus(
            configuration.bus,
            loop: loop.loop,
            scheduler: scheduler,
            sink: sink,
            logger: logger,
            calendars: calendars,
            arm: loop.arm
        )
        let desktop = Self.desktopChannel(
            bus: bus?.connection,
            scheduler: scheduler,
            clock: clock,
            logger: logger,
            arm: loop.arm
        )
        scheduler.observers.append(
            CalendarWriteBack(
                calendars: calendars,
                editor: configuration.alarmEditor,
                milestones: { [unowned scheduler] in scheduler.milestones },
                now: { Instant(clock.now()) },
                logger: logger
            )
        )
        let first: WallTime?
        do {
            first = try scheduler.start()
        } catch {
            // The errors are in the journal already; say why on stderr too, for a terminal.
            let text = "sse-timeline: \(error)\n"
            _ = text.utf8CString.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
            return Self.configErrorExitCode
        }
        Self.noteDesktopWithoutSessionBus(scheduler, channel: desktop, logger: logger)
        bus?.channels.resume()
        loop.arm(first)
        loop.watchCalendars()
        let status = try loop.run()
        scheduler.stop()
        withExtendedLifetime((bus, desktop)) {}
        return status
    }

    /// Creates `path` and any missing parent (mode 0700, as `mkdir -p`): a user's `~/.local/state` may not
    /// exist yet.
    static func makeDirectory(_ path: String) throws(SystemCallError) {
        guard !FileStatus.isDirectory(path) else { return }
        let parent = FilePath(path).removingLastComponent()
        if !parent.components.isEmpty { try makeDirectory(parent.string) }
        do throws(SystemCallError) {
            try SystemCall.run("mkdir", operand: path) { mkdir(path, 0o700) }
        } catch  where error.errno == .fileExists && FileStatus.isDirectory(path) {
            // Made meanwhile by someone else: fine.
        }
    }

    private func makeEnvironment(
        clock: SystemClock,
        sink: any NotificationSink,
        logger: Logger,
        calendars: VdirCalendars
    ) -> SchedulerEnvironment {
        let source = configuration.source
        var environment = SchedulerEnvironment(clock: clock, sink: sink, logger: logger) {
            let loaded = source.load(calendars: calendars)
            // Parsing leaves freed memory in malloc's arenas; give it back, so that what stays is the timeline's.
            malloc_trim(0)
            return loaded
        }
        environment.fallbackSink = StderrSink()
        environment.notifier = SystemdNotifier(environment: configuration.environment)
        environment.store = StateStore(directory: configuration.stateDirectory)
        if sink is SystemdJournalSink {
            let reader = JournalReader()
            environment.journalValues = { reader.ownValues(of: $0, messageIDs: $1, since: $2) }
        }
        return environment
    }
}
