import ArgumentParser
import Gettext
import Timeline

/// `sse-timeline list`: every occurrence and reminder in a window, in due order.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: HelpText.tr("List milestone occurrences and reminders in a window, in due order."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                Each line: DUE (ISO 8601 with offset), MILESTONE_ID, OCCURRENCE (its start), REMINDER (the offset as \
                configured, or "(occurrence)" for the milestone itself), TITLE.
                """
            ),
            HelpText.tr(
                """
                --json prints an array of objects with the keys kind ("occurrence" or "reminder"), due, milestone, \
                title, occurrence, reminder, priority and key, and moved_from and moved_reason when \
                on_non_working_day moved it (see docs/configuration.md, "JSON output").
                """
            ),
            HelpText.examples(
                "sse-timeline list",
                "sse-timeline list --from 2021-01-01 --to 2023-12-31",
                "sse-timeline list --from 2027-01-01 --to 2027-12-31 --json"
            )
        )
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp(HelpText.tr("Start of the window (default: now)."), valueName: HelpText.tr("date")))
    var from: String?

    @Option(
        help: ArgumentHelp(
            HelpText.tr("End of the window, inclusive (default: one year after --from)."),
            valueName: HelpText.tr("date")
        )
    )
    var to: String?

    @Flag(help: ArgumentHelp(HelpText.tr("Print JSON instead of a table.")))
    var json = false

    func run() throws {
        let config = try options.loadOrExit().config
        let zone = options.systemZone
        let start =
            try from.map { try TimeArgument.parse($0, option: "--from", zone: zone) } ?? options.currentInstant()
        // A bare date as the end means through the end of that day.
        let end =
            try to.map { try TimeArgument.parseEnd($0, option: "--to", zone: zone) }
            ?? start.adding(seconds: 366 * 86400)
        guard start <= end else { throw ValidationError(Gettext.localizer.tr("--from must not be after --to")) }
        let schedule = Schedule(config: config)
        let formatting = InstanceFormatting(schedule: schedule, localizer: Gettext.localizer)
        enum Row {
            case occurrence(Int, CivilDateTime, Instant)
            case reminder(ReminderInstance)
            var at: Instant {
                switch self {
                case .occurrence(_, _, let at): at
                case .reminder(let r): r.due
                }
            }
        }
        var rows: [Row] = schedule.occurrences(from: start, through: end).map {
            .occurrence($0.milestoneIndex, $0.start, $0.at)
        }
        rows += schedule.instances(from: start, through: end).map { .reminder($0) }
        // Stable: by instant; at the same instant the occurrence before its reminders (already in order).
        rows = rows.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        if json {
            let items: [JSON] = rows.map { row in
                switch row {
                case .reminder(let instance): return formatting.json(instance)
                case .occurrence(let index, let startLocal, _):
                    return formatting.json(occurrenceOf: config.milestones[index], start: startLocal)
                }
            }
            Output.out(JSON.array(items).render())
            return
        }
        if rows.isEmpty { Output.err(formatting.localizer.tr("nothing in %s ... %s", "\(start)", "\(end)")) }
        for row in rows {
            switch row {
            case .reminder(let instance): Output.out(formatting.row(instance))
            case .occurrence(let index, let startLocal, let at):
                let milestone = config.milestones[index]
                Output.out(
                    [
                        ReminderMath.iso8601(at, in: milestone.zone), milestone.id,
                        formatting.occurrenceText(milestone: milestone, start: startLocal),
                        formatting.localizer.tr("(occurrence)"),
                        milestone.title(in: formatting.localizer.language),
                    ].joined(separator: "  ")
                )
            }
        }
    }
}
