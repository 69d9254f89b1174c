import ArgumentParser
import Daemon
import Gettext
import Timeline

/// `sse-timeline import FILE.ics`: the TOML that gives the same milestones as an iCalendar file.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: HelpText.tr("Print the [[milestone]] tables equivalent to an iCalendar (.ics) file."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                Reads FILE.ics as the daemon reads timeline.d/*.ics (docs/configuration.md, "iCalendar files as \
                config") and prints TOML, for those who want to edit the milestones. Problems are printed on stderr \
                as FILE:LINE:COLUMN. A line or an event that cannot be read is skipped with a warning and the rest is \
                printed; a file that is not iCalendar at all is an error: nothing is printed and the exit status is 1.
                """
            ),
            HelpText.examples("sse-timeline import team.ics > /etc/sse-timeline/timeline.d/50-team.toml")
        )
    )

    @Argument(help: ArgumentHelp(HelpText.tr("The iCalendar file."), valueName: "file.ics"))
    var file: String

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.loadOrExit(quiet: true).config
        let bytes: [UInt8]
        switch FileReader.read(file, limit: ConfigLoader.maximumFileSize) {
        case .success(let read): bytes = read
        case .failure(let failure):
            Output.err(failure.diagnostic(path: file).description(in: Gettext.localizer))
            throw ExitCode(1)
        }
        var taken: Set<String> = []
        let imported = ICalendarImport(zones: ZoneDatabase.shared, defaults: config.defaults)
            .read(ConfigSource(name: file, bytes: bytes), takenIds: &taken)
        for diagnostic in imported.diagnostics { Output.err(diagnostic.description(in: Gettext.localizer)) }
        if imported.diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
        Output.out("# Imported from \(file) by sse-timeline import.\n")
        Output.out(MilestoneTOML.render(imported.milestones, defaults: config.defaults))
    }
}
