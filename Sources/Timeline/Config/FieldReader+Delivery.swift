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
        guard let elements = elements(key, array: .tr("an array of channels"), example: example, context: &context)
        else {
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
                    .tr("expected a channel name, found %s", element.value.localizedType),
                    hint: .tr("accepted: %s", names.joined(separator: ", "))
                )
                continue
            }
            let channel = Delivery.Channels.named.first(where: { $0.name == name })?.channel
            guard channel != nil || context.channelNames.contains(name) else {
                context.error(
                    source,
                    elementPath,
                    value: name,
                    .tr("unknown channel"),
                    hint: Suggestion.didYouMean(name, among: names)
                        ?? .tr(
                            "accepted: %s, or the name of a %s table",
                            names.joined(separator: ", "),
                            "[channel.NAME]"
                        )
                )
                continue
            }
            if !seen.insert(name).inserted {
                context.warning(source, elementPath, value: name, .tr("channel listed twice"), hint: nil)
            }
            if let channel { channels.insert(channel) } else if !remote.contains(name) { remote.append(name) }
        }
        return (channels, remote)
    }

    /// `snooze = ["10 minutes", "1 hour"]`: the durations offered, in seconds, in order.
    func snoozeDurations(_ key: String, context: inout DecodeContext) -> [Int64]? {
        let example = #"["10 minutes", "1 hour"]"#
        guard let elements = elements(key, array: .tr("an array of durations"), example: example, context: &context)
        else {
            return nil
        }
        var result: [Int64] = []
        for (i, element) in elements {
            let elementPath = "\(keyPath(key))[\(i)]"
            guard let seconds = duration(element, path: elementPath, what: .snooze, context: &context) else {
                continue
            }
            if result.contains(seconds) {
                context.error(
                    source,
                    elementPath,
                    value: Self.display(element.value),
                    .tr("duplicate snooze duration (the same as an earlier one)"),
                    hint: nil
                )
                continue
            }
            if result.count == Self.maximumSnoozeOptions {
                context.error(
                    source,
                    elementPath,
                    value: Self.display(element.value),
                    .tr("too many snooze durations"),
                    hint: .tr("at most %s: a notification shows few buttons", Self.maximumSnoozeOptions)
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
        let example = LocalizedText.tr(
            "e.g. %s, or %s for none",
            "\(key) = { every = \"5 minutes\", times = 3 }",
            "\(key) = false"
        )
        switch field.value {
        case .boolean(false):
            return .some(nil)
        case .boolean(true):
            context.error(
                source,
                keyPath(key),
                value: "true",
                .tr("a repeat needs how often and how many times"),
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
                .tr("expected a table with %s and %s, found %s", "every", "times", field.value.localizedType),
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
                    what: .repeatInterval,
                    context: &context
                )
            }
        } else {
            context.error(source, keyPath(key), value: nil, .tr("missing required key \"%s\"", "every"), hint: example)
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
                    .tr("out of range"),
                    hint: .tr("accepted: 1 to %s repeats", Self.maximumRepeats)
                )
            default:
                inner.wrongType("times", value.value, expected: .tr("an integer (how many repeats)"), context: &context)
            }
        } else {
            context.error(source, keyPath(key), value: nil, .tr("missing required key \"%s\"", "times"), hint: example)
        }
        guard let every, let times else { return nil }
        return .some(Delivery.Repetition(every: every, times: times))
    }

    /// What a delivery duration is, for its message when it is out of range.
    enum DurationUse { case snooze, repeatInterval }

    /// A duration string such as "10 minutes" at `path`, 1 s to 366 days; nil when it is not one (reported).
    private func duration(_ element: TOMLNode, path: String, what: DurationUse, context: inout DecodeContext) -> Int64?
    {
        let accepted = LocalizedText.tr(
            "accepted: amounts with units (%s), e.g. %s or %s",
            ReminderOffset.unitNames,
            "\"10 minutes\"",
            "\"1 hour 30 minutes\""
        )
        guard case .string(let text) = element.value else {
            context.error(
                source,
                path,
                value: Self.display(element.value),
                .tr("expected a duration string, found %s", element.value.localizedType),
                hint: accepted
            )
            return nil
        }
        guard let offset = ReminderOffset(parsing: text + " after"), offset.anchor == .start else {
            context.error(source, path, value: text, .tr("not a duration"), hint: accepted)
            return nil
        }
        let seconds = Int64(offset.days) * 86400 + offset.seconds
        guard seconds >= 1, seconds <= Self.maximumDelivery else {
            context.error(
                source,
                path,
                value: text,
                what == .snooze
                    ? .tr("a snooze must last 1 second to 366 days")
                    : .tr("the time between repeats must last 1 second to 366 days"),
                hint: nil
            )
            return nil
        }
        return seconds
    }
}
