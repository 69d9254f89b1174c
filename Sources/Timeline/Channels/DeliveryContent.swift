/// What a channel sends for a reminder, from the journal fields of a ``DeliveryRequest``: a title, a text
/// (what, when and how long until it starts, where, the source, the reminder key) and the occurrence as an
/// iCalendar event. Pure: "now" is an argument.
public struct DeliveryContent: Sendable {
    /// The title: the milestone and the reminder, `International Day of Cooperatives (30 days before)`. It does
    /// not change between attempts.
    public var title: String
    /// The text, "\n" line ends.
    public var text: String
    /// The occurrence as a VCALENDAR with METHOD:PUBLISH (CRLF line ends), or nil when its start cannot be read.
    public var calendar: [UInt8]?

    /// The content of `request` sent at `now`, in the language of `l10n` (the channel's `language`; the
    /// default is English). A channel with a language of its own gets the milestone's title in it when the
    /// journal entry carries it (`MILESTONE_TITLE_FR`...) and its title as the first line, not the daemon's
    /// `MESSAGE`, which is in the instance's language.
    public init(_ request: DeliveryRequest, now: Instant, localizer l10n: Localizer = .english) {
        let fields = request.fields
        let translated = request.language.flatMap { fields["MILESTONE_TITLE_" + $0.uppercased()] }
        let milestone = translated ?? fields["MILESTONE_TITLE"] ?? ""
        title = fields["REMINDER"].map { "\(milestone) (\($0))" } ?? milestone
        let start = fields["MILESTONE_START"].flatMap(EventTime.init(parsing:))
        var lines: [String] = [(request.language == nil ? fields["MESSAGE"] : nil) ?? title, ""]
        func row(_ label: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            lines.append(label.padding(to: 10) + value)
        }
        var when = fields["MILESTONE_START"]
        if let end = fields["MILESTONE_END"] { when = (when ?? "") + " – " + end }
        if let start {
            let seconds = start.instant.secondsSinceEpoch - now.secondsSinceEpoch
            let relative = ReminderMath.relative(seconds, l10n)
            when = (when ?? "") + " (" + (seconds < 0 ? l10n.tr("started %s", relative) : l10n.tr("starts %s", relative)) + ")"
        }
        row(l10n.tr("When:"), when)
        row(l10n.tr("Where:"), fields["MILESTONE_LOCATION"])
        row(l10n.tr("Source:"), fields["SOURCE_URL"])
        row(
            l10n.tr("Reminder:"),
            fields["REMINDER"].map { reminder in fields["DUE_AT"].map { l10n.tr("%s, due %s", reminder, $0) } ?? reminder }
        )
        row(l10n.tr("Key:"), fields["REMINDER_KEY"])
        lines += ["", "-- ", l10n.tr("Sent by sse-timeline to the channel %s.", request.channel)]
        if start != nil { lines.append(l10n.tr("The attached event.ics adds it to a calendar.")) }
        text = lines.joined(separator: "\n") + "\n"
        calendar = start.map { Self.calendar(request, start: $0, now: now) }
    }

    /// The start of a milestone as the journal writes it: a day, a month or a year (all-day), or a time with
    /// its UTC offset.
    struct EventTime {
        /// The first instant (midnight UTC of the first day for all-day milestones).
        var instant: Instant
        /// For all-day milestones: the first day and the day after the last.
        var days: (first: CivilDate, afterLast: CivilDate)?

        init?(parsing text: String) {
            let parts = text.split(separator: "-").map { Int($0) }
            if text.utf8.count == 4, let year = parts[0], let first = CivilDate(year: year, month: 1, day: 1) {
                self.init(days: first, CivilDate(year: year + 1, month: 1, day: 1)!)
            } else if text.utf8.count == 7, parts.count == 2, let year = parts[0], let month = parts[1],
                let first = CivilDate(year: year, month: month, day: 1)
            {
                self.init(days: first, first.adding(days: CivilDate.daysInMonth(year: year, month: month)))
            } else {
                switch TimeArgument.parseValue(text) {
                case .local(let time)? where text.utf8.count == 10:
                    self.init(days: time.date, time.date.adding(days: 1))
                case .absolute(let time, let offset)?:
                    self.init(instant: Instant(secondsSinceEpoch: time.secondsSinceEpoch - Int64(offset)), days: nil)
                default: return nil
                }
            }
        }

        private init(days first: CivilDate, _ afterLast: CivilDate) {
            self.init(
                instant: Instant(secondsSinceEpoch: Int64(first.daysSinceEpoch) * 86_400),
                days: (first, afterLast)
            )
        }

        private init(instant: Instant, days: (first: CivilDate, afterLast: CivilDate)?) {
            self.instant = instant
            self.days = days
        }
    }

    /// The occurrence as a VCALENDAR: its UID is the export's for the milestone (`<id>@sse-timeline`; with the
    /// start for one occurrence of a recurring one), so a calendar that imported `sse-timeline export` updates
    /// the same event.
    static func calendar(_ request: DeliveryRequest, start: EventTime, now: Instant) -> [UInt8] {
        let fields = request.fields
        var writer = ICalendarWriter()
        writer.begin("VCALENDAR")
        writer.line("VERSION", value: "2.0")
        writer.line("PRODID", value: ICalendarExport.productIdentifier)
        writer.line("METHOD", value: "PUBLISH")
        writer.begin("VEVENT")
        var uid = fields["MILESTONE_ID"] ?? FNV1a.hex64(fields["MILESTONE_TITLE"] ?? "")
        if let occurrence = fields["OCCURRENCE"] { uid += "-" + occurrence.filter { $0.isNumber } }
        writer.line("UID", value: ICalendarWriter.text(uid + ICalendarExport.uidDomain))
        writer.line("DTSTAMP", value: ICalendarFormat.utc(now))
        if let days = start.days {
            writer.line("DTSTART", [.init("VALUE", "DATE")], value: ICalendarFormat.date(days.first))
            let last = fields["MILESTONE_END"].flatMap(EventTime.init(parsing:))?.days?.afterLast ?? days.afterLast
            writer.line("DTEND", [.init("VALUE", "DATE")], value: ICalendarFormat.date(max(last, days.afterLast)))
        } else {
            writer.line("DTSTART", value: ICalendarFormat.utc(start.instant))
            if let end = fields["MILESTONE_END"].flatMap(EventTime.init(parsing:)), end.days == nil {
                writer.line("DTEND", value: ICalendarFormat.utc(end.instant))
            }
        }
        writer.line("SUMMARY", value: ICalendarWriter.text(fields["MILESTONE_TITLE"] ?? ""))
        if let location = fields["MILESTONE_LOCATION"] {
            writer.line("LOCATION", value: ICalendarWriter.text(location))
        }
        if let source = fields["SOURCE_URL"] { writer.line("URL", value: source) }
        if let message = fields["MESSAGE"] { writer.line("DESCRIPTION", value: ICalendarWriter.text(message)) }
        writer.end("VEVENT")
        writer.end("VCALENDAR")
        return writer.bytes
    }
}
