import ArgumentParser
import Gettext
import Timeline

/// `sse-timeline calendar [MONTH|YEAR]`: month grids with the timeline's days marked, as `cal` and `remind -c`.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: HelpText.tr("Show months as a calendar with the timeline's occurrences and reminders marked."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                Without an argument: this month and the next two; YYYY-MM: that month; YYYY: the twelve months of \
                that year. The months stand side by side as far as the terminal is wide (at most three), one under \
                the other when it is narrow. A day is marked * when a milestone occurs on it (every day of an all-day \
                span), + when a reminder comes due, # when it is a holiday; the marked days are listed under the \
                months. On a terminal, marked days, holidays, non-working days and today are coloured (none with \
                NO_COLOR set, or when the output is not a terminal). Days are those of your zone ($TZ, then \
                /etc/localtime); all-day milestones keep their own dates.
                """
            ),
            HelpText.tr(
                """
                --json prints {"from", "to", "zone", "days": [{"date", "weekday", "working_day", "holiday", \
                "entries"}]} for the days that have entries or a holiday; each entry is an object of list --json plus \
                "time".
                """
            ),
            HelpText.examples(
                "sse-timeline calendar",
                "sse-timeline calendar 2027-07 --week-numbers",
                "sse-timeline calendar 2027 --json"
            )
        )
    )

    @OptionGroup var options: ConfigOptions

    @Argument(
        help: ArgumentHelp(
            HelpText.tr("The month (YYYY-MM) or year (YYYY) to show (default: this month and the next two)."),
            valueName: HelpText.tr("month|year")
        )
    )
    var period: String?

    @Flag(help: ArgumentHelp(HelpText.tr("Show ISO 8601 week numbers before each week.")))
    var weekNumbers = false

    @Flag(help: ArgumentHelp(HelpText.tr("Print JSON instead of the calendar.")))
    var json = false

    func run() throws {
        let zone = options.systemZone
        let now = try options.currentInstant()
        let months: [YearMonth]
        if let period {
            guard let named = YearMonth.months(named: period) else {
                throw ValidationError(
                    "'\(period)' is not a month or a year; accepted: YYYY-MM (2027-07) or YYYY (2027)"
                )
            }
            months = named
        } else {
            let this = YearMonth(zone.localTime(at: now).date)
            months = [this, this.next, this.next.next]
        }
        let config = try options.loadOrExit().config
        let calendar = CalendarGrid(
            config: config,
            months: months,
            now: now,
            viewerZone: zone,
            localizer: Gettext.localizer
        )
        if json {
            Output.out(calendar.days.json(workingCalendar: calendar.workingCalendar).render())
            return
        }
        let terminal = Terminal.standardOutput()
        let layout = CalendarGrid.Layout(width: terminal.width, style: terminal.style, weekNumbers: weekNumbers)
        for line in calendar.render(layout) { Output.out(line) }
    }
}
