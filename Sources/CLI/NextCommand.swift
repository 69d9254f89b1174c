import ArgumentParser
import Gettext
import Timeline

/// `sse-timeline next`: the next reminders due after now.
struct NextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: HelpText.tr("Show the next reminders due after now."),
        discussion: HelpText.examples(
            "sse-timeline next",
            "sse-timeline next --count 3 --json",
            "sse-timeline next --now 2027-01-01"
        )
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp(HelpText.tr("How many reminders to show.")))
    var count = 10

    @Flag(help: ArgumentHelp(HelpText.tr("Print JSON (the same objects as list --json, plus in_seconds).")))
    var json = false

    func validate() throws {
        try requireValue(count, in: 1..., option: "--count")
    }

    func run() throws {
        let config = try options.loadOrExit().config
        let now = try options.currentInstant()
        let schedule = Schedule(config: config)
        let formatting = InstanceFormatting(schedule: schedule, localizer: Gettext.localizer)
        let upcoming = schedule.next(after: now, count: count)
        if json {
            Output.out(JSON.array(upcoming.map { formatting.json($0, now: now) }).render())
            return
        }
        if upcoming.isEmpty { Output.out(formatting.localizer.tr("nothing is due after now")) }
        for instance in upcoming {
            Output.out(formatting.sentence(instance, now: now) + "  [\(schedule.milestone(of: instance).id)]")
        }
    }
}
