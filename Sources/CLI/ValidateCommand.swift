import ArgumentParser
import Gettext
import Timeline

/// `sse-timeline validate`: checks the config; exit 0 with a summary, or 1 with every error.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: HelpText.tr("Check the timeline config and report every problem with file:line:column."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                Reads the same config the daemon would (see --config) and reports every error of every file, each as \
                FILE:LINE:COLUMN: error: KEY = VALUE: what is wrong; what is accepted. Warnings (a local time in a \
                DST gap or overlap, a rule that never occurs) are printed too but do not fail.
                """
            ),
            HelpText.tr(
                """
                Exit status: 0 when the config is valid (a one-line summary is printed), 1 otherwise. Suitable for \
                ExecReload= and for editors.
                """
            ),
            HelpText.examples("sse-timeline validate", "sse-timeline validate --config ./my-timeline.toml")
        )
    )

    @OptionGroup var options: ConfigOptions

    @Option(
        help: ArgumentHelp(
            HelpText.tr(
                """
                Warn at each milestone whose title, description or location has no text in one of these languages.
                """
            ),
            discussion: HelpText.tr(
                """
                A comma-separated list of fr, es: each milestone of a TOML file without title_fr (and description_fr, \
                location_fr when it has a description or location) is listed as a warning at its FILE:LINE:COLUMN. \
                Warnings do not fail.
                """
            ),
            valueName: HelpText.tr("languages")
        )
    )
    var languages: String?

    /// The languages of --languages.
    var requiredLanguages: [String] {
        languages.map { $0.split(separator: ",").map { String($0.filter { $0 != " " }) } } ?? []
    }

    func validate() throws {
        for language in requiredLanguages where !MilestoneTexts.languages.contains(language) {
            let accepted = MilestoneTexts.languages.joined(separator: ", ")
            throw ValidationError(
                "--languages: \"\(language)\" is not a language milestones are translated into; accepted: \(accepted)"
            )
        }
    }

    func run() throws {
        let config = try options.loadOrExit(requiredLanguages: requiredLanguages).config
        let now = try options.currentInstant()
        let schedule = Schedule(config: config)
        var queue = DueQueue(schedule: schedule, after: now)
        let reminderCount = config.milestones.reduce(0) { $0 + $1.reminders.count }
        let l10n = Gettext.localizer
        var summary = l10n.tr(
            "valid: %s, %s configured, %s pending",
            l10n.trn("%d milestone", "%d milestones", config.milestones.count),
            l10n.trn("%d reminder", "%d reminders", reminderCount),
            String(queue.pendingCount)
        )
        if let next = queue.pop() {
            summary += l10n.tr(
                "; next: %s",
                InstanceFormatting(schedule: schedule, localizer: l10n).sentence(next, now: now)
            )
        } else {
            summary += l10n.tr("; nothing is due after now")
        }
        if !config.warnings.isEmpty { summary += l10n.trn(" (%d warnings)", " (%d warnings)", config.warnings.count) }
        Output.out(summary)
    }
}
