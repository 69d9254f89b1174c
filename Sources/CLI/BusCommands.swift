import ArgumentParser
import Daemon
import Gettext
import Glibc
import Timeline

/// Which daemon the bus commands talk to: the user's own (`--user`) or the system's.
struct InstanceOptions: ParsableArguments {
    @Flag(
        name: .customLong("user"),
        help: ArgumentHelp(
            HelpText.tr("Your own instance, on your session bus (as systemctl --user), not the system's.")
        )
    )
    var user = false

    /// The bus of the instance chosen.
    var scope: BusScope { user ? .user : .system }

    /// A client of the running daemon; exits 1 with a clear message when the bus cannot be reached.
    func client() throws -> TimelineClient {
        do {
            return TimelineClient(bus: try BusClient(scope: scope))
        } catch {
            throw fail(error)
        }
    }

    /// The error to exit with for a failed call: no daemon running, no bus, or the daemon's own refusal.
    func fail(_ error: BusError) -> ExitCode {
        let unit = user ? "systemctl --user start sse-timeline" : "systemctl start sse-timeline"
        let l10n = Gettext.localizer
        if error.isServiceUnknown {
            Output.err(
                l10n.tr(
                    "sse-timeline: no sse-timeline daemon is running on %s (nobody owns %s); start it with: %s",
                    "\(scope)",
                    DaemonService.busName,
                    unit
                )
            )
        } else if error.isNotConnected {
            Output.err(
                l10n.tr(
                    "sse-timeline: cannot reach %s (%s), so no sse-timeline daemon runs there",
                    "\(scope)",
                    error.message
                )
                    + (user ? "" : l10n.tr("; for your own instance, add --user"))
            )
        } else if error.name.hasPrefix(TimelineBusAPI.errorPrefix) {
            Output.err("sse-timeline: \(error.message)")
        } else if error.name == "org.freedesktop.DBus.Error.AccessDenied" {
            Output.err(
                l10n.tr("sse-timeline: not allowed: %s", error.message)
                    + (user ? "" : l10n.tr(" (the system instance takes snooze and dismiss from root only; try sudo)"))
            )
        } else {
            Output.err("sse-timeline: \(error)")
        }
        return ExitCode(1)
    }
}

/// `sse-timeline pending`: what the running daemon will write next.
struct PendingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pending",
        abstract: HelpText.tr(
            """
            Show the reminders the running daemon will write next, snoozed ones included, and the deliveries to named \
            channels waiting for a retry.
            """
        ),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                Asks the running daemon over the bus (ListPending and ListDeliveries of \
                io.github.ssetimeline.Timeline1), the way timedatectl asks timedated: the system instance on the \
                system bus, your own with --user. Each reminder is shown with its key, which snooze and dismiss take; \
                then each delivery to a [channel.NAME] whose last attempt failed: its channel, when it is tried next, \
                how many attempts failed and how the last one ended (docs/channels.md).
                """
            ),
            HelpText.examples(
                "sse-timeline pending",
                "sse-timeline --user pending --count 5",
                "sse-timeline pending --json"
            )
        )
    )

    @OptionGroup var instance: InstanceOptions

    @Option(help: ArgumentHelp(HelpText.tr("How many reminders to show (at most 1000).")))
    var count: UInt32 = 20

    @Flag(
        help: ArgumentHelp(
            HelpText.tr(
                """
                Print JSON: one object per reminder (key, state, milestone_id, title, reminder, due, first_due), then \
                one per delivery waiting for a retry (key, state "retrying", channel, attempts, next_try, \
                last_failure).
                """
            )
        )
    )
    var json = false

    func validate() throws {
        try requireValue(count, in: 1...TimelineBusAPI.maximumLimit, option: "--count")
    }

    func run() throws {
        let client = try instance.client()
        let pending: [PendingReminder]
        do {
            pending = try client.pending(limit: count)
        } catch {
            throw instance.fail(error)
        }
        // A daemon older than the channels has no ListDeliveries: it has no deliveries either.
        let retries = (try? client.deliveries()) ?? []
        let zone = ZoneDatabase.shared.systemZone(tz: ProcessEnvironment.current()["TZ"])
        if json {
            Output.out(
                JSON.array(
                    pending.map {
                        JSON.object([
                            ("key", .string($0.key)), ("state", .string($0.state.rawValue)),
                            ("milestone_id", .string($0.milestoneID)), ("title", .string($0.title)),
                            ("reminder", .string($0.reminder)),
                            ("due", .string(ReminderMath.iso8601(Instant($0.due), in: zone))),
                            ("first_due", .string(ReminderMath.iso8601(Instant($0.originalDue), in: zone))),
                        ])
                    }
                        + retries.map {
                            let (key, channel) = PendingDelivery.parts(of: $0.id)
                            return JSON.object([
                                ("key", .string(key)), ("state", .string("retrying")), ("channel", .string(channel)),
                                ("attempts", .int(Int64($0.attempts))),
                                ("next_try", .string(ReminderMath.iso8601(Instant($0.next), in: zone))),
                                ("last_failure", .string($0.lastFailure)),
                            ])
                        }
                ).render()
            )
            return
        }
        let l10n = Gettext.localizer
        if pending.isEmpty && retries.isEmpty {
            Output.out(l10n.tr("nothing is pending"))
            return
        }
        let now = SystemTime.now().secondsSinceEpoch
        for reminder in pending {
            let due = Instant(reminder.due)
            var line =
                "\(ReminderMath.humanTime(due, in: zone)) (\(ReminderMath.relative(due.secondsSinceEpoch - now, l10n)))"
            line += reminder.state == .snoozed ? "  " + l10n.tr("snoozed") + "  " : "  "
            line += reminder.reminder.isEmpty ? reminder.title : "\(reminder.title), \(reminder.reminder)"
            Output.out(line)
            Output.out("    " + l10n.tr("key: %s", Shell.quote(reminder.key)))
        }
        if !retries.isEmpty { Output.out(l10n.tr("deliveries waiting for a retry:")) }
        for retry in retries {
            let (key, channel) = PendingDelivery.parts(of: retry.id)
            let next = Instant(retry.next)
            let failed = l10n.trn("%d attempt failed", "%d attempts failed", retry.attempts)
            Output.out(
                "\(ReminderMath.humanTime(next, in: zone)) (\(ReminderMath.relative(next.secondsSinceEpoch - now, l10n)))  "
                    + "\(channel): " + l10n.tr("%s, the last: %s", failed, retry.lastFailure)
            )
            Output.out("    " + l10n.tr("key: %s", Shell.quote(key)))
        }
    }
}

/// `sse-timeline snooze KEY DURATION`.
struct SnoozeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snooze",
        abstract: HelpText.tr("Snooze a reminder: the running daemon writes it again after DURATION."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                KEY is a reminder's key, as `sse-timeline pending` and the journal's REMINDER_KEY field show it. \
                DURATION is written as in the config: "10 minutes", "1 hour 30 minutes", "2 days" (1 second to 366 \
                days). The snooze is kept in the daemon's state, so the reminder comes back also after a restart. A \
                reminder that has not come due yet is held back until then.
                """
            ),
            HelpText.examples(
                "sse-timeline snooze 'exam|2027-06-03T09:00:00|1 day before' '10 minutes'",
                "sse-timeline --user snooze \"$(sse-timeline --user pending --json | jq -r '.[0].key')\" '1 hour'"
            )
        )
    )

    @OptionGroup var instance: InstanceOptions

    @Argument(help: ArgumentHelp(HelpText.tr("The reminder's key."), valueName: HelpText.tr("key")))
    var key: String

    @Argument(help: ArgumentHelp(HelpText.tr("How long, e.g. \"10 minutes\"."), valueName: HelpText.tr("duration")))
    var duration: String

    func validate() throws {
        guard let seconds = DurationText.seconds(parsing: duration), seconds > 0 else {
            throw ValidationError(
                Gettext.localizer.tr("\"%s\" is not a duration; accepted: %s", duration, DurationText.accepted)
            )
        }
    }

    func run() throws {
        let seconds = DurationText.seconds(parsing: duration)!
        let client = try instance.client()
        let until: WallTime
        do {
            until = try client.snooze(key: key, seconds: UInt64(seconds))
        } catch {
            throw instance.fail(error)
        }
        let zone = ZoneDatabase.shared.systemZone(tz: ProcessEnvironment.current()["TZ"])
        Output.out(Gettext.localizer.tr("snoozed until %s: %s", ReminderMath.humanTime(Instant(until), in: zone), key))
    }
}

/// `sse-timeline dismiss KEY`.
struct DismissCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dismiss",
        abstract: HelpText.tr("Dismiss a reminder: a snooze of it ends; one not due yet will not be sent."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                KEY is a reminder's key, as `sse-timeline pending` and the journal's REMINDER_KEY field show it.
                """
            ),
            HelpText.examples(
                "sse-timeline dismiss 'exam|2027-06-03T09:00:00|1 day before'",
                "sse-timeline --user dismiss 'standup|2027-06-03T09:30:00|at start'"
            )
        )
    )

    @OptionGroup var instance: InstanceOptions

    @Argument(help: ArgumentHelp(HelpText.tr("The reminder's key."), valueName: HelpText.tr("key")))
    var key: String

    func run() throws {
        let client = try instance.client()
        do {
            try client.dismiss(key: key)
        } catch {
            throw instance.fail(error)
        }
        Output.out(Gettext.localizer.tr("dismissed: %s", key))
    }
}

/// Quoting for a shell, so that a key printed can be pasted as one argument.
enum Shell {
    /// `text` in single quotes, any single quote in it written as `'\''`.
    static func quote(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
