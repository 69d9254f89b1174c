import ArgumentParser
import Daemon
import Gettext
import Glibc
import Timeline

/// `sse-timeline fetch`: downloads the `[[calendar]]` feeds (`url = ...`) into the state directory.
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: HelpText.tr("Download the calendar feeds (url = ...) of the timeline into the state directory."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                The daemon never touches the network: sse-timeline-fetch.service runs this command (its timer every \
                few minutes), and the daemon reads the copy it leaves, <state>/feeds/NAME/NAME.ics, as a read-only \
                calendar, applying a new copy within a second.
                """
            ),
            HelpText.tr(
                """
                Each feed is fetched when its refresh (default 1 hour) has passed since its last success, or at once \
                with --force or when named. The request is conditional (If-None-Match, If-Modified-Since): an \
                unchanged feed costs one request and no reload. A body replaces the copy only when it is a whole \
                calendar; on any failure (the server down, HTTP 401, 404 or 5xx, a timeout, a truncated or oversized \
                body) the last good copy stays in force, the first failure of an outage is a warning in the journal \
                (CALENDAR=, URL= without credentials, ERROR=) and the recovery a notice.
                """
            ),
            HelpText.tr(
                """
                A feed's credential (credential = "NAME") is read from $CREDENTIALS_DIRECTORY/feed_NAME under the \
                system unit (LoadCredential=feed:/etc/sse-timeline/credentials), else from \
                ~/.config/sse-timeline/credentials/NAME, which must be yours and private (chmod 600): its first line \
                is user:password (HTTP basic) or "Bearer TOKEN".
                """
            ),
            HelpText.tr(
                """
                Exit status: 0 when every feed due was fetched or unchanged, 75 (EX_TEMPFAIL) when one failed, 1 when \
                the config cannot be loaded.
                """
            ),
            HelpText.examples(
                "sse-timeline fetch",
                "sse-timeline fetch --force team",
                "sse-timeline fetch --config ~/.config/sse-timeline/timeline.toml \\",
                "  --state-dir ~/.local/state/sse-timeline"
            )
        )
    )

    @OptionGroup var options: ConfigOptions

    @Option(
        help: ArgumentHelp(
            HelpText.tr(
                """
                Where the copies go (default: $STATE_DIRECTORY, /var/lib/sse-timeline for root, else \
                ~/.local/state/sse-timeline).
                """
            ),
            valueName: "dir"
        )
    )
    var stateDir: String?

    @Flag(help: ArgumentHelp(HelpText.tr("Fetch every feed now, whatever its refresh says.")))
    var force = false

    @Argument(
        help: ArgumentHelp(HelpText.tr("Fetch only these calendars (by name), now."), valueName: HelpText.tr("name"))
    )
    var names: [String] = []

    /// The exit status when a feed failed (EX_TEMPFAIL, sysexits.h): the timer tries again.
    static let failedExitCode: Int32 = 75

    func run() throws {
        let environment = ProcessEnvironment.current()
        guard let state = stateDir ?? FeedCache.stateDirectory(environment: environment) else {
            throw ValidationError(Gettext.localizer.tr("no state directory: pass --state-dir DIR"))
        }
        let files = options.source.files
        let loader = ConfigLoader(zones: .shared, systemZone: options.systemZone)
        let config: TimelineConfig
        switch files.load(loader: loader) {
        case .success(let loaded):
            config = loaded
        case .failure:
            _ = try options.loadOrExit()  // prints every problem and exits 1
            return
        }
        let feeds = config.calendars.filter { $0.feed != nil }
        for name in names where !feeds.contains(where: { $0.name == name }) {
            let known = feeds.map(\.name)
            let hint = Suggestion.closest(to: name, among: known).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw ValidationError(
                "no feed named \"\(name)\"\(hint); feeds: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
            )
        }
        let fetcher = FeedFetcher(cache: FeedCache(stateDirectory: state))
        let sink = JournalDetector().sink()
        let now = Int64(time(nil))
        var failed = false
        for calendar in feeds where names.isEmpty || names.contains(calendar.name) {
            var feed = FeedFetcher.Feed(name: calendar.name, url: calendar.feed!.url, refresh: calendar.feed!.refresh)
            feed.caFile = calendar.feed!.caFile
            feed.timeoutSeconds = Int(calendar.feed!.timeout)
            let url = HTTPGet.redacted(feed.url)
            let result: FeedFetcher.Result
            do {
                feed.credential = try calendar.feed!.credential.map { try Self.credential($0, environment) }
                result = fetcher.fetch(feed, now: now, force: force || !names.isEmpty)
            } catch {
                result = fetcher.recordFailure(of: calendar.name, "\(error)", now: now)
            }
            let fields = [("CALENDAR", calendar.name), ("URL", url)]
            let l10n = Gettext.localizer
            var entry: JournalEntry?
            switch result.outcome {
            case .notDue(let until):
                let time = ReminderMath.iso8601(Instant(secondsSinceEpoch: until), in: options.systemZone)
                Output.err(l10n.tr("%s: not due before %s", calendar.name, time))
            case .unchanged:
                Output.err(l10n.tr("%s: unchanged (%s)", calendar.name, url))
            case .updated(let bytes):
                entry = JournalEntry(
                    message: l10n.trn(
                        "Calendar feed %2$s updated: %1$d byte from %3$s",
                        "Calendar feed %2$s updated: %1$d bytes from %3$s",
                        Int(bytes),
                        calendar.name,
                        url
                    ),
                    fields: [("MESSAGE_ID", MessageID.feedUpdated)] + fields + [("BYTES", String(bytes))]
                )
            case .failed(let reason):
                failed = true
                let first = result.outageBegins
                entry = JournalEntry(
                    message: first
                        ? l10n.tr(
                            "Calendar feed %s cannot be fetched: %s; the last good copy stays in force",
                            calendar.name,
                            reason
                        )
                        : l10n.tr(
                            "Calendar feed %s still fails: %s; the last good copy stays in force",
                            calendar.name,
                            reason
                        ),
                    priority: first ? .warning : .info,
                    fields: [("MESSAGE_ID", MessageID.feedFailed)] + fields + [("ERROR", reason)]
                )
            }
            if result.outageEnds {
                write(
                    sink,
                    JournalEntry(
                        message: l10n.tr("Calendar feed %s can be fetched again (%s)", calendar.name, url),
                        priority: .notice,
                        fields: [("MESSAGE_ID", MessageID.feedRecovered)] + fields
                    )
                )
            }
            if let entry { write(sink, entry) }
        }
        if failed { throw ExitCode(Self.failedExitCode) }
    }

    private func write(_ sink: any NotificationSink, _ entry: JournalEntry) {
        do {
            try sink.write(entry)
        } catch {
            Output.err(Gettext.localizer.tr("cannot write to the journal: %s", "\(error)"))
        }
        if sink is SystemdJournalSink, let message = entry.message { Output.err(message) }
    }

    /// The credential `name`: `$CREDENTIALS_DIRECTORY/feed_NAME`, else the user's private file.
    static func credential(_ name: String, _ environment: [String: String]) throws -> HTTPGet.Credential {
        let path = try CredentialFile.path(of: name, prefix: "feed_", environment: environment)
        guard case .success(let bytes) = FileReader.read(path, limit: 64 * 1024),
            let credential = HTTPGet.Credential(fileText: String(decoding: bytes, as: UTF8.self))
        else {
            throw CredentialError(path: path, problem: "its first line is neither user:password nor \"Bearer TOKEN\"")
        }
        return credential
    }
}
