import Timeline

/// What a reminder looks like as a desktop notification (the arguments of
/// `org.freedesktop.Notifications.Notify`): built from the reminder just written, the time, and what the
/// notification server can do.
///
/// - summary: the title and what is due, counted from now: "Exam starts in 1 hour", "Conference starts tomorrow";
/// - body: when (and until when), how far ahead, where, the source address, and whether it is back after a snooze
///   or a repeat, one per line (escaped when the server reads markup);
/// - the urgency from the priority: critical for `crit` and above (no timeout, `resident`), low for `info` and
///   `debug`, normal otherwise;
/// - actions: "Snooze <duration>" for each configured snooze, then "Dismiss", when the server has `actions`.
public struct DesktopNotification: Equatable, Sendable {
    /// The `app_name` of every notification.
    public static let appName = "sse-timeline"
    /// The icon (a name of the freedesktop icon naming specification: a status icon for appointments).
    public static let iconName = "appointment-soon"

    /// The `urgency` hint.
    public enum Urgency: UInt8, Sendable {
        case low = 0, normal = 1, critical = 2

        /// The urgency of a reminder written at `priority`.
        public init(_ priority: Priority) {
            switch priority {
            case .emergency, .alert, .critical: self = .critical
            case .info, .debug: self = .low
            default: self = .normal
            }
        }
    }

    /// A button of the notification: snooze for a while, or dismiss.
    public enum Action: Hashable, Sendable {
        case snooze(seconds: Int64)
        case dismiss

        /// The action's key, as `ActionInvoked` names it: `snooze-600`, `dismiss`.
        public var key: String {
            switch self {
            case .snooze(let seconds): "snooze-\(seconds)"
            case .dismiss: "dismiss"
            }
        }

        /// What the button says: "Snooze 10 minutes", "Dismiss".
        public var label: String {
            switch self {
            case .snooze(let seconds): "Snooze \(DesktopNotification.durationText(seconds))"
            case .dismiss: "Dismiss"
            }
        }

        /// The action a key names, or nil (another key, such as `default`).
        public init?(key: String) {
            if key == "dismiss" {
                self = .dismiss
            } else if key.hasPrefix("snooze-"), let seconds = Int64(key.dropFirst(7)), seconds > 0 {
                self = .snooze(seconds: seconds)
            } else {
                return nil
            }
        }
    }

    /// The one-line summary.
    public var summary: String
    /// The body, lines separated by newlines.
    public var body: String
    /// The icon name.
    public var icon: String = DesktopNotification.iconName
    /// The urgency.
    public var urgency: Urgency
    /// The buttons, in order; empty when the server cannot show actions.
    public var actions: [Action]
    /// Whether the notification should stay after an action (critical ones).
    public var resident: Bool
    /// Milliseconds until it expires; 0: never (critical ones), -1: as the server decides.
    public var expireTimeout: Int32

    /// The notification of `reminder`, written at `now`, for a server with `capabilities` (`GetCapabilities`).
    public init(for reminder: DeliveredReminder, now: WallTime, capabilities: Set<String>) {
        let milestone = reminder.milestone
        let index = Int(reminder.instance.reminderIndex)
        let configured = milestone.reminders[index]
        let delivery = milestone.delivery(ofReminder: index)
        let occurrence = Occurrence(start: reminder.instance.occurrenceStart, milestone: milestone)
        let anchor = configured.offset.anchor == .end && milestone.end != nil ? ReminderOffset.Anchor.end : .start
        let relation = Self.relation(anchor: anchor, occurrence: occurrence, milestone: milestone, now: now)
        summary = "\(milestone.title) \(relation.verb) \(relation.when)"

        var lines = ["When: \(Self.when(occurrence, milestone: milestone)) (\(relation.when))"]
        if let location = milestone.location { lines.append("Where: \(location)") }
        if let source = milestone.source { lines.append("Source: \(source)") }
        if reminder.isRepeat {
            let left = reminder.entry["REPEATS_LEFT"].flatMap { Int($0) } ?? 0
            lines.append(
                left == 0
                    ? "Repeated, for the last time." : "Repeated: \(plural(left, "more repeat")) unless dismissed."
            )
        } else if reminder.isReturn {
            lines.append("Back after a snooze.")
        }
        let text = lines.joined(separator: "\n")
        body = capabilities.contains("body-markup") ? Self.escapingMarkup(text) : text

        urgency = Urgency(reminder.entry.priority ?? configured.priority ?? milestone.priority)
        resident = urgency == .critical
        expireTimeout = urgency == .critical ? 0 : -1
        actions = capabilities.contains("actions") ? delivery.snooze.map { .snooze(seconds: $0) } + [.dismiss] : []
    }

    /// The hints: `urgency` (a byte), and `resident` for critical ones.
    public var hints: [String: BusVariant] {
        var hints: [String: BusVariant] = ["urgency": .byte(urgency.rawValue)]
        if resident { hints["resident"] = .bool(true) }
        return hints
    }

    /// The `actions` argument: key, label, key, label...
    public var actionStrings: [String] {
        actions.flatMap { [$0.key, $0.label] }
    }

    // MARK: - Text

    /// "starts" / "in 1 hour", "started" / "2 days ago", "starts" / "tomorrow", counted from `now` to the
    /// reminder's anchor (the start, or the end for reminders counted from the end): in whole days for all-day
    /// milestones, exactly otherwise.
    static func relation(
        anchor: ReminderOffset.Anchor,
        occurrence: Occurrence,
        milestone: Milestone,
        now: WallTime
    ) -> (verb: String, when: String) {
        let target = anchor == .start ? occurrence.start : occurrence.end
        let (future, past) = anchor == .start ? ("starts", "started") : ("ends", "ended")
        if milestone.isAllDay {
            let today = milestone.zone.localTime(at: Instant(secondsSinceEpoch: now.seconds)).date
            let days = target.date.daysSinceEpoch - today.daysSinceEpoch
            switch days {
            case 0: return (future, "today")
            case 1: return (future, "tomorrow")
            case -1: return (past, "yesterday")
            case 2...: return (future, "in \(days) days")
            default: return (past, "\(-days) days ago")
            }
        }
        let seconds = milestone.zone.instant(for: target).secondsSinceEpoch - now.seconds
        return (seconds < 0 ? past : future, ReminderMath.relative(seconds))
    }

    /// The occurrence's dates: "2030-01-01 12:00 UTC", "2030-01-01 12:00 to 13:00 UTC", "2027-06-07 to 2027-06-18".
    static func when(_ occurrence: Occurrence, milestone: Milestone) -> String {
        let hasEnd = milestone.end != nil && occurrence.end != occurrence.start
        if milestone.isAllDay {
            let start = dateText(occurrence.start.date, precision: milestone.precision)
            guard hasEnd, occurrence.end.date != occurrence.start.date else { return start }
            return "\(start) to \(dateText(occurrence.end.date, precision: milestone.precision))"
        }
        let zone = milestone.zone
        let start = ReminderMath.humanTime(zone.instant(for: occurrence.start), in: zone)
        guard hasEnd else { return start }
        let end = ReminderMath.humanTime(zone.instant(for: occurrence.end), in: zone)
        if occurrence.end.date == occurrence.start.date, let space = start.lastIndex(of: " ") {
            // The same day: "2030-01-01 12:00 to 13:00 UTC".
            return "\(start[..<space]) to \(end.dropFirst(occurrence.end.date.description.count + 1))"
        }
        return "\(start) to \(end)"
    }

    /// A date as precisely as it is known: "2027-06-07", "2010-10", "2013".
    static func dateText(_ date: CivilDate, precision: Milestone.Precision) -> String {
        switch precision {
        case .day: date.description
        case .month: String(date.description.prefix(7))
        case .year: String(date.description.prefix(4))
        }
    }

    /// "10 minutes", "1 hour", "1 hour 30 minutes", "2 days".
    public static func durationText(_ seconds: Int64) -> String {
        let offset = ReminderOffset(anchor: .start, days: Int(seconds / 86400), seconds: seconds % 86400)
        return String(offset.description.dropLast(" after".count))
    }

    /// `text` with `&`, `<` and `>` written as entities, for a server that reads the body as markup.
    static func escapingMarkup(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }
}
