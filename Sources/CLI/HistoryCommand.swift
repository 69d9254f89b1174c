import ArgumentParser
import Daemon
import Gettext
import Glibc
import Timeline

/// `sse-timeline history`: what the daemon wrote into the journal about reminders, read with sd-journal.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: HelpText.tr("Show the reminders the daemon sent, snoozed, dismissed and acted on, from the journal."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                Reads the journal with sd-journal: the system instance's entries (_SYSTEMD_UNIT=sse-timeline.service) \
                by default, your own instance's with --user (your _UID, _SYSTEMD_USER_UNIT=sse-timeline.service), or \
                every sse-timeline entry of a journal directory (--directory, e.g. the central journal of a fleet, \
                /var/log/journal/remote) or of journal files (--file, repeatable). Reading the system journal needs \
                root or the systemd-journal group (or adm).
                """
            ),
            HelpText.tr(
                """
                Each line: TIME (your zone) HOST WHO (system, or the user of a user instance) EVENT MESSAGE [fields]. \
                Events: sent, caught-up, missed, snoozed, returned (after a snooze), repeated, dismissed, \
                action-started, action-finished, action-failed (see systemd/sse-timeline.catalog).
                """
            ),
            HelpText.tr(
                """
                --json prints an array of {"time", "event", "host", "uid", "user_unit", "message_id", "message", \
                "milestone", "fields": {...}}, "fields" holding every field the daemon wrote (MILESTONE_ID, \
                REMINDER_KEY, DUE_AT, SNOOZED_UNTIL, UNIT, JOB_RESULT, ...).
                """
            ),
            HelpText.examples(
                "sse-timeline history --since 2027-06-01",
                "sse-timeline history --user --milestone international-day-of-cooperatives",
                "sse-timeline history --directory /var/log/journal/remote --since 2027-06-01 --json",
                "sse-timeline history --file ./system.journal"
            )
        )
    )

    @OptionGroup var instance: InstanceOptions

    @Option(
        help: ArgumentHelp(
            HelpText.tr("Only entries written at or after this time (%s).", "YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM]"),
            valueName: HelpText.tr("time")
        )
    )
    var since: String?

    @Option(
        help: ArgumentHelp(
            HelpText.tr("Only entries written at or before this time (a bare date: through its end)."),
            valueName: HelpText.tr("time")
        )
    )
    var until: String?

    @Option(help: ArgumentHelp(HelpText.tr("Only the entries of this milestone."), valueName: "id"))
    var milestone: String?

    @Option(
        help: ArgumentHelp(
            HelpText.tr("Read the journal files in this directory instead (any host, any instance)."),
            valueName: "dir"
        )
    )
    var directory: String?

    @Option(
        name: .customLong("file"),
        help: ArgumentHelp(HelpText.tr("Read this journal file instead (repeatable)."), valueName: HelpText.tr("file"))
    )
    var files: [String] = []

    @Flag(help: ArgumentHelp(HelpText.tr("Print JSON instead of lines.")))
    var json = false

    func validate() throws {
        if directory != nil && !files.isEmpty {
            throw ValidationError(Gettext.localizer.tr("--directory and --file exclude each other"))
        }
        if instance.user && (directory != nil || !files.isEmpty) {
            throw ValidationError(
                Gettext.localizer.tr("--user reads this machine's journal; it does not go with --directory or --file")
            )
        }
    }

    func run() throws {
        let zone = ZoneDatabase.shared.systemZone(tz: ProcessEnvironment.current()["TZ"])
        let start = try since.map { try TimeArgument.parse($0, option: "--since", zone: zone) }
        let end = try until.map { try TimeArgument.parseEnd($0, option: "--until", zone: zone) }
        if let start, let end, start > end {
            throw ValidationError(Gettext.localizer.tr("--since must not be after --until"))
        }
        let source: JournalHistory.Source =
            if let directory { .directory(directory) } else if !files.isEmpty { .files(files) } else if instance.user {
                .user(uid: getuid())
            } else { .system }
        let entries: [JournalHistory.Entry]
        do {
            entries = try JournalHistory(source: source).entries(
                since: start.map(WallTime.init),
                until: end.map(WallTime.init),
                milestone: milestone
            )
        } catch {
            Output.err("sse-timeline: \(error)")
            throw ExitCode(1)
        }
        if json {
            Output.out(JSON.array(entries.map { json($0, zone: zone) }).render())
            return
        }
        if entries.isEmpty { Output.err(Gettext.localizer.tr("no sse-timeline entries in %s", describe(source))) }
        for entry in entries {
            var line =
                [
                    time(entry, zone: zone), entry.host ?? "-", who(entry, source: source),
                    entry.event.label(Gettext.localizer),
                ]
                .joined(separator: "  ") + "  " + entry.message
            let shown = Self.shownFields.compactMap { name in entry.field(name).map { "\(name)=\($0)" } }
            if !shown.isEmpty { line += "  [" + shown.joined(separator: " ") + "]" }
            Output.out(line)
        }
    }

    /// The fields each line shows after the message (all of them are in --json).
    static let shownFields = ["REMINDER_KEY", "SNOOZED_UNTIL", "DISMISSED_AHEAD", "UNIT", "JOB_RESULT", "ERROR"]

    private func time(_ entry: JournalHistory.Entry, zone: Zone) -> String {
        let instant = Instant(secondsSinceEpoch: entry.time.seconds)
        let local = zone.localTime(at: instant)
        return "\(local.date) \(String(local.description.suffix(8))) \(zone.offset(at: instant).abbreviation)"
    }

    /// `system` for the system instance; the user's name (this machine) or uid (another journal) for a user one.
    private func who(_ entry: JournalHistory.Entry, source: JournalHistory.Source) -> String {
        let l10n = Gettext.localizer
        guard entry.userUnit != nil, let uid = entry.uid else { return l10n.tr("system") }
        switch source {
        case .system, .user:
            if let passwd = getpwuid(uid), let name = passwd.pointee.pw_name { return String(cString: name) }
            return l10n.tr("uid %s", String(uid))
        case .directory, .files:
            return l10n.tr("uid %s", String(uid))
        }
    }

    private func describe(_ source: JournalHistory.Source) -> String {
        let l10n = Gettext.localizer
        return switch source {
        case .system: l10n.tr("the system journal (is sse-timeline.service installed, and may you read the journal?)")
        case .user: l10n.tr("your journal (is your sse-timeline.service running?)")
        case .directory(let path): path
        case .files(let paths): paths.joined(separator: ", ")
        }
    }

    private func json(_ entry: JournalHistory.Entry, zone: Zone) -> JSON {
        .object([
            ("time", .string(ReminderMath.iso8601(Instant(secondsSinceEpoch: entry.time.seconds), in: zone))),
            ("event", .string(entry.event.rawValue)),
            ("host", .optional(entry.host)),
            ("uid", entry.uid.map { .int(Int64($0)) } ?? .null),
            ("user_unit", .optional(entry.userUnit)),
            ("message_id", .string(entry.event.messageID)),
            ("message", .string(entry.message)),
            ("milestone", .optional(entry.milestoneID)),
            ("fields", .object(entry.fields.map { ($0.name, JSON.string($0.value)) })),
        ])
    }
}
