import ArgumentParser
import Glibc
import Logging
import ServiceLifecycle
import Timeline

/// Wires the real daemon: the system clock, the journal (or stderr), systemd notify, the state store and
/// the signal handling, around a `Scheduler`. Kept apart from the command so tests can build the pieces.
struct DaemonBuilder {
    /// The exit status when the timeline cannot be loaded at start (EX_CONFIG, sysexits.h).
    static let configErrorExitCode: Int32 = 78

    let options: ConfigOptions
    let stateDirectory: String
    let logTarget: RunCommand.LogTarget
    let environment: [String: String]

    /// The sink for reminders and logs.
    func makeSink() -> any NotificationSink {
        switch logTarget {
        case .auto: JournalDetector().sink()
        case .journal: SystemdJournalSink()
        case .stderr: StderrSink()
        }
    }

    /// Runs until SIGTERM/SIGINT; throws when the timeline cannot be loaded at start.
    func run() async throws {
        // The command line is parsed: its code is not needed again, and releasing its pages now lowers the peak
        // RSS of loading (the rest goes when the daemon is first idle: `afterLoad`).
        CodePages.release()
        let sink = makeSink()
        let logger = Logger(label: "sse-timeline") { label in JournalLogHandler(label: label, sink: sink) }
        let options = self.options
        let reader = JournalReader()
        let canReadJournal = (sink is SystemdJournalSink)
        let clock = try SystemWallClock()
        let schedulerEnvironment = SchedulerEnvironment(
            clock: clock,
            sink: sink,
            fallbackSink: StderrSink(),
            notifier: SystemdNotifier(environment: environment),
            store: StateStore(directory: stateDirectory),
            loadTimeline: {
                // Located again on every load: a timeline.toml or timeline.d/ created after start counts.
                let files = options.files
                // A fresh zone database each load, so an OS tzdata update takes effect at the next reload.
                let zones = ZoneDatabase()
                let loader = ConfigLoader(zones: zones, systemZone: options.systemZone(in: zones))
                return files.load(loader: loader).map { config in
                    (config, files.describe(dropInCount: config.sources.count - 1))
                }
            },
            journalKeys: { since in
                guard canReadJournal else { return nil }
                return reader.values(
                    of: "REMINDER_KEY",
                    matching: [
                        JournalMatch("MESSAGE_ID", anyOf: MessageID.reminderIDs),
                        JournalMatch("SYSLOG_IDENTIFIER", "sse-timeline"),
                    ],
                    since: since
                )
            },
            watchdog: WatchdogSettings(environment: environment),
            logger: logger,
            afterLoad: { clock.releaseCodePagesWhenIdle() }
        )
        let scheduler = Scheduler(environment: schedulerEnvironment)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: SchedulerService(scheduler: scheduler))],
                logger: Logger(label: "sse-timeline.lifecycle") { _ in SwiftLogNoOpLogHandler() }
            )
        )
        // Signals come through a signalfd (see SignalWatcher for why not UnixSignalsSequence): SIGHUP reloads,
        // SIGTERM and SIGINT start the service group's graceful shutdown.
        let watcher = try SignalWatcher { signal in
            if signal == SIGHUP {
                scheduler.requestReload()
            } else {
                Task { await group.triggerGracefulShutdown() }
            }
        }
        defer { withExtendedLifetime(watcher) {} }
        do {
            try await group.run()
        } catch let error as SchedulerError {
            // The errors are in the journal already; EX_CONFIG lets the unit's RestartPreventExitStatus= stop
            // systemd from restarting a service whose config cannot load.
            Output.err("sse-timeline: \(error)")
            throw ExitCode(DaemonBuilder.configErrorExitCode)
        }
    }
}

/// The scheduler as a swift-service-lifecycle `Service`: graceful shutdown asks it to stop.
struct SchedulerService<Clock: WallClock>: Service {
    let scheduler: Scheduler<Clock>

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await scheduler.run()
        } onGracefulShutdown: {
            scheduler.requestStop()
        }
    }
}
