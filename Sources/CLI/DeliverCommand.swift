import ArgumentParser
import Daemon
import Gettext
import Glibc
import Timeline

/// `sse-timeline deliver`: one attempt at sending a reminder to a mail or Apprise channel, as the template unit
/// `sse-timeline-deliver@.service` runs it (the work is `ChannelDelivery`'s).
struct DeliverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: HelpText.tr("Send one reminder to a mail or Apprise channel (run by sse-timeline-deliver@.service)."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                The daemon starts the template unit sse-timeline-deliver@ID-ATTEMPT.service for every attempt at a \
                channel's delivery, after writing the reminder into $RUNTIME_DIRECTORY/deliver/ID-ATTEMPT.env; the \
                unit reads that file (EnvironmentFile=) and runs this command, which reads only its environment:
                """
            ),
            HelpText.tr(
                """
                  SSE_DELIVERY_ID    REMINDER_KEY|channel, the same for every attempt (the mail's Message-ID)
                  SSE_CHANNEL        the channel's name; SSE_CHANNEL_KIND: mail or apprise
                  SSE_MAIL_TO        mail: the recipients, separated by commas
                  SSE_APPRISE        apprise: the credential holding the URLs, one a line: \
                $CREDENTIALS_DIRECTORY/apprise_NAME under the system unit, ~/.config/sse-timeline/credentials/NAME \
                for a user (refused unless the user's own, mode 0600)
                  SSE_LANGUAGE       the channel's language (optional); SSE_ATTEMPT: 1, 2, ...
                  SSE_MAIL_FROM      the From: address (optional; default sse-timeline <user@host>)
                  SSE_MILESTONE_TITLE, SSE_MILESTONE_START, SSE_MILESTONE_END, SSE_MILESTONE_LOCATION, SSE_REMINDER, \
                SSE_REMINDER_KEY, SSE_DUE_AT, SSE_OCCURRENCE, SSE_SOURCE_URL, SSE_PRIORITY, SSE_MESSAGE: the \
                reminder's journal fields
                """
            ),
            HelpText.tr(
                """
                Mail goes to /usr/sbin/sendmail -i -- RECIPIENTS (postfix, exim, msmtp-mta, nullmailer): a UTF-8 text \
                and the event as text/calendar. Apprise runs as apprise -n TYPE -t TITLE --config FILE, the body on \
                its input; the URLs never appear in its arguments.
                """
            ),
            HelpText.tr(
                """
                It writes one journal entry (delivery-sent, or delivery-failed with REASON: the mailer's or Apprise's \
                own words; on standard error when there is no journal) and exits 0 when the message was handed over, \
                75 (EX_TEMPFAIL) when a retry may help, 78 (EX_CONFIG) for a missing or unsafe credential or a \
                malformed environment. The daemon retries; see docs/channels.md.
                """
            ),
            HelpText.examples(
                "env SSE_DELIVERY_ID='ilc|2027-06-01|30 days before|board' SSE_CHANNEL=board \\",
                "  SSE_CHANNEL_KIND=mail SSE_MAIL_TO=board@example.org SSE_MILESTONE_TITLE='ILC' \\",
                "  SSE_MILESTONE_START=2027-06-01 SSE_REMINDER_KEY='ilc|2027-06-01|30 days before' \\",
                "  sse-timeline deliver",
                heading: HelpText.tr("Example (what the unit does, by hand):")
            )
        )
    )

    func run() throws {
        // A mailer that exits before reading all of the message must not kill this process: its status says why.
        signal(SIGPIPE, SIG_IGN)
        let sink = JournalDetector().sink()
        let delivery = ChannelDelivery(environment: ProcessEnvironment.current()) { entry in
            do {
                try sink.write(entry)
            } catch {
                let text = Gettext.localizer.tr(
                    "sse-timeline deliver: cannot write to the journal: %s; %s",
                    "\(error)",
                    entry.message ?? ""
                )
                Output.err(text)
            }
        }
        let status = delivery.run(now: Instant(SystemClock().now()))
        if status != 0 { throw ExitCode(status) }
    }
}
