/// How the views write one entry for people: its time in the viewer's zone, its own zone's time when that
/// differs, and what it is.
extension DayEntries {
    /// The mark of a kind of entry, in the grid and before each line: `*` an occurrence, `+` a reminder.
    public static func mark(_ kind: Entry.Kind) -> Character {
        kind == .occurrence ? "*" : "+"
    }

    /// The mark of a holiday without entries, in the grid and before its line in the list.
    public static let holidayMark: Character = "#"

    /// `all day`, `day 2/3` (of an all-day span), or `HH:MM` in the viewer's zone; in the localizer's language.
    public func timeText(_ entry: Entry) -> String {
        if entry.isAllDay {
            return entry.spanCount > 1
                ? localizer.tr("day %s/%s", String(entry.spanIndex), String(entry.spanCount))
                : localizer.tr("all day")
        }
        let local = viewerZone.localTime(at: entry.at)
        return "\(Self.pad(local.hour)):\(Self.pad(local.minute))"
    }

    /// The time in the milestone's own zone when its clock reads differently from the viewer's at that instant:
    /// `15:00 CET Europe/Paris` (with the date when that differs too); nil for all-day occurrences and for
    /// milestones in the viewer's zone or one with the same offset then.
    public func ownZoneText(_ entry: Entry) -> String? {
        guard !entry.isAllDay else { return nil }
        let zone = milestone(of: entry).zone
        let own = zone.offset(at: entry.at)
        guard own.seconds != viewerZone.offset(at: entry.at).seconds else { return nil }
        let local = zone.localTime(at: entry.at)
        var text = "\(Self.pad(local.hour)):\(Self.pad(local.minute)) \(own.abbreviation)"
        if zone.identifier != own.abbreviation { text += " \(zone.identifier)" }
        if local.date != entry.day { text = "\(local.date) " + text }
        return text
    }

    /// What the entry is: the milestone's title (and location) for an occurrence; the title and which reminder
    /// for a reminder (`International Day of Cooperatives: 30 days before`).
    public func subject(_ entry: Entry) -> String {
        let milestone = milestone(of: entry)
        let language = localizer.language
        let title = milestone.title(in: language)
        switch entry.kind {
        case .occurrence:
            return title + (milestone.location(in: language).map { " (\($0))" } ?? "")
        case .reminder:
            let formatting = InstanceFormatting(schedule: schedule, localizer: localizer)
            let reminder = entry.instance.map { formatting.reminderText(schedule.reminder(of: $0)) } ?? ""
            return "\(title): \(reminder)"
        }
    }

    /// One line for an entry, after whatever the view puts before it:
    /// `* 14:00  Board meeting (Geneva)  [15:00 CET Europe/Paris]`.
    public func line(_ entry: Entry, style: TextStyle) -> String {
        let role: TextStyle.Role = entry.kind == .occurrence ? .occurrence : .reminder
        var text = style.apply([role], to: String(Self.mark(entry.kind))) + " "
        text += timeText(entry).padding(to: 11) + subject(entry)
        if let own = ownZoneText(entry) { text += "  [\(own)]" }
        return text
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension String {
    /// The string followed by spaces up to `width` characters (unchanged when it is as long already).
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
