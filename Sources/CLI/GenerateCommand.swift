import ArgumentParser
import Gettext
import Timeline

/// `sse-timeline generate-synthetic`: a large synthetic config, for benchmarks and scale tests.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-synthetic",
        abstract: HelpText.tr("Print a synthetic timeline of many milestones (for benchmarks)."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                Milestones are timed, in UTC, with starts spread evenly over --spread seconds after --start; each has \
                --reminders reminders (at start, 1 second before, 2 seconds before, ...), so the timeline holds \
                milestones x reminders pending reminder instances.
                """
            ),
            HelpText.examples(
                "sse-timeline generate-synthetic --milestones 200000 --reminders 5 \\",
                "  --start 2030-01-01T00:00:00Z > big.toml"
            )
        ),
        shouldDisplay: false
    )

    @Option(help: ArgumentHelp(HelpText.tr("Number of milestones.")))
    var milestones = 1000

    @Option(help: ArgumentHelp(HelpText.tr("Reminders per milestone (1 to 50).")))
    var reminders = 1

    @Option(help: ArgumentHelp(HelpText.tr("First start (UTC, YYYY-MM-DDTHH:MM:SSZ)."), valueName: HelpText.tr("time")))
    var start = "2030-01-01T00:00:00Z"

    @Option(help: ArgumentHelp(HelpText.tr("Seconds over which the starts are spread (0: all at the same second).")))
    var spread = 86400 * 365

    @Option(help: ArgumentHelp(HelpText.tr("Reminder offsets are this many seconds apart.")))
    var step = 1

    func validate() throws {
        try requireValue(milestones, in: 0..., option: "--milestones")
        try requireValue(reminders, in: 1...50, option: "--reminders")
        guard spread >= 0, step >= 1 else {
            throw ValidationError(Gettext.localizer.tr("--spread must be >= 0 and --step >= 1"))
        }
    }

    func run() throws {
        let first = try TimeArgument.parse(start, option: "--start", zone: .utc)
        var offsets = ["\"at start\""]
        for i in 1..<reminders { offsets.append("\"\(i * step) seconds before\"") }
        let reminderList = "[" + offsets.joined(separator: ", ") + "]"
        var chunk = "[defaults]\ntimezone = \"UTC\"\nreminders = \(reminderList)\n\n"
        for i in 0..<milestones {
            let offset = milestones > 1 ? Int64(spread) * Int64(i) / Int64(milestones - 1) : 0
            let at = CivilDateTime(secondsSinceEpoch: first.secondsSinceEpoch + offset)
            chunk += "[[milestone]]\nid = \"synthetic-\(i)\"\ntitle = \"Synthetic milestone \(i)\"\nstart = \(at)Z\n\n"
            if chunk.utf8.count > 1 << 16 {
                Output.write(chunk, to: 1)
                chunk = ""
            }
        }
        Output.write(chunk, to: 1)
    }
}
