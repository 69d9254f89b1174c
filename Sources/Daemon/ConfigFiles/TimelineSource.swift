import Glibc
import Timeline

/// Which timeline to load: what the command line (`--config`, `--default-timeline`) and the environment
/// (`$CONFIGURATION_DIRECTORY`, `$TZ`) say. The daemon and every command load through it.
public struct TimelineSource: Sendable {
    /// `--config PATH`: the main file, its drop-ins in `<name>.d/` beside it.
    public var explicitPath: String?
    /// `--default-timeline`: the embedded default only, no files.
    public var defaultOnly: Bool
    /// The process environment (`CONFIGURATION_DIRECTORY`, `TZ`).
    public var environment: [String: String]
    /// The daemon's own state directory: it reads the feeds' last good copies there (`FeedCache`) and creates
    /// their directories, so that they are watched before the first fetch. Nil for the other commands: they read
    /// the copies from `FeedCache.stateDirectory(environment:)` and create nothing.
    public var stateDirectory: String?

    /// The source that `explicitPath`, `defaultOnly` and `environment` describe.
    public init(explicitPath: String? = nil, defaultOnly: Bool = false, environment: [String: String]) {
        self.explicitPath = explicitPath
        self.defaultOnly = defaultOnly
        self.environment = environment
    }

    /// The config files, located now (so that a `timeline.toml` or `timeline.d/` created after start counts at
    /// the next reload). See `ConfigFiles.locate` for the lookup order.
    public var files: ConfigFiles {
        if defaultOnly { return ConfigFiles(mainPath: nil, dropInDirectory: nil) }
        return ConfigFiles.locate(explicitPath: explicitPath, environment: environment)
    }

    /// The system's zone, the zone of milestones that name none: `$TZ`, then `/etc/localtime`.
    public func systemZone(in zones: ZoneDatabase) -> Zone {
        zones.systemZone(tz: environment["TZ"])
    }

    /// Locates and loads the timeline, its zones read from `zones`, the items of its `[[calendar]]` vdirs through
    /// `calendars` (the daemon keeps one across reloads, so that unchanged files are not parsed again; nil: read
    /// them all, once). Problems in calendars are warnings, each said by the first load that finds it.
    ///
    /// The daemon passes a fresh database at each load, so that an OS tzdata update takes effect at the next
    /// reload; one-shot commands pass `ZoneDatabase.shared`.
    /// `requiredLanguages`: warn at each milestone without texts in one of them (`validate --languages`).
    public func load(
        zones: ZoneDatabase = ZoneDatabase(),
        calendars: VdirCalendars? = nil,
        requiredLanguages: [String] = []
    ) -> Result<LoadedTimeline, ConfigError> {
        let files = self.files
        var loader = ConfigLoader(zones: zones, systemZone: systemZone(in: zones))
        loader.requiredLanguages = requiredLanguages
        return files.load(loader: loader).map { config in
            var config = config
            var description = files.describe(dropInCount: config.sources.count - 1)
            if !config.calendars.isEmpty {
                if let state = stateDirectory ?? FeedCache.stateDirectory(environment: environment) {
                    let cache = FeedCache(stateDirectory: state)
                    for n in config.calendars.indices where config.calendars[n].feed != nil {
                        let name = config.calendars[n].name
                        // A failure shows as the directory's own warning when the calendar is read.
                        if stateDirectory != nil { try? cache.prepare(name) }
                        config.calendars[n].vdir = cache.collectionPath(name)
                    }
                }
                let calendars = calendars ?? VdirCalendars(home: VdirCalendars.home(environment: environment))
                let now = Instant(secondsSinceEpoch: Int64(time(nil)))
                config.warnings += calendars.read(into: &config, zones: zones, now: now)
                let items = calendars.statuses.reduce(0) { $0 + $1.itemCount }
                let count = config.calendars.count
                description += " + \(count) calendar\(count == 1 ? "" : "s") (\(items) item\(items == 1 ? "" : "s"))"
            }
            return LoadedTimeline(config: config, description: description)
        }
    }
}
