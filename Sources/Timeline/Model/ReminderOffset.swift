/// When a reminder comes due relative to its milestone: "30 days before", "2 hours before",
/// "at start", "1 day after end", "1 week 2 days before start".
///
/// Weeks and days are calendar steps in the milestone's time zone (a reminder "1 day before" a 09:00
/// milestone is at 09:00 the day before, across a DST change too); hours, minutes and seconds are exact.
/// Working days ("3 working days before") step over the days the milestone's `WorkingCalendar` says are not
/// working days, as Remind's `-N` back and `+N` delta step over OMITted days, keeping the time of day too.
public struct ReminderOffset: Hashable, Sendable {
    /// What the offset counts from.
    public enum Anchor: String, Hashable, Sendable {
        case start, end
    }

    /// Start or end of the milestone occurrence.
    public var anchor: Anchor
    /// Calendar days to add (negative: before).
    public var days: Int
    /// Exact seconds to add after the calendar step (negative: before).
    public var seconds: Int64
    /// Working days to step (negative: before), instead of calendar days.
    public var workingDays: Int

    /// An offset from `anchor`.
    public init(anchor: Anchor = .start, days: Int = 0, seconds: Int64 = 0, workingDays: Int = 0) {
        self.anchor = anchor
        self.days = days
        self.seconds = seconds
        self.workingDays = workingDays
    }

    /// Whether it comes due before its anchor.
    public var isBefore: Bool {
        workingDays < 0 || days < 0 || (workingDays == 0 && days == 0 && seconds < 0)
    }

    /// Whether it is its anchor itself ("at start", "at end").
    public var isAtAnchor: Bool { days == 0 && seconds == 0 && workingDays == 0 }

    /// The units an amount takes, as a config writes them (in English in every language), for error messages.
    public static let unitNames = "weeks, days, hours, minutes, seconds"

    /// What the accepted forms are, for error messages, in any language (the forms themselves as written).
    public static let acceptedFormsText = LocalizedText.tr(
        "accepted: %s, %s, or amounts with units (%s) followed by %s or %s and optionally %s or %s, e.g. %s; or %s, alone or with %s: %s",
        "\"at start\"",
        "\"at end\"",
        unitNames,
        "\"before\"",
        "\"after\"",
        "\"start\"",
        "\"end\"",
        "\"30 days before\", \"2 hours before\", \"1 day after end\", \"1 week 2 days before start\"",
        "working days",
        "hours, minutes, seconds",
        "\"3 working days before\", \"1 working day after end\""
    )

    /// ``acceptedFormsText`` in English.
    public static var acceptedForms: String { acceptedFormsText.description }

    /// Largest amount accepted for one unit, far beyond any calendar (keeps the arithmetic exact).
    static let maximumAmount = 10_000_000

    /// Parses the configured text; nil when it does not follow `acceptedForms`.
    public init?(parsing text: String) {
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !words.isEmpty else { return nil }
        if words.count == 2, words[0] == "at", let anchor = Anchor(rawValue: words[1]) {
            self.init(anchor: anchor)
            return
        }
        var rest = words[...]
        var anchor = Anchor.start
        if let last = rest.last, let a = Anchor(rawValue: last) {
            anchor = a
            rest = rest.dropLast()
        }
        guard let direction = rest.last, direction == "before" || direction == "after" else { return nil }
        rest = rest.dropLast()
        var days = 0
        var workingDays = 0
        var seconds: Int64 = 0
        var sawAmount = false
        var tokens = Array(rest)
        // Accept "30d", "2h" as one token each.
        tokens = tokens.flatMap { token -> [String] in
            guard let split = token.firstIndex(where: { !$0.isNumber }), split != token.startIndex,
                token[..<split].allSatisfy(\.isNumber)
            else { return [token] }
            return [String(token[..<split]), String(token[split...])]
        }
        var i = 0
        while i < tokens.count {
            if i + 2 < tokens.count, tokens[i + 1] == "working", ["day", "days"].contains(tokens[i + 2]),
                let amount = Int(tokens[i]), amount >= 0, amount <= Self.maximumAmount
            {
                workingDays += amount
                sawAmount = true
                i += 3
                continue
            }
            guard i + 1 < tokens.count, let amount = Int(tokens[i]), amount >= 0, amount <= Self.maximumAmount,
                let unit = Self.unitSeconds(tokens[i + 1])
            else { return nil }
            switch unit {
            case .days(let n): days += amount * n
            case .seconds(let n): seconds += Int64(amount) * n
            }
            sawAmount = true
            i += 2
        }
        // Working days and calendar days do not mix: which to count first would change the day.
        guard sawAmount, workingDays == 0 || days == 0 else { return nil }
        let sign = direction == "before" ? -1 : 1
        self.init(anchor: anchor, days: sign * days, seconds: Int64(sign) * seconds, workingDays: sign * workingDays)
    }

    private enum Unit {
        case days(Int)
        case seconds(Int64)
    }

    private static func unitSeconds(_ word: String) -> Unit? {
        switch word {
        case "w", "wk", "wks", "week", "weeks": .days(7)
        case "d", "day", "days": .days(1)
        case "h", "hr", "hrs", "hour", "hours": .seconds(3600)
        case "m", "min", "mins", "minute", "minutes": .seconds(60)
        case "s", "sec", "secs", "second", "seconds": .seconds(1)
        default: nil
        }
    }
}

extension ReminderOffset: CustomStringConvertible {
    /// The canonical text: "at start", "30 days before", "1 day 2 hours after end", "3 working days before".
    public var description: String { text(.english) }

    /// The canonical text in `localizer`'s language: French "au début", "30 jours avant".
    public func text(_ localizer: Localizer) -> String {
        if isAtAnchor { return anchor == .start ? localizer.tr("at start") : localizer.tr("at end") }
        let amount = amountText(localizer)
        switch (isBefore, anchor) {
        case (true, .start): return localizer.tr("%s before", amount)
        case (false, .start): return localizer.tr("%s after", amount)
        case (true, .end): return localizer.tr("%s before end", amount)
        case (false, .end): return localizer.tr("%s after end", amount)
        }
    }

    /// The amount without its direction: "30 days", "1 day 2 hours", "3 working days"; empty at the anchor.
    public var amountText: String { amountText(.english) }

    /// The amount in `localizer`'s language, each unit by the language's plural rule: French "30 jours".
    public func amountText(_ localizer: Localizer) -> String {
        var parts: [String] = []
        let w = abs(workingDays)
        if w > 0 { parts.append(localizer.trn("%d working day", "%d working days", w)) }
        let d = abs(days)
        if d > 0 { parts.append(localizer.trn("%d day", "%d days", d)) }
        var s = abs(seconds)
        let hours = Int(s / 3600)
        s %= 3600
        if hours > 0 { parts.append(localizer.trn("%d hour", "%d hours", hours)) }
        let minutes = Int(s / 60)
        s %= 60
        if minutes > 0 { parts.append(localizer.trn("%d minute", "%d minutes", minutes)) }
        if s > 0 { parts.append(localizer.trn("%d second", "%d seconds", Int(s))) }
        return parts.joined(separator: " ")
    }
}
