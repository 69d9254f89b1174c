import CLinux
import Glibc
import Logging
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
    /// How long before a due instant the daemon wakes to prepare it: map its code back, build the entries, so that
    /// at the instant it only writes. About 1 ms of work with the page cache warm, 15 ms when the pages must come
    /// from the disk (docs/performance.md, "The first reminder after idle", has the measurements).
    public var prepareLead: Duration = .milliseconds(20)
    /// The executable's code pages are given back when the daemon goes idle with nothing due for this long.
    public var releaseCodePagesAfter: Duration = .seconds(10)
    /// The bus whose name the daemon owns (`DaemonService+Bus.swift`); nil: no bus.
    public var bus: BusScope? = nil
    /// What this build is (`sse-timeline --version`), logged once at start; nil logs nothing.
    public var version: String? = nil

    /// A configuration; `zoneFilePath` keeps its default.
    public init(source: TimelineSource, stateDirectory: String, logTarget: LogTarget, environment: [String: String]) {
        self.source = source
        self.stateDirectory = stateDirectory
        self.logTarget = logTarget
        self.environment = environment
    }
}

/// The daemon: a `Scheduler` on one sd-event loop, wired to the journal, systemd and the state directory.
///
/// One thread. The loop waits for the first of: the due timer (armed at the scheduler's answer), SIGHUP (reload),
/// SIGTERM or SIGINT (stop), a step of the wall clock, a change of `/etc/localtime`, and the watchdog's ping.
/// Each handler tells the scheduler what happened and re-arms the timer at its answer.
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
        // The command line is parsed: its code is not needed again, and releasing its pages now lowers the peak
        // RSS of loading (the rest goes when the daemon is first idle after a load).
        let codePages = CodePages()
        codePages.release()
        let directory = configuration.stateDirectory
        try Self.makeDirectory(directory)

        let loop = try EventLoop()
        let clock = SystemClock()
        let sink = Self.sink(for: configuration.logTarget)
        let logger = Logger(label: "sse-timeline") { label in JournalLogHandler(label: label, sink: sink) }
        if let version = configuration.version { logger.info("starting \(version)") }
        var codeInUse = false
        let scheduler = Scheduler(
            environment: makeEnvironment(clock: clock, sink: sink, logger: logger) {
                codeInUse = true
            }
        )

        // Every handler tells the scheduler what happened and arms the due timer at its answer, and the prepare
        // timer a little before it: at the instant itself only the writes are left.
        var timer: TimerSource!
        var prepareTimer: TimerSource!
        let lead = configuration.prepareLead
        func act(_ answer: WallTime?) {
            codeInUse = true
            timer.schedule(at: answer)
            let early = answer?.advanced(by: .zero - lead)
            prepareTimer.schedule(at: early.flatMap { $0 > clock.now() ? $0 : nil })
        }
        timer = try TimerSource(loop: loop, name: "due") {
            act(scheduler.advance(to: clock.now()))
            // The entries are out. Whoever reads them (journald, a pipe's reader) was woken onto this CPU and would
            // wait for what follows a delivery (giving the code pages back: about 2 ms): let it run first.
            sched_yield()
        }
        prepareTimer = try TimerSource(loop: loop, name: "prepare") {
            codePages.restore()
            if let deadline = timer.deadline { scheduler.prepare(for: deadline) }
        }
        let sources: [AnyObject] = [
            try SignalSource(loop: loop, signal: SIGHUP) { act(scheduler.reload()) },
            try SignalSource(loop: loop, signal: SIGTERM) { loop.exit(code: 0) },
            try SignalSource(loop: loop, signal: SIGINT) { loop.exit(code: 0) },
            try ClockChangeWatch(loop: loop) { act(scheduler.advance(to: clock.now())) },
        ]
        var zoneWatch: ZoneFileWatch?
        do {
            zoneWatch = try ZoneFileWatch(loop: loop, path: configuration.zoneFilePath) {
                act(scheduler.timeZoneChanged())
            }
        } catch {
            logger.warning("changes of the system time zone will not be noticed: \(error)")
        }
        try loop.enableWatchdog()
        let bus = try Self.attachBus(
            configuration.bus,
            loop: loop,
            scheduler: scheduler,
            sink: sink,
            logger: logger,
            act: act
        )
        let desktop = Self.desktopChannel(
            bus: bus?.connection, scheduler: scheduler, clock: clock, logger: logger
        ) { act($0) }
        let idleLong = configuration.releaseCodePagesAfter
        loop.beforeWaiting = {
            guard codeInUse else { return }
            if let next = timer.deadline, clock.now().duration(to: next) < idleLong { return }
            codeInUse = false
            codePages.release()
        }

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
        act(first)
        let status = try loop.run()
        scheduler.stop()
        withExtendedLifetime((sources, zoneWatch, timer, prepareTimer, bus, desktop)) {}
        return status
    }

    /// Creates `path` and any missing parent (mode 0700, as `mkdir -p`): a user's `~/.local/state` may not
    /// exist yet.
    static func makeDirectory(_ path: String) throws(SystemCallError) {
        guard !FileStatus.isDirectory(path) else { return }
        let (parent, _) = ZoneFileWatch.split(path)
        if parent != path, parent != "/", parent != "." { try makeDirectory(parent) }
        do throws(SystemCallError) {
            try SystemCall.run("mkdir", operand: path) { mkdir(path, 0o700) }
        } catch where error.errno == .fileExists && FileStatus.isDirectory(path) {
            // Made meanwhile by someone else: fine.
        }
    }

    private func makeEnvironment(
        clock: SystemClock,
        sink: any NotificationSink,
        logger: Logger,
        afterLoad: @escaping () -> Void
    ) -> SchedulerEnvironment {
        let reader = JournalReader()
        let canReadJournal = sink is SystemdJournalSink
        let source = configuration.source
        var environment = SchedulerEnvironment(clock: clock, sink: sink, logger: logger) { source.load() }
        environment.fallbackSink = StderrSink()
        environment.notifier = SystemdNotifier(environment: configuration.environment)
        environment.store = StateStore(directory: configuration.stateDirectory)
        environment.journalKeys = { since in
            guard canReadJournal else { return nil }
            return reader.values(
                of: "REMINDER_KEY",
                // Only this instance's own entries: _UID is set by journald from the sender's credentials, so the
                // system service and users' services (each their own UID) never take the others' for theirs.
                matching: [
                    JournalMatch("MESSAGE_ID", anyOf: MessageID.reminderIDs),
                    JournalMatch("SYSLOG_IDENTIFIER", "sse-timeline"),
                    JournalMatch("_UID", String(getuid())),
                ],
                since: since
            )
        }
        environment.afterLoad = afterLoad
        return environment
    }
}
