import Timeline

extension DayEntries {
    /// `{"date": ..., "weekday": "Sa", "working_day": false, "holiday": null, "entries": [...]}` for each day that
    /// has entries or a holiday; each entry is an object of `list --json`'s shape, plus `time` (as the view shows
    /// it, in the viewer's zone).
    func json(workingCalendar: WorkingCalendar) -> JSON {
        let formatting = InstanceFormatting(schedule: schedule)
        var items: [JSON] = []
        var day = first
        while day <= last {
            let entries = self.entries(on: day)
            let holiday = workingCalendar.holiday(on: day)
            if !entries.isEmpty || holiday != nil {
                let list: [JSON] = entries.map { entry in
                    let object: JSON
                    if let instance = entry.instance {
                        object = formatting.json(instance)
                    } else {
                        object = formatting.json(occurrenceOf: milestone(of: entry), start: entry.occurrenceStart)
                    }
                    guard case .object(var fields) = object else { return object }
                    fields.insert(("time", .string(timeText(entry))), at: 1)
                    return .object(fields)
                }
                items.append(
                    .object([
                        ("date", .string(day.description)),
                        ("weekday", .string(day.weekday.code)),
                        ("working_day", .bool(workingCalendar.isWorkingDay(day))),
                        ("holiday", .optional(holiday)),
                        ("entries", .array(list)),
                    ])
                )
            }
            day = day.adding(days: 1)
        }
        return .object([
            ("from", .string(first.description)),
            ("to", .string(last.description)),
            ("zone", .string(viewerZone.identifier)),
            ("days", .array(items)),
        ])
    }
}
