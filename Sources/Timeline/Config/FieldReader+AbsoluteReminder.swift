extension FieldReader {
    /// Whether this reminder table is an absolute one: its `at` is a date-time, not a string.
    var isAbsoluteReminder: Bool {
        if case .dateTime? = node["at"]?.value { return true }
        return false
    }

    /// An absolute reminder, `{ at = 2027-05-01T09:00:00Z, priority = "warning" }` (an offset is required:
    /// the instant must not depend on a zone); nil when the table has errors (reported).
    func absoluteReminder(context: inout DecodeContext) -> Reminder? {
        guard case .dateTime(let y, let mo, let d, let h, let mi, let s, _, let offset)? = node["at"]?.value else {
            return nil
        }
        checkKeys(["at", "priority"] + Self.deliveryKeys, context: &context)
        let priority = self.priority("priority", context: &context)
        let delivery = deliveryOverride(context: &context)
        func reject(_ message: LocalizedText, hint: LocalizedText) -> Reminder? {
            context.error(source, keyPath("at"), value: FieldReader.display(node["at"]!.value), message, hint: hint)
            return nil
        }
        guard let offset else {
            return reject(
                .tr("an absolute reminder needs an offset"),
                hint: .tr("e.g. %s or %s", "at = 2027-05-01T09:00:00Z", "2027-05-01T09:00:00+02:00")
            )
        }
        guard let date = CivilDate(year: y, month: mo, day: d),
            let local = CivilDateTime(date: date, hour: h, minute: mi, second: min(s, 59))
        else { return reject(.tr("not a valid date-time"), hint: .tr("years 1 to 9999")) }
        let instant = Instant(secondsSinceEpoch: local.secondsSinceEpoch - Int64(offset) * 60)
        var reminder = Reminder(absolute: instant, priority: priority)
        reminder.delivery = delivery
        return reminder
    }
}
