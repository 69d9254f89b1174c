import ArgumentParser
import Glibc
import Timeline

/// Options every command that reads the timeline takes.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The timeline file to use (its drop-ins are read from <name>.d/ beside it).",
            discussion: """
                Without it: $CONFIGURATION_DIRECTORY/timeline.toml, then /etc/sse-timeline/timeline.toml, \
                then the embedded default SSE timeline.
                """,
            valueName: "path"
        )
    )
    var config: String?

    @Flag(
        name: .long,
        help: "Use the embedded default SSE timeline, ignoring config files and drop-ins."
    )
    var defaultTimeline = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Pretend the current time is this (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]); for previews and tests.",
            valueName: "time"
        )
    )
    var now: String?

    /// The system's zone: $TZ, then /etc/localtime.
    var systemZone: Zone { systemZone(in: .shared) }

    /// The system's zone, read from `zones`.
    func systemZone(in zones: ZoneDatabase) -> Zone {
        let tz = getenv("TZ").map { String(cString: $0) }
        return zones.systemZone(tz: tz)
    }

    /// "Now", from --now or the clock.
    func currentInstant() throws -> Instant {
        guard let now else { return SystemTime.now() }
        return try TimeArgument.parse(now, option: "--now", zone: systemZone)
    }

    /// The located config files.
    var files: ConfigFiles {
        if defaultTimeline { return ConfigFiles(mainPath: nil, dropInDirectory: nil) }
        return ConfigFiles.locate(explicitPath: config, environment: ProcessEnvironment.current())
    }

    /// Loads the timeline or prints every problem and exits 1. Says which config was used, on stderr.
    func loadOrExit(quiet: Bool = false) throws -> (config: TimelineConfig, description: String) {
        let files = self.files
        let loader = ConfigLoader(zones: ZoneDatabase.shared, systemZone: systemZone)
        switch files.load(loader: loader) {
        case .success(let config):
            let description = files.describe(dropInCount: config.sources.count - 1)
            if !quiet { Output.err("config: \(description)") }
            for warning in config.warnings { Output.err(warning.description) }
            return (config, description)
        case .failure(let error):
            Output.err("config: \(files.describe(dropInCount: files.dropInCount))")
            for diagnostic in error.diagnostics { Output.err(diagnostic.description) }
            Output.err("\(plural(error.errors.count, "error")); the timeline was not loaded")
            throw ExitCode(1)
        }
    }
}
