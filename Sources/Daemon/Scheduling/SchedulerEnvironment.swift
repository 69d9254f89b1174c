import Logging
import Timeline

/// A timeline as loaded from its config files; it describes itself by a one-line account of which files those were.
public struct LoadedTimeline: Sendable, CustomStringConvertible {
    /// The timeline.
    public var config: TimelineConfig
    /// Which files it came from, e.g. `/etc/sse-timeline/timeline.toml + 2 drop-ins from ...`.
    public var description: String

    /// A loaded timeline and its description.
    public init(config: TimelineConfig, description: String) {
        self.config = config
        self.description = description
    }
}

/// What the scheduler needs from the outside world; tests pass doubles.
///
/// Only the clock, the sink, the loader and the logger must be given; the other seams default to what `replay`
/// wants (no systemd, no state on disk, no journal to read back, stderr's place taken by the sink itself).
public struct SchedulerEnvironment {
    /// Wall time, read to stamp entries and to know "now" at start and reload.
    public var clock: any WallClock
    /// Where reminder entries go (the journal, or stderr).
    public var sink: any NotificationSink
    /// Where an entry goes when `sink` fails, so that no reminder is lost (by default `sink` itself).
    public var fallbackSink: any NotificationSink
    /// systemd's notify socket, when running under systemd.
    public var notifier: SystemdNotifier? = nil
    /// The state store, or nil to keep the state in memory only (replay).
    public var store: StateStore? = nil
    /// Loads the timeline (again, on reload).
    public var loadTimeline: () -> Result<LoadedTimeline, ConfigError>
    /// The values of `field` in this daemon's own journal entries with one of `messageIDs` since a wall time
    /// (nil: the journal cannot be read). At start, what the journal has counts as written.
    public var journalValues: (_ field: String, _ messageIDs: [String], _ since: WallTime) -> [String]? = { _, _, _ in
        nil
    }
    /// Operational messages.
    public var logger: Logger
    /// Reminders delivered more than this late are marked as caught up.
    public var caughtUpThreshold: Duration = .seconds(60)

    /// An environment writing to `sink`, loading with `loadTimeline`; every other seam keeps its default.
    public init(
        clock: any WallClock,
        sink: any NotificationSink,
        logger: Logger,
        loadTimeline: @escaping () -> Result<LoadedTimeline, ConfigError>
    ) {
        self.clock = clock
        self.sink = sink
        fallbackSink = sink
        self.logger = logger
        self.loadTimeline = loadTimeline
    }
}

/// Why the scheduler could not start.
public struct SchedulerError: Error, CustomStringConvertible {
    /// What went wrong, e.g. "the timeline has 2 errors; not starting".
    public var description: String
}
