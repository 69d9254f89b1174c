import TOML

/// The keys that say where reminders go and how they are followed up, in `[defaults]`, a `[[milestone]]` and a
/// reminder's table:
///
/// ```toml
/// notify = ["journal", "desktop", "board"] # the journal entry is always written; board: a [channel.board]
/// snooze = ["10 minutes", "1 hour"]        # the snooze actions offered ([] offers only Dismiss)
/// repeat = { every = "5 minutes", times = 3 }   # nag until dismissed; repeat = false turns it off
/// ```
extension FieldReader {
    /// `notify`, `snooze`, `repeat`.
    static let deliveryKeys = ["notify", "snooze", "repeat"]
    /// A notification shows few buttons: at most this many snooze durations.
    static let maximumSnoozeOptions = 6
    /// The longest snooze, and the longest time between two repeats: a year and a day.
    static let maximumDelivery: Int64 = 366 * 86400
    /// At most this many repeats.
    static let maximumRepeats = 100

    /// What this table's `notify`, `snooze` and `repeat` set (nil when none of them is there); each bad value is
    /// reported where it sits, and left out.
    func deliveryOverride(context: inout DecodeContext) -> DeliveryOverride? {
        guard Self.deliveryKeys.contains(where: { node[$0] != nil }) else { return nil }
        let named = channels("notify", context: &context)
        let override = DeliveryOverride(
            channels: named?.channels,
            remote: named?.remote ?? [],
            snooze: snoozeDurations("snooze", context: &context),
            repetition: repetition("repeat", context: &context)
        )
        return override.isEmpty ? nil : override
    }

    /// `notify = ["journal", "desktop", "board"]`: the built-in channels named (the journal always among them) and
    /// the `[channel.NAME]` tables named.
    func channels(_ key: String, context: inout DecodeContext) -> (channels: Delivery.Channels, remote: [String])? {
        let example = #"["journal", "desktop"]"#
        guard let elements = elements(key, arrayOf: "channels", example: example, context: &context) else {
            return nil
        }
        let names = Delivery.Channels.named.map(\.name) + context.channelNames
        var channels: Delivery.Channels = [.journal]
        var remote: [String] = []
        var seen: Set<String> = []
        for (i, element) in elements {
            let elementPath = "\(keyPath(key))[\(i)]"
            guard case .string(let name) = element.value else {
                context.error(
                    source,
                    elementPath,
                    value: Self.display(element.value),
                    "expected a channel name, found \(element.value.typeName)",
                    hint: "accepted: \(names.joined(separator: ", "))"
                )
                continue
            }
            let channel = Delivery.Channels.named.first(where: { $0.name == name })?.channel
            guard channel != nil || context.channelNames.contains(name) else {
                context.error(
                    source,
                    elementPath,
                    value: name,
                    "unknown channel",
                    hint: Suggestion.didYouMean(name, among: names)
                        ?? "accepted: \(names.joined(separator: ", ")), or the name of a [channel.NAME] table"
                )
                continue
            }
            if !seen.insert(name).inserted {
                context.warning(source, elementPath, value: name, "channel listed twice", hint: nil)
            }
            if let channel { channels.insert(channel) } else if !remote.contains(name) { remote.append(name) }
        }
        return (channels, remote)
    }

    /// `snooze = ["10 minutes", "1 hour"]`: the durations offered, in seconds, in order.
    func snoozeDurations(_ key: String, context: inout DecodeContext) -> [Int64]? {
        let example = #"["10 minutes", "1 hour"]"#
        guard let elements = elements(key, arrayOf: "durations", example: example, context: &context) else {
            return nil
        }
        var result: [Int64] = []
        for (i, element) in elements {
            let elementPath = "\(keyPath(key))[\(i)]"
            guard let seconds = duration(element, path: elementPath, what: "a snooze", context: &context) else {
                continue
            }
            if result.contains(seconds) {
                context.error(
                    source,
                    elementPath,
                    value: Self.display(element.value),
                    "duplicate snooze duration (the same as an earlier one)",
                    hint: nil
                )
                continue
            }
            if result.count == Self.maximumSnoozeOptions {
                context.error(
                    source,
                    elementPath,
                    value: Self.display(element.value),
                    "too many snooze durations",
                    hint: "at most \(Self.maximumSnoozeOptions): a notification shows few buttons"
                )
                break
            }
            result.append(seconds)
        }
        return result
    }

    /// `repeat = { every = "5 minutes", times = 3 }` (`.some(r)`), or `repeat = false` (`.some(nil)`).
    func repetition(_ key: String, context: inout DecodeContext) -> Delivery.Repetition?? {
        guard let field = node[key], field.value != .invalid else { return nil }
        let example = "e.g. \(key) = { every = \"5 minutes\", times = 3 }, or \(key) = false for none"
        switch field.value {
        case .boolean(false):
            return .some(nil)
        case .boolean(true):
            context.error(
                source,
                keyPath(key),
                value: "true",
                "a repeat needs how often and how many times",
                hint: example
            )
            return nil
        case .table:
            break
        default:
            context.error(
                source,
                keyPath(key),
                value: Self.display(field.value),
                "expected a table with every and times, found \(field.value.typeName)",
                hint: example
            )
            return nil
        }
        let inner = FieldReader(node: field, source: source, path: keyPath(key))
        inner.checkKeys(["every", "times"], context: &context)
        var every: Int64?
        if let value = field["every"] {
            if value.value != .invalid {
                every = duration(
                    value,
                    path: inner.keyPath("every"),
                    what: "the time between repeats",
                    context: &context
                )
            }
        } else {
            context.error(source, keyPath(key), value: nil, "missing required key \"every\"", hint: example)
        }
        var times: Int?
        if let value = field["times"] {
            switch value.value {
            case .invalid:
                break
            case .integer(let count) where (1...Int64(Self.maximumRepeats)).contains(count):
                times = Int(count)
            case .integer(let count):
                context.error(
                    source,
                    inner.keyPath("times"),
                    value: String(count),
                    "out of range",
                    hint: "accepted: 1 to \(Self.maximumRepeats) repeats"
                )
            default:
                inner.wrongType("times", value.value, expected: "an integer (how many repeats)", context: &context)
            }
        } else {
            context.error(source, keyPath(key), value: nil, "missing required key \"times\"", hint: example)
        }
        guard let every, let times else { return nil }
        return .some(Delivery.Repetition(every: every, times: times))
    }

    /// A duration string such as "10 minutes" at `path`, 1 s to 366 days; nil when it is not one (reported).
    private func duration(_ element: TOMLNode, path: String, what: String, context: inout DecodeContext) -> Int64? {
        let accepted =
            "amounts with units (weeks, days, hours, minutes, seconds), e.g. \"10 minutes\" or \"1 hour 30 minutes\""
        guard case .string(let text) = element.value else {
            context.error(
                source,
                path,
                value: Self.display(element.value),
                "expected a duration string, found \(element.value.typeName)",
                hint: "accepted: " + accepted
            )
            return nil
        }
        guard let offset = ReminderOffset(parsing: text + " after"), offset.anchor == .start else {
            context.error(source, path, value: text, "not a duration", hint: "accepted: " + accepted)
            return nil
        }
        let seconds = Int64(offset.days) * 86400 + offset.seconds
        guard seconds >= 1, seconds <= Self.maximumDelivery else {
            context.error(
                source,
                path,
                value: text,
                "\(what) must last 1 second to 366 days",
                hint: nil
            )
            return nil
        }
        return seconds
    }
}
