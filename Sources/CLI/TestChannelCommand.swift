import ArgumentParser
import Daemon
import Gettext
import Timeline

/// `sse-timeline test-channel NAME`: a test message to a mail or Apprise channel, with what failed said exactly.
struct TestChannelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-channel",
        abstract: HelpText.tr("Send a test message to a mail or Apprise channel and say exactly what failed."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                Reads [channel.NAME] from the timeline and sends one message the way its delivery unit \
                (sse-timeline-deliver@.service) sends a reminder: a mail through /usr/sbin/sendmail, or a \
                notification through apprise with the URLs of the channel's credential. It runs in this process, as \
                you, so the credential is yours: ~/.config/sse-timeline/credentials/NAME (mode 0600). To test the \
                system instance's credentials, /etc/sse-timeline/credentials/NAME, load them as its units do (last \
                example). It prints what was handed over (the mail's Message-ID) or the mailer's or Apprise's own \
                words, and exits as the unit would: 0 sent, 75 when a retry may help, 78 for a missing or unsafe \
                credential. Nothing is written to the journal or the state.
                """
            ),
            HelpText.examples(
                "sse-timeline test-channel board",
                "sudo systemd-run --pipe --wait -p LoadCredential=apprise:/etc/sse-timeline/credentials \\",
                "  sse-timeline test-channel phone --config /etc/sse-timeline/timeline.toml"
            )
        )
    )

    @OptionGroup var options: ConfigOptions

    @Argument(
        help: ArgumentHelp(HelpText.tr("The channel, as [channel.NAME] names it."), valueName: HelpText.tr("name"))
    )
    var name: String

    func run() throws {
        let config = try options.loadOrExit().config
        guard let channel = config.defaults.channels[name] else {
            let known = config.defaults.channels.keys.sorted()
            let hint = Suggestion.closest(to: name, among: known).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw ValidationError(
                "no channel named \"\(name)\"\(hint); channels: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
            )
        }
        let (entry, status) = ChannelTest.send(
            channel,
            environment: ProcessEnvironment.current(),
            now: try options.currentInstant()
        )
        if status == 0 {
            let l10n = Gettext.localizer
            let message = entry.message ?? ""
            Output.out(
                entry["MAIL_MESSAGE_ID"].map { l10n.tr("sent to %s (Message-ID %s): %s", name, $0, message) }
                    ?? l10n.tr("sent to %s: %s", name, message)
            )
            return
        }
        let reason = entry["REASON"] ?? entry.message ?? ""
        Output.err(Gettext.localizer.tr("not sent to %s (exit status %s): %s", name, String(status), reason))
        throw ExitCode(status)
    }
}
