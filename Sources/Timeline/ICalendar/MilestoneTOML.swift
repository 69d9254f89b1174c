import TOML

/// Milestones written back as `[[milestone]]` tables, for `sse-timeline import FILE.ics`: what the config
/// would say to get the same milestones.
public enum MilestoneTOML {
    /// The tables of `milestones`, separated by blank lines. Reminders equal to `defaults.reminders` are left
    /// out; times are local times with `timezone`, or offset date-times for fixed offsets and UTC.
    public static func render(_ milestones: [Milestone], defaults: Defaults) -> String {
        milestones.map { render($0, defaults: defaults) }.joined(separator: "\n")
    }

    static func render(_ m: Milestone, defaults: Defaults) -> String {
        var lines = ["[[milestone]]"]
        func add(_ key: String, _ value: String) { lines.append("\(key) = \(value)") }
        add("id", TOMLString.quoted(m.id))
        add("title", TOMLString.quoted(m.title))
        add("start", time(m.start, of: m))
        if let end = m.end { add("end", time(end, of: m)) }
        if !m.isAllDay, !m.zone.isFixed { add("timezone", TOMLString.quoted(m.zone.identifier)) }
        if m.isAllDay, m.zone != defaults.zone { add("timezone", TOMLString.quoted(m.zone.identifier)) }
        if let description = m.description { add("description", TOMLString.quoted(description)) }
        if let location = m.location { add("location", TOMLString.quoted(location)) }
        if let source = m.source { add("source", TOMLString.quoted(source)) }
        for language in MilestoneTexts.languages {
            guard let texts = m.translations[language] else { continue }
            if let title = texts.title { add("title_\(language)", TOMLString.quoted(title)) }
            if let description = texts.description { add("description_\(language)", TOMLString.quoted(description)) }
            if let location = texts.location { add("location_\(language)", TOMLString.quoted(location)) }
            if let source = texts.source { add("source_\(language)", TOMLString.quoted(source)) }
        }
        if !m.tags.isEmpty { add("tags", "[" + m.tags.map(TOMLString.quoted).joined(separator: ", ") + "]") }
        if let recurrence = m.recurrence {
            if let rule = recurrence.rule { add("rrule", TOMLString.quoted(rule.rfcString)) }
            if !recurrence.rdates.isEmpty {
                add("rdate", "[" + recurrence.rdates.map { time($0, of: m) }.joined(separator: ", ") + "]")
            }
            if !recurrence.exdates.isEmpty {
                add("exdate", "[" + recurrence.exdates.map { time($0, of: m) }.joined(separator: ", ") + "]")
            }
        }
        if m.reminders != defaults.reminders {
            let items = m.reminders.map { reminder -> String in
                if let absolute = reminder.absolute { return "{ at = \(absolute.utc)Z }" }
                return TOMLString.quoted(reminder.offset.description)
            }
            add("reminders", "[" + items.joined(separator: ", ") + "]")
            for reminder in m.reminders {
                if let acknowledged = reminder.acknowledged {
                    lines.append(
                        "# \(reminder.identity): acknowledged at \(acknowledged); TOML has no key for that, so it would be sent again"
                    )
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A TOML date, local date-time, or offset date-time (fixed zones).
    static func time(_ local: CivilDateTime, of m: Milestone) -> String {
        if m.isAllDay { return local.date.description }
        if m.zone.isFixed {
            return ReminderMath.iso8601(m.zone.instant(for: local), in: m.zone).replacing("+00:00", with: "Z")
        }
        return local.description
    }
}
