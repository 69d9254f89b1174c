import ArgumentParser
import Gettext

/// The `sse-timeline` command: the daemon and the tools around its timeline.
@main
struct SSETimeline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sse-timeline",
        abstract: HelpText.tr("A timeline of dated milestones that writes reminders into the systemd journal."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                The default timeline is the Social and Solidarity Economy (SSE): the ILO's SSE academies, the UN task \
                force, the 2022 International Labour Conference discussion, the OECD conferences and the field's \
                observances. Schedule your own in /etc/sse-timeline/timeline.toml and timeline.d/*.toml (see \
                docs/configuration.md); read what it said with journalctl -u sse-timeline.
                """
            ),
            HelpText.tr(
                """
                Config lookup: --config PATH, then $CONFIGURATION_DIRECTORY, then /etc/sse-timeline (the first \
                holding a timeline.toml or a timeline.d/; without timeline.toml the embedded default is the main \
                file), then the embedded default. Every command says which it used.
                """
            )
        ),
        // From `git describe` at build time, as the Debian package's version (Plugins/BuildInfo).
        version: BuildInfo.summary,
        subcommands: [
            RunCommand.self, ValidateCommand.self, ListCommand.self, NextCommand.self, ExportCommand.self,
            FetchCommand.self,
            ImportCommand.self,
            ReplayCommand.self, GenerateCommand.self, PendingCommand.self, SnoozeCommand.self, DismissCommand.self,
            CalendarCommand.self, AgendaCommand.self, HistoryCommand.self, StatusCommand.self, DeliverCommand.self,
            TestChannelCommand.self,
        ],
        defaultSubcommand: NextCommand.self
    )

    /// Parses and runs the command; refuses a first word that names no command before the default (`next`)
    /// could take it for one of its arguments (`UnknownCommand`).
    static func main() {
        Gettext.setUp()
        let arguments = Array(CommandLine.arguments.dropFirst())
        UnknownCommand.refuse(arguments)
        main(arguments)
    }

    // `sse-timeline --user pending`, as `systemctl --user`: the bus commands read it through their own
    // InstanceOptions, which ArgumentParser fills from the arguments before the subcommand too.
    @OptionGroup(visibility: .hidden) var instance: InstanceOptions
}
