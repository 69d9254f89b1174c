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
        public var label: String { label(.english) }

        /// What the button says in `localizer`'s language: French "Reporter de 10 minutes", "Ignorer".
        public func label(_ localizer: Localizer) -> String {
            switch self {
            case .snooze(let seconds): localizer.tr("Snooze %s", DesktopNotification.durationText(seconds, localizer))
            case .dismiss: localizer.tr("Dismiss")
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
    /// What the buttons say, one for each of `actions`, in the notification's language.
    public var actionLabels: [String]

    /// The notification of `reminder`, written at `now`, for a server with `capabilities` (`GetCapabilities`),
    /// in `localizer`'s language (its words, and the milestone's texts in that language where it has them).
    public init(
        for reminder: DeliveredReminder,
        now: WallTime,
        capabilities: Set<String>,
        localizer: Localizer = .english
    ) {
        let l10n = localizer
        let language = l10n.language
        let milestone = reminder.milestone
        let index = Int(reminder.instance.reminderIndex)
        let configured = milestone.reminders[index]
        let delivery = milestone.delivery(ofReminder: index)
        let occurrence = Occurrence(start: reminder.instance.occurrenceStart, milestone: milestone)
        let anchor = configured.offset.anchor == .end && milestone.end != nil ? ReminderOffset.Anchor.end : .start
        let relation = Self.relation(
            anchor: anchor,
            occurrence: occurrence,
            milestone: milestone,
            now: now,
            localizer: l10n
        )
        summary = relation.summary(milestone.title(in: language))

        var lines = [l10n.tr("When: %s (%s)", Self.when(occurrence, milestone: milestone, l10n), relation.when)]
        if let location = milestone.location(in: language) { lines.append(l10n.tr("Where: %s", location)) }
        if let source = milestone.source { lines.append(l10n.tr("Source: %s", source)) }
        if reminder.isRepeat {
            let left = reminder.entry["REPEATS_LEFT"].flatMap { Int($0) } ?? 0
            lines.append(
                left == 0
                    ? l10n.tr("Repeated, for the last time.")
                    : l10n.trn(
                        "Repeated: %d more repeat unless dismissed.",
                        "Repeated: %d more repeats unless dismissed.",
                        left
                    )
            )
        } else if reminder.isReturn {
            lines.append(l10n.tr("Back after a snooze."))
        }
        let text = lines.joined(separator: "\n")
        body = capabilities.contains("body-markup") ? Self.escapingMarkup(text) : text

        urgency = Urgency(reminder.entry.priority ?? configured.priority ?? milestone.priority)
        resident = urgency == .critical
        expireTimeout = urgency == .critical ? 0 : -1
        actions = capabilities.contains("actions") ? delivery.snooze.map { .snooze(seconds: $0) } + [.dismiss] : []
        actionLabels = actions.map { $0.label(l10n) }
    }

    /// The hints: `urgency` (a byte), and `resident` for critical ones.
    public var hints: [String: BusVariant] {
        var hints: [String: BusVariant] = ["urgency": .byte(urgency.rawValue)]
        if resident { hints["resident"] = .bool(true) }
        return hints
    }

    /// The `actions` argument: key, label, key, label...
    public var actionStrings: [String] {
        zip(actions, actionLabels).flatMap { [$0.key, $1] }
    }

    // MARK: - Text

    /// How the summary counts from `now` to the reminder's anchor (the start, or the end for reminders counted
    /// from the end): in whole days for all-day milestones, exactly otherwise.
    struct Relation {
        /// Whether the anchor is still ahead (or today).
        var ahead: Bool
        /// The anchor is the end.
        var end: Bool
        /// "in 1 hour", "tomorrow", "2 days ago", in the notification's language.
        var when: String
        /// The localizer of the words.
        var localizer: Localizer

        /// "Exam starts in 1 hour", "Conference starts tomorrow", "ILC ended 2 days ago", in one sentence per
        /// case so that each language can order its words (`title` is the milestone's title).
        func summary(_ title: String) -> String {
            switch (end, ahead) {
            case (false, true): localizer.tr("%s starts %s", title, when)
            case (false, false): localizer.tr("%s started %s", title, when)
            case (true, true): localizer.tr("%s ends %s", title, when)
            case (true, false): localizer.tr("%s ended %s", title, when)
            }
        }
    }

    /// The relation of `now` to `occurrence`'s `anchor`.
    static func relation(
        anchor: ReminderOffset.Anchor,
        occurrence: Occurrence,
        milestone: Milestone,
        now: WallTime,
        localizer: Localizer = .english
    ) -> Relation {
        let target = anchor == .start ? occurrence.start : occurrence.end
        let end = anchor == .end
        if milestone.isAllDay {
            let today = milestone.zone.localTime(at: Instant(secondsSinceEpoch: now.seconds)).date
            let days = target.date.daysSinceEpoch - today.daysSinceEpoch
            let when: String
            switch days {
            case 0: when = localizer.tr("today")
            case 1: when = localizer.tr("tomorrow")
            case -1: when = localizer.tr("yesterday")
            case 2...: when = localizer.tr("in %s", localizer.trn("%d day", "%d days", days))
            default: when = localizer.tr("%s ago", localizer.trn("%d day", "%d days", -days))
            }
            return Relation(ahead: days >= 0, end: end, when: when, localizer: localizer)
        }
        let seconds = milestone.zone.instant(for: target).secondsSinceEpoch - now.seconds
        return Relation(
            ahead: seconds >= 0,
            end: end,
            when: ReminderMath.relative(seconds, localizer),
            localizer: localizer
        )
    }

    /// The occurrence's dates: "2030-01-01 12:00 UTC", "2030-01-01 12:00 to 13:00 UTC", "2027-06-07 to 2027-06-18".
    static func when(_ occurrence: Occurrence, milestone: Milestone, _ localizer: Localizer = .english) -> String {
        let hasEnd = milestone.end != nil && occurrence.end != occurrence.start
        if milestone.isAllDay {
            let start = dateText(occurrence.start.date, precision: milestone.precision)
            guard hasEnd, occurrence.end.date != occurrence.start.date else { return start }
            return localizer.tr("%s to %s", start, dateText(occurrence.end.date, precision: milestone.precision))
        }
        let zone = milestone.zone
        let start = ReminderMath.humanTime(zone.instant(for: occurrence.start), in: zone)
        guard hasEnd else { return start }
        let end = ReminderMath.humanTime(zone.instant(for: occurrence.end), in: zone)
        if occurrence.end.date == occurrence.start.date, let space = start.lastIndex(of: " ") {
            // The same day: "2030-01-01 12:00 to 13:00 UTC".
            return localizer.tr(
                "%s to %s",
                String(start[..<space]),
                String(end.dropFirst(occurrence.end.date.description.count + 1))
            )
        }
        return localizer.tr("%s to %s", start, end)
    }

    /// A date as precisely as it is known: "2027-06-07", "2010-10", "2013".
    static func dateText(_ date: CivilDate, precision: Milestone.Precision) -> String {
        switch precision {
        case .day: date.description
        case .month: String(date.description.prefix(7))
        case .year: String(date.description.prefix(4))
        }
    }

    /// "10 minutes", "1 hour", "1 hour 30 minutes", "2 days"; in `localizer`'s language.
    public static func durationText(_ seconds: Int64, _ localizer: Localizer = .english) -> String {
        ReminderOffset(anchor: .start, days: Int(seconds / 86400), seconds: seconds % 86400).amountText(localizer)
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
