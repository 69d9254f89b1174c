import ArgumentParser
import Daemon
import Gettext
import Timeline

/// `sse-timeline status`: what the running daemon says of itself and of each calendar it reads.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: HelpText.tr("Show the running daemon's status and each calendar's items, last read and last error."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                Asks the running daemon over the bus (the Status property and ListCalendars of \
                io.github.ssetimeline.Timeline1): the system instance on the system bus, your own with --user. For \
                each [[calendar]] it shows the directory, its display name, how many items (.ics files) and \
                milestones it holds, when it was last read, and the last problem (a file that could not be read, with \
                file:line:column).
                """
            ),
            HelpText.examples("sse-timeline status", "sse-timeline --user status --json")
        )
    )

    @OptionGroup var instance: InstanceOptions

    @Flag(
        help: ArgumentHelp(
            HelpText.tr(
                """
                Print JSON: an object with status and calendars (name, path, display_name, color, items, milestones, \
                last_success, last_error).
                """
            )
        )
    )
    var json = false

    func run() throws {
        let client = try instance.client()
        let status: String
        let calendars: [VdirCalendars.Status]
        do {
            status = try client.status()
            calendars = try client.calendars()
        } catch {
            throw instance.fail(error)
        }
        let zone = ZoneDatabase.shared.systemZone(tz: ProcessEnvironment.current()["TZ"])
        let time = { (instant: Instant?) in instant.map { ReminderMath.iso8601($0, in: zone) } }
        if json {
            let list = calendars.map { calendar in
                JSON.object([
                    ("name", .string(calendar.name)), ("path", .string(calendar.path)),
                    ("display_name", .optional(calendar.displayName)), ("color", .optional(calendar.color)),
                    ("items", .int(Int64(calendar.itemCount))), ("milestones", .int(Int64(calendar.milestoneCount))),
                    ("last_success", .optional(time(calendar.lastSuccess))),
                    ("last_error", .optional(calendar.lastError)),
                ])
            }
            Output.out(JSON.object([("status", .string(status)), ("calendars", .array(list))]).render())
            return
        }
        Output.out(status)
        for calendar in calendars {
            let l10n = Gettext.localizer
            Output.out(
                calendar.displayName.map { l10n.tr("calendar %s (%s): %s", calendar.name, $0, calendar.path) }
                    ?? l10n.tr("calendar %s: %s", calendar.name, calendar.path)
            )
            let items = l10n.trn("%d item", "%d items", calendar.itemCount)
            let milestones = l10n.trn("%d milestone", "%d milestones", calendar.milestoneCount)
            let read = time(calendar.lastSuccess) ?? l10n.tr("never")
            Output.out("    " + l10n.tr("%s, %s; last read: %s", items, milestones, read))
            if let error = calendar.lastError { Output.out("    " + l10n.tr("last error: %s", error)) }
        }
    }
}
