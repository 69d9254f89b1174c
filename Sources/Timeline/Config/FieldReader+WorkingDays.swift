import TOML

extension FieldReader {
    /// The keys of a level (`[defaults]`, a milestone) that say which days are working days.
    static let workingDayKeys = ["working_days", "holidays", "on_non_working_day"]

    /// The calendar of this level: `working_days` and `holidays` where it gives them, `inherited`'s otherwise.
    func workingCalendar(
        inheriting inherited: WorkingCalendar,
        sets: [String: HolidaySet],
        context: inout DecodeContext
    ) -> WorkingCalendar {
        let days = workingDays(context: &context)
        let holidays = holidaySets(sets, context: &context)
        if days == nil && holidays == nil { return inherited }
        return WorkingCalendar(
            workingDays: days ?? Set(inherited.workingDays),
            holidays: holidays ?? inherited.holidays
        )
    }

    /// `working_days = ["MO", "TU", ...]`; nil when absent or wrong (reported).
    private func workingDays(context: inout DecodeContext) -> Set<Weekday>? {
        let key = "working_days"
        let example = "[\"MO\", \"TU\", \"WE\", \"TH\", \"FR\"]"
        guard let elements = elements(key, array: .tr("an array of weekdays"), example: example, context: &context)
        else {
            return nil
        }
        var days: Set<Weekday> = []
        var valid = true
        for (i, element) in elements {
            let codes = Weekday.allCases.map(\.code)
            guard case .string(let text) = element.value, let day = Weekday(code: text) else {
                let text = Self.display(element.value) ?? ""
                context.error(
                    source,
                    "\(keyPath(key))[\(i)]",
                    value: text,
                    .tr("not a weekday"),
                    hint: Suggestion.didYouMean(text.uppercased(), among: codes)
                        ?? .tr("accepted: %s (RFC 5545's two-letter codes)", codes.joined(separator: ", "))
                )
                valid = false
                continue
            }
            if !days.insert(day).inserted {
                context.error(source, "\(keyPath(key))[\(i)]", value: text, .tr("weekday listed twice"), hint: nil)
                valid = false
            }
        }
        if valid && days.isEmpty {
            context.error(
                source,
                keyPath(key),
                value: nil,
                .tr("no working day"),
                hint: .tr("list at least one weekday, e.g. %s", "working_days = \(example)")
            )
            return nil
        }
        return valid ? days : nil
    }

    /// `holidays = ["NAME", ...]`, each a `[holidays.NAME]` of `sets`; nil when absent or wrong (reported).
    private func holidaySets(_ sets: [String: HolidaySet], context: inout DecodeContext) -> [HolidaySet]? {
        let key = "holidays"
        guard
            let elements = elements(
                key,
                array: .tr("an array of holiday set names"),
                example: "[\"NAME\"]",
                context: &context
            )
        else { return nil }
        let names = strings(of: elements, key: key, expected: .tr("the name of a holiday set"), context: &context)
        var result: [HolidaySet] = []
        var valid = names.count == elements.count
        for (i, name) in names {
            guard let set = sets[name] else {
                context.error(
                    source,
                    "\(keyPath(key))[\(i)]",
                    value: name,
                    .tr("unknown holiday set"),
                    hint: Suggestion.didYouMean(name, among: sets.keys)
                        ?? (sets.isEmpty
                            ? .tr(
                                "define it as %s with %s or %s",
                                "[holidays.\(name)]",
                                "dates = [...]",
                                "ics = \"file.ics\""
                            )
                            : .tr("defined: %s", sets.keys.sorted().joined(separator: ", ")))
                )
                valid = false
                continue
            }
            result.append(set)
        }
        return valid ? result : nil
    }

    /// `on_non_working_day = "keep" | "before" | "after" | "skip"`; nil when absent or wrong (reported).
    func nonWorkingDayRule(context: inout DecodeContext) -> NonWorkingDayRule? {
        let key = "on_non_working_day"
        guard let text = string(key, context: &context) else { return nil }
        guard let rule = NonWorkingDayRule(rawValue: text) else {
            let names = NonWorkingDayRule.allCases.map(\.rawValue)
            context.error(
                source,
                keyPath(key),
                value: text,
                .tr("unknown rule for non-working days"),
                hint: Suggestion.didYouMean(text, among: names) ?? .tr("accepted: %s", names.joined(separator: ", "))
            )
            return nil
        }
        return rule
    }
}
