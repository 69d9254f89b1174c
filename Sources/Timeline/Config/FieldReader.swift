import TOML

/// Reads typed fields of one TOML table, reporting wrong types and values by key path.
struct FieldReader {
    let node: TOMLNode
    let source: Int
    let path: String

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Reports keys of the table that are not in `known`.
    func checkKeys(_ known: [String], context: inout DecodeContext) {
        for (key, child) in node.children where !known.contains(key) {
            context.unknownKey(source, keyPath(key), among: known, at: child)
        }
    }

    /// Reports a value of the wrong type; an invalid value was reported by the parser already.
    func wrongType(_ key: String, _ found: TOMLNode.Value, expected: LocalizedText, context: inout DecodeContext) {
        if found == .invalid { return }
        context.error(
            source,
            keyPath(key),
            value: Self.display(found),
            .tr("expected %s, found %s", expected, found.localizedType),
            hint: nil
        )
    }

    /// A string field; nil when absent or of the wrong type (reported).
    func string(_ key: String, required: Bool = false, context: inout DecodeContext) -> String? {
        guard let field = node[key] else {
            if required { missing(key, context: &context) }
            return nil
        }
        let value = field.value
        guard case .string(let text) = value else {
            wrongType(key, value, expected: .tr("a string"), context: &context)
            return nil
        }
        return text
    }

    func missing(_ key: String, context: inout DecodeContext) {
        context.error(source, path, value: nil, .tr("missing required key \"%s\"", key), hint: nil)
    }

    /// The elements of an array field with their indices, those the parser could not read left out (reported
    /// already); nil when the field is absent or not an array (reported as not `expected`).
    func elements(
        _ key: String,
        expected: LocalizedText,
        context: inout DecodeContext
    ) -> [(index: Int, node: TOMLNode)]? {
        guard let field = node[key] else { return nil }
        guard field.isArray else {
            wrongType(key, field.value, expected: expected, context: &context)
            return nil
        }
        return field.elements.enumerated().compactMap { index, element in
            element.value == .invalid ? nil : (index: index, node: element)
        }
    }

    /// The elements of an array, `what` ("an array of channels"), as `elements(_:expected:context:)` gives them;
    /// a lone string is reported with its fix (`key = ["text"]`), any other type with `example` (an array value).
    func elements(
        _ key: String,
        array what: LocalizedText,
        example: String,
        context: inout DecodeContext
    ) -> [(index: Int, node: TOMLNode)]? {
        if case .string(let text)? = node[key]?.value {
            context.error(
                source,
                keyPath(key),
                value: text,
                .tr("expected %s, found a string", what),
                hint: .tr("write %s", "\(key) = [\"\(text)\"]")
            )
            return nil
        }
        return elements(key, expected: .tr("%s (e.g. %s)", what, "\(key) = \(example)"), context: &context)
    }

    /// A list of strings.
    func strings(_ key: String, context: inout DecodeContext) -> [String]? {
        guard let elements = elements(key, expected: .tr("an array of strings"), context: &context) else { return nil }
        return strings(of: elements, key: key, expected: .tr("a string"), context: &context).map(\.text)
    }

    /// The string elements of the array `key`, with their indices; any other element is reported as not
    /// `expected` and left out.
    func strings(
        of elements: [(index: Int, node: TOMLNode)],
        key: String,
        expected: LocalizedText,
        context: inout DecodeContext
    ) -> [(index: Int, text: String)] {
        elements.compactMap { i, element in
            if case .string(let text) = element.value { return (index: i, text: text) }
            context.error(
                source,
                "\(keyPath(key))[\(i)]",
                value: Self.display(element.value),
                .tr("expected %s, found %s", expected, element.value.localizedType),
                hint: nil
            )
            return nil
        }
    }

    /// A time of day as seconds after midnight: TOML local time `09:00:00` or a string "09:00".
    func timeOfDay(_ key: String, context: inout DecodeContext) -> Int? {
        guard let field = node[key] else { return nil }
        let value = field.value
        switch value {
        case .time(let h, let m, let s, _):
            return h * 3600 + m * 60 + s
        case .string(let text):
            let parts = text.split(separator: ":")
            if (2...3).contains(parts.count), let h = Int(parts[0]), let m = Int(parts[1]),
                (0...23).contains(h), (0...59).contains(m), parts[1].count == 2
            {
                let s = parts.count == 3 ? Int(parts[2]) ?? -1 : 0
                if (0...59).contains(s) { return h * 3600 + m * 60 + s }
            }
            context.error(
                source,
                keyPath(key),
                value: text,
                .tr("not a time of day"),
                hint: .tr(
                    "accepted: %s or %s in 24-hour time, e.g. %s or %s",
                    "HH:MM",
                    "HH:MM:SS",
                    "\"09:00\"",
                    "09:00:00"
                )
            )
            return nil
        default:
            wrongType(key, value, expected: .tr("a time of day (%s or %s)", "09:00:00", "\"09:00\""), context: &context)
            return nil
        }
    }

    func priority(_ key: String, context: inout DecodeContext) -> Priority? {
        guard let text = string(key, context: &context) else { return nil }
        guard let p = Priority(name: text) else {
            context.error(
                source,
                keyPath(key),
                value: text,
                .tr("unknown priority"),
                hint: Suggestion.didYouMean(text, among: Priority.names)
                    ?? .tr("accepted: %s or %s", Priority.names.joined(separator: ", "), "0...7")
            )
            return nil
        }
        return p
    }

    /// A duration such as "7 days" or "12 hours", in seconds.
    func duration(_ key: String, context: inout DecodeContext) -> Int64? {
        guard let text = string(key, context: &context) else { return nil }
        guard let offset = ReminderOffset(parsing: text + " after"), offset.anchor == .start, offset.workingDays == 0
        else {
            context.error(
                source,
                keyPath(key),
                value: text,
                .tr("not a duration"),
                hint: .tr("accepted: amounts with units (%s), e.g. %s", ReminderOffset.unitNames, "\"7 days\"")
            )
            return nil
        }
        return Int64(offset.days) * 86400 + offset.seconds
    }

    /// A list of reminders: strings ("30 days before") or tables `{ at = "...", priority = "warning" }`.
    func reminders(_ key: String, context: inout DecodeContext) -> [Reminder]? {
        guard let elements = elements(key, expected: .tr("an array of reminders"), context: &context) else {
            return nil
        }
        var result: [Reminder] = []
        var seen: Set<ReminderOffset> = []
        var seenAbsolute: Set<Instant> = []
        for (i, element) in elements {
            let elementPath = "\(keyPath(key))[\(i)]"
            var text: String?
            var priority: Priority?
            var delivery: DeliveryOverride?
            switch element.value {
            case .string(let s):
                text = s
            case .table:
                let inner = FieldReader(node: element, source: source, path: elementPath)
                if inner.isAbsoluteReminder {
                    if let absolute = inner.absoluteReminder(context: &context),
                        seenAbsolute.insert(absolute.absolute!).inserted
                    {
                        result.append(absolute)
                    }
                    continue
                }
                inner.checkKeys(["at", "priority"] + Self.deliveryKeys, context: &context)
                text = inner.string("at", required: true, context: &context)
                priority = inner.priority("priority", context: &context)
                delivery = inner.deliveryOverride(context: &context)
            default:
                context.error(
                    source,
                    elementPath,
                    value: Self.display(element.value),
                    .tr(
                        "expected a reminder such as %s or %s, found %s",
                        "\"30 days before\"",
                        "{ at = \"1 day before\", priority = \"warning\" }",
                        element.value.localizedType
                    ),
                    hint: nil
                )
            }
            guard let text else { continue }
            let textPath = element.isTable ? "\(elementPath).at" : elementPath
            guard let offset = ReminderOffset(parsing: text) else {
                context.error(
                    source,
                    textPath,
                    value: text,
                    .tr("not a reminder offset"),
                    hint: ReminderOffset.acceptedFormsText
                )
                continue
            }
            if !seen.insert(offset).inserted {
                context.error(
                    source,
                    textPath,
                    value: text,
                    .tr("duplicate reminder (same offset as an earlier one)"),
                    hint: nil
                )
                continue
            }
            var reminder = Reminder(offset: offset, text: text, priority: priority)
            reminder.delivery = delivery
            result.append(reminder)
        }
        return result
    }

    /// What an id or a calendar's name accepts (1 to `maximumLength` of a-z, 0-9 and "-", not starting with "-"),
    /// with a name made from `text` as the example when there is one.
    static func nameHint(_ text: String, maximumLength: Int) -> LocalizedText {
        let suggestion = String(text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.filter(\.isASCII))
        guard !suggestion.isEmpty, suggestion != text else {
            return .tr(
                "accepted: 1 to %s of %s, %s and %s, not starting with %s",
                maximumLength,
                "a-z",
                "0-9",
                "\"-\"",
                "\"-\""
            )
        }
        return .tr(
            "accepted: 1 to %s of %s, %s and %s, not starting with %s, e.g. %s",
            maximumLength,
            "a-z",
            "0-9",
            "\"-\"",
            "\"-\"",
            "\"\(suggestion)\""
        )
    }

    /// A value shown in a message.
    static func display(_ value: TOMLNode.Value) -> String? {
        switch value {
        case .string(let s): s
        case .integer(let i): String(i)
        case .float(let d): String(d)
        case .boolean(let b): String(b)
        case .date(let y, let m, let d): "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
        case .time(let h, let m, let s, _): "\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2))"
        case .dateTime(let y, let mo, let d, let h, let mi, let s, _, let off):
            "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))"
                + (off.map { ReminderMath.offsetText(seconds: $0 * 60) } ?? "")
        case .table, .array, .invalid: nil
        }
    }
}
