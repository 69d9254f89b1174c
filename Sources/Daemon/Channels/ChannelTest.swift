import Glibc
import Timeline

/// `sse-timeline test-channel`: one message to a channel, sent in this process the way its delivery unit sends
/// (the same environment, mail composition, Apprise call and credential check), so that what fails is said at
/// once, in the mailer's or Apprise's own words, instead of in a unit's journal after a reminder.
public enum ChannelTest {
    /// Sends a test message to `channel` at `now` with the process's `environment` (for the credentials and
    /// `SSE_MAIL_FROM`) through `mail`; returns the entry the delivery unit would have written and its exit status.
    public static func send(
        _ channel: Channel,
        environment: [String: String],
        now: Instant,
        mail: MailSender = MailSender()
    ) -> (entry: JournalEntry, status: Int32) {
        let stamp = ReminderMath.iso8601(now, in: .utc)
        let key = "test-channel|\(stamp)|\(channel.name)"
        let reminder = JournalEntry(
            message: "This is a test of the channel \(channel.name), sent by sse-timeline test-channel at \(stamp).",
            priority: .info,
            fields: [
                ("MILESTONE_ID", "test-channel"), ("MILESTONE_TITLE", "sse-timeline: test of the channel \(channel.name)"),
                ("MILESTONE_START", stamp), ("REMINDER", "test"), ("REMINDER_KEY", key), ("DUE_AT", stamp),
            ]
        )
        let unit = DeliveryUnit(id: "\(key)|\(channel.name)", attempt: 1)
        var variables = environment
        for assignment in unit.environment(channel: channel, entry: reminder) {
            let equals = assignment.firstIndex(of: "=")!
            variables[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        var written: JournalEntry?
        var delivery = ChannelDelivery(environment: variables) { written = $0 }
        delivery.mail = mail
        let status = delivery.run(now: now)
        return (written ?? JournalEntry(message: "no entry was written"), status)
    }
}
