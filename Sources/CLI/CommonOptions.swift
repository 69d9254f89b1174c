import ArgumentParser
import Daemon
import Gettext
import Timeline

/// Options every command that reads the timeline takes.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            HelpText.tr("The timeline file to use (its drop-ins are read from <name>.d/ beside it)."),
            discussion: HelpText.tr(
                """
                Without it: $CONFIGURATION_DIRECTORY/timeline.toml, then /etc/sse-timeline/timeline.toml, then the \
                embedded default SSE timeline.
                """
            ),
            valueName: "path"
        )
    )
    var config: String?

    @Flag(
        name: .long,
        help: ArgumentHelp(HelpText.tr("Use the embedded default SSE timeline, ignoring config files and drop-ins."))
    )
    var defaultTimeline = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            HelpText.tr(
                "Pretend the current time is this (%s); for previews and tests.",
                "YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]"
            ),
            valueName: HelpText.tr("time")
        )
    )
    var now: String?

    /// Which timeline these options name.
    var source: TimelineSource {
        TimelineSource(explicitPath: config, defaultOnly: defaultTimeline, environment: ProcessEnvironment.current())
    }

    /// The system's zone: $TZ, then /etc/localtime.
    var systemZone: Zone { source.systemZone(in: .shared) }

    /// "Now", from --now or the clock.
    func currentInstant() throws -> Instant {
        guard let now else { return SystemTime.now() }
        return try TimeArgument.parse(now, option: "--now", zone: systemZone)
    }

    /// Loads the timeline or prints every problem and exits 1. Says which config was used, on stderr.
    ///
    /// `requiredLanguages`: warn at each milestone without texts in one of them (`validate --languages`).
    func loadOrExit(quiet: Bool = false, requiredLanguages: [String] = []) throws -> LoadedTimeline {
        let source = self.source
        switch source.load(zones: .shared, requiredLanguages: requiredLanguages) {
        case .success(let loaded):
            if !quiet {
                let used = source.files.describe(
                    dropInCount: loaded.config.sources.count - 1,
                    localizer: Gettext.localizer
                )
                Output.err(Gettext.localizer.tr("config: %s", used))
            }
            for warning in loaded.config.warnings { Output.err(warning.description(in: Gettext.localizer)) }
            return loaded
        case .failure(let error):
            let files = source.files
            let used = files.describe(dropInCount: files.dropInCount, localizer: Gettext.localizer)
            Output.err(Gettext.localizer.tr("config: %s", used))
            for diagnostic in error.diagnostics { Output.err(diagnostic.description(in: Gettext.localizer)) }
            let l10n = Gettext.localizer
            Output.err(
                l10n.trn(
                    "%d error; the timeline was not loaded",
                    "%d errors; the timeline was not loaded",
                    error.errorCount
                )
            )
            throw ExitCode(1)
        }
    }
}

/// Throws the usage error "`option` must be A to B, not V" unless `range` holds `value`.
func requireValue<T: BinaryInteger>(_ value: T, in range: ClosedRange<T>, option: String) throws {
    guard range.contains(value) else {
        throw ValidationError(
            Gettext.localizer.tr(
                "%s must be %s to %s, not %s",
                option,
                "\(range.lowerBound)",
                "\(range.upperBound)",
                "\(value)"
            )
        )
    }
}

/// Throws the usage error "`option` must be at least A, not V" unless `range` holds `value`.
func requireValue<T: BinaryInteger>(_ value: T, in range: PartialRangeFrom<T>, option: String) throws {
    guard range.contains(value) else {
        throw ValidationError(
            Gettext.localizer.tr("%s must be at least %s, not %s", option, "\(range.lowerBound)", "\(value)")
        )
    }
}
