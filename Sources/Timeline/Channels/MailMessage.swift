/// An RFC 5322 message as cron and atd hand one to sendmail: plain headers (UTF-8 text as RFC 2047
/// encoded-words), `Auto-Submitted: auto-generated` (RFC 3834, so that vacation responders stay quiet), and
/// a MIME multipart/mixed body with a UTF-8 text/plain part and, when given, a `text/calendar;
/// method=PUBLISH` part. Lines end in "\n", as sendmail takes them from a pipe; no line exceeds 998 octets.
public struct MailMessage: Sendable {
    /// The `From:` mailbox.
    public var from: MailAddress
    /// The `To:` mailboxes.
    public var to: [MailAddress]
    /// The subject, any Unicode.
    public var subject: String
    /// The `Date:`.
    public var date: Instant
    /// The `Message-ID:`, with its angle brackets.
    public var messageID: String
    /// `Content-Language:` of the text, when known.
    public var language: String?
    /// The text part, "\n" line ends.
    public var text: String
    /// The iCalendar part (CRLF line ends, as ``ICalendarWriter`` writes them), or nil.
    public var calendar: [UInt8]?

    /// A message with every part given.
    public init(
        from: MailAddress,
        to: [MailAddress],
        subject: String,
        date: Instant,
        messageID: String,
        language: String? = nil,
        text: String,
        calendar: [UInt8]? = nil
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.language = language
        self.text = text
        self.calendar = calendar
    }

    /// The Message-ID of a delivery: the same for every attempt, from `deliveryID` alone (two FNV-1a hashes,
    /// the first the delivery unit's instance name), so that a retry of a mail that did go out is the same message.
    public static func messageID(forDelivery deliveryID: String) -> String {
        "<\(FNV1a.hex64(deliveryID)).\(FNV1a.hex64(deliveryID, basis: 0x8422_2325_cbf2_9ce4))@sse-timeline>"
    }

    /// `instant` as RFC 5322 writes a date, in UTC: `Sun, 06 Dec 2026 22:55:06 +0000`.
    public static func dateText(_ instant: Instant) -> String {
        let utc = instant.utc
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let weekday = days[utc.date.weekday.rawValue]
        return "\(weekday), \(two(utc.date.day)) \(months[utc.date.month - 1]) \(utc.date.year) "
            + "\(two(utc.hour)):\(two(utc.minute)):\(two(utc.second)) +0000"
    }

    /// The MIME boundary: from the Message-ID, so the same message has the same bytes; no text part can
    /// hold it, since quoted-printable never writes `=_`.
    var boundary: String { "=_sse-timeline_" + FNV1a.hex64(messageID) }

    /// The whole message, "\n" line ends.
    public func bytes() -> [UInt8] {
        var lines: [String] = [
            "From: " + from.headerValue,
            "To: " + to.map(\.headerValue).joined(separator: ",\n "),
            "Subject: " + MIMEEncoding.headerText(subject),
            "Date: " + Self.dateText(date),
            "Message-ID: " + messageID,
            "Auto-Submitted: auto-generated",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"\(boundary)\"",
            "",
            "This is a MIME message: a text part and, for calendars, the event.",
            "",
            "--" + boundary,
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: quoted-printable",
        ]
        if let language { lines.append("Content-Language: " + language) }
        lines += ["", MIMEEncoding.quotedPrintable(text)]
        if let calendar {
            // RFC 5545 lines are folded at 75 octets; base64 keeps them and their CRLFs byte for byte.
            let encoded = MIMEEncoding.base64(calendar)
            var chunks: [String] = []
            var index = encoded.startIndex
            while index < encoded.endIndex {
                let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
                chunks.append(String(encoded[index..<end]))
                index = end
            }
            lines += [
                "--" + boundary,
                "Content-Type: text/calendar; charset=UTF-8; method=PUBLISH",
                "Content-Disposition: attachment; filename=\"event.ics\"",
                "Content-Transfer-Encoding: base64",
                "",
            ] + chunks
        }
        lines += ["--" + boundary + "--", ""]
        return Array(lines.joined(separator: "\n").utf8)
    }
}
