import Gettext
import Glibc
import Timeline

/// `sse-timeline deliver`: one attempt at sending a reminder to a mail or Apprise channel, run by the
/// template unit `sse-timeline-deliver@.service` with the environment file the daemon wrote. It sends, writes
/// one journal entry (delivery-sent, or delivery-failed with `REASON`), and gives the exit status the daemon
/// reads from the unit's result (``SendOutcome``).
public struct ChannelDelivery {
    /// The process environment: the request's `SSE_*` variables, `CREDENTIALS_DIRECTORY`, `HOME`.
    public var environment: [String: String]
    /// Where the journal entry goes.
    public var write: (JournalEntry) -> Void
    /// The mailer.
    public var mail = MailSender()
    /// The Apprise command.
    public var apprise = AppriseSender()
    /// The user this runs as, for the credential check and `From:`.
    public var uid: uid_t = geteuid()

    /// A delivery of the request in `environment`, writing its entry with `write`.
    public init(environment: [String: String], write: @escaping (JournalEntry) -> Void) {
        self.environment = environment
        self.write = write
    }

    /// Sends at `now` and journals the outcome; returns the exit status.
    public func run(now: Instant) -> Int32 {
        let request: DeliveryRequest
        do {
            request = try DeliveryRequest(environment: environment)
        } catch {
            let outcome = SendOutcome.configurationFailure("the environment file: \(error)")
            journal(outcome, request: nil)
            return outcome.status
        }
        let content = DeliveryContent(
            request,
            now: now,
            localizer: request.language.map(Gettext.localizer(for:)) ?? .english
        )
        let outcome: SendOutcome
        var extra: [(name: String, value: String)] = []
        switch request.kind {
        case .mail:
            let message = mailMessage(request, content, now: now)
            extra.append(("MAIL_MESSAGE_ID", message.messageID))
            outcome = mail.send(message)
        case .apprise:
            do {
                let file = try CredentialFile.path(of: request.credential!, environment: environment, uid: uid)
                let type = AppriseSender.notificationType(priority: request.fields["PRIORITY"])
                extra.append(("APPRISE_TYPE", type))
                outcome = apprise.send(title: content.title, body: content.text, type: type, configuration: file)
            } catch {
                outcome = .configurationFailure(error.description)
            }
        }
        journal(outcome, request: request, extra: extra)
        return outcome.status
    }

    /// The mail of `request`: from `SSE_MAIL_FROM` or `sse-timeline <user@host>`, to the channel's recipients.
    func mailMessage(_ request: DeliveryRequest, _ content: DeliveryContent, now: Instant) -> MailMessage {
        let from =
            environment["SSE_MAIL_FROM"].flatMap { MailAddress(parsing: $0) }
            ?? MailAddress(name: "sse-timeline", address: "\(Self.userName(uid))@\(Self.hostName())")
        return MailMessage(
            from: from,
            to: request.recipients,
            subject: content.title,
            date: now,
            messageID: MailMessage.messageID(forDelivery: request.deliveryID),
            language: request.language,
            text: content.text,
            calendar: content.calendar
        )
    }

    private func journal(
        _ outcome: SendOutcome,
        request: DeliveryRequest?,
        extra: [(name: String, value: String)] = []
    ) {
        let channel = request?.channel ?? environment["SSE_CHANNEL"] ?? "?"
        let l10n = Gettext.localizer
        let title = request?.fields["MILESTONE_TITLE"] ?? environment["SSE_MILESTONE_TITLE"] ?? l10n.tr("a reminder")
        let attempt = request.map { String($0.attempt) } ?? environment["SSE_ATTEMPT"] ?? "?"
        var fields: [(name: String, value: String)] = [
            ("MESSAGE_ID", outcome.isSent ? MessageID.deliverySent : MessageID.deliveryFailed),
            ("SYSLOG_IDENTIFIER", JournalEntry.syslogIdentifier),
            ("REMINDER_KEY", request?.fields["REMINDER_KEY"] ?? environment["SSE_REMINDER_KEY"] ?? ""),
            ("CHANNEL", channel),
            ("ATTEMPT", attempt),
            ("DELIVERY_ID", request?.deliveryID ?? environment["SSE_DELIVERY_ID"] ?? ""),
        ]
        if let kind = request?.kind { fields.append(("CHANNEL_KIND", kind.rawValue)) }
        if let id = request?.fields["MILESTONE_ID"] { fields.append(("MILESTONE_ID", id)) }
        fields += extra
        if let reason = outcome.reason { fields += [("REASON", reason), ("EXIT_STATUS", String(outcome.status))] }
        let message =
            outcome.isSent
            ? l10n.tr("Sent %s to the channel %s (attempt %s).", title, channel, attempt)
            : l10n.tr(
                "Could not send %s to the channel %s (attempt %s): %s",
                title,
                channel,
                attempt,
                outcome.reason ?? ""
            )
        write(JournalEntry(message: message, priority: outcome.isSent ? .info : .warning, fields: fields))
    }

    /// The name of user `uid`, or the number when the password database has none.
    static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return String(uid) }
        return String(cString: name)
    }

    /// This host's name, as cron names it in the mail it sends.
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(cString: buffer)
    }
}
