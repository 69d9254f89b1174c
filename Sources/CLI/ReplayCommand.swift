import ArgumentParser
import Daemon
import Gettext
import Logging
import Timeline

/// `sse-timeline replay`: the scheduler on a virtual clock, printing what it would have sent.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: HelpText.tr("Print every notification the daemon would send in a window, as fast as it can."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                Runs the same scheduler as `run` on a virtual clock that jumps from one due instant to the next, and \
                prints each notification to standard output in the daemon's stderr format: <PRIORITY>MESSAGE \
                [FIELD=value ...]. No state is read or written.
                """
            ),
            HelpText.examples(
                "sse-timeline replay --from 2021-01-01 --to 2023-12-31",
                "sse-timeline replay --from 2027-01-01 --to 2027-12-31 --config ./timeline.toml"
            )
        )
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp(HelpText.tr("Start of the window (exclusive)."), valueName: HelpText.tr("date")))
    var from: String

    @Option(
        help: ArgumentHelp(
            HelpText.tr("End of the window (inclusive; a bare date means the end of that day)."),
            valueName: HelpText.tr("date")
        )
    )
    var to: String

    func run() throws {
        let zone = options.systemZone
        let start = try TimeArgument.parse(from, option: "--from", zone: zone)
        let end = try TimeArgument.parseEnd(to, option: "--to", zone: zone)
        guard start <= end else { throw ValidationError(Gettext.localizer.tr("--from must not be after --to")) }
        let loaded = try options.loadOrExit()
        let sink = StderrSink(descriptor: 1)
        let clock = ReplayClock(now: WallTime(start))
        let scheduler = Scheduler(
            environment: SchedulerEnvironment(
                clock: clock,
                sink: sink,
                logger: Logger(label: "sse-timeline.replay") { _ in SwiftLogNoOpLogHandler() }
            ) { .success(loaded) }
        )
        try scheduler.replay(on: clock, through: WallTime(end))
    }
}
