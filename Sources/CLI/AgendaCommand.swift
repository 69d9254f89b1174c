import ArgumentParser
import Gettext
import Timeline

/// `sse-timeline agenda [--days N]`: the coming days grouped by day, as khal's agenda.
struct AgendaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenda",
        abstract: HelpText.tr("Show the coming days' occurrences and reminders, grouped by day."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                From the start of today for --days days (7 unless given: a week to plan with; khal's list, once its \
                agenda, shows 2 unless its `timedelta` setting says otherwise), each day that has something under its \
                heading: all-day occurrences first (* with "all day", or "day 2/3" of a span), then the occurrences \
                (*) and reminders (+) in time order. Times are in your zone ($TZ, then /etc/localtime); when the \
                milestone's own zone reads differently at that instant, its time follows in brackets: [15:00 CET \
                Europe/Paris]. Holidays are named beside their day. Colour on a terminal, none with NO_COLOR set or \
                when piped.
                """
            ),
            HelpText.tr("--json prints the same object as calendar --json, for the agenda's days."),
            HelpText.examples(
                "sse-timeline agenda",
                "sse-timeline agenda --days 30",
                "sse-timeline agenda --now 2027-07-01 --json"
            )
        )
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp(HelpText.tr("How many days to show, today included (1 to 3660).")))
    var days = 7

    @Flag(help: ArgumentHelp(HelpText.tr("Print JSON instead of the agenda.")))
    var json = false

    func validate() throws {
        try requireValue(days, in: 1...3660, option: "--days")
    }

    func run() throws {
        let zone = options.systemZone
        let now = try options.currentInstant()
        let config = try options.loadOrExit().config
        let agenda = Agenda(config: config, now: now, dayCount: days, viewerZone: zone, localizer: Gettext.localizer)
        if json {
            Output.out(agenda.days.json(workingCalendar: agenda.workingCalendar).render())
            return
        }
        for line in agenda.render(Terminal.standardOutput().style) { Output.out(line) }
    }
}
