import TOML

/// Decodes one `[[milestone]]` table into a `Milestone`, reporting every problem it finds.
///
/// Keys: `id` (required, `[a-z0-9-]`), `title` (required), `start` (required: a TOML local date for an
/// all-day milestone, a local date-time in the milestone's `timezone`, or an offset date-time), `end`,
/// `timezone`, `precision` (`day`, `month`, `year`), `description`, `location`, `source` (http(s) URL),
/// `tags`, `title_fr`, `description_fr`, `location_fr`, `source_fr` and the same for each language of
/// `MilestoneTexts.languages` (the texts in that language), `reminders`, `priority`, `rrule`, `rdate`, `exdate`, `on_due` (`FieldReader+Actions.swift`), and `notify`,
/// `snooze`, `repeat` (`FieldReader+Delivery.swift`), and `working_days`, `holidays`, `on_non_working_day`
/// (`FieldReader+WorkingDays.swift`).
struct MilestoneDecoder {
    static let keys =
        [
            "id", "title", "start", "end", "timezone", "precision", "description", "location", "source", "tags",
            "reminders", "priority", "rrule", "rdate", "exdate", "on_due",
        ] + MilestoneTexts.languages.flatMap(MilestoneTexts.keys)
    static let maximumIdLength = 100

    let node: TOMLNode
    let source: Int
    let path: String
    let defaults: Defaults
    let zones: ZoneDatabase

    /// A date or date-time as written in the config.
    enum TimeValue {
        case date(CivilDate)
        case local(CivilDateTime)
        case offset(CivilDateTime, offsetSeconds: Int)

        var isDate: Bool {
            if case .date = self { return true }
            return false
        }
    }

    mutating func decode(context: inout DecodeContext) -> Milestone? {
        guard node.isTable else {
            context.error(
                source,
                path,
                value: nil,
                .tr("a milestone must be a table"),
                hint: .tr("use a %s header", "[[milestone]]")
            )
            return nil
        }
        let reader = FieldReader(node: node, source: source, path: path)
        let errorsBefore = context.pending.count { $0.severity == .error }
        reader.checkKeys(Self.keys + FieldReader.deliveryKeys + FieldReader.workingDayKeys, context: &context)

        let id = reader.string("id", required: true, context: &context)
        if let id { checkId(id, context: &context) }
        let title = reader.string("title", required: true, context: &context)
        if let title, title.allSatisfy(\.isWhitespace) {
            context.error(source, "\(path).title", value: title, .tr("title is empty"), hint: nil)
        }
        let description = reader.string("description", context: &context)
        let location = reader.string("location", context: &context)
        let translations = readTranslations(reader, context: &context)
        let sourceURL = reader.string("source", context: &context)
        if let sourceURL, !Self.isURL(sourceURL) {
            context.error(
                source,
                "\(path).source",
                value: sourceURL,
                .tr("not a URL"),
                hint: .tr("accepted: an %s or %s address without spaces", "http://", "https://")
            )
        }
        let tags = reader.strings("tags", context: &context) ?? []
        let priority = reader.priority("priority", context: &context) ?? defaults.priority
        let reminders = reader.reminders("reminders", context: &context) ?? defaults.reminders
        let delivery = defaults.delivery.applying(reader.deliveryOverride(context: &context))
        var precision = Milestone.Precision.day
        if let text = reader.string("precision", context: &context) {
            if let p = Milestone.Precision(rawValue: text) {
                precision = p
            } else {
                context.error(
                    source,
                    "\(path).precision",
                    value: text,
                    .tr("unknown precision"),
                    hint: .tr("accepted: %s", "day, month, year")
                )
            }
        }

        var zone = defaults.zone
        var zoneNamed = false
        if let name = reader.string("timezone", context: &context) {
            do {
                zone = try zones.zone(name)
                zoneNamed = true
            } catch {
                context.error(source, "\(path).timezone", value: name, error.text, hint: nil)
            }
        }

        guard let startValue = timeValue("start", required: true, context: &context) else { return nil }
        if case .offset(_, let offset) = startValue, !zoneNamed { zone = Zone.fixed(offsetSeconds: offset) }
        let isAllDay = startValue.isDate
        let start = civil(startValue, in: zone)
        if precision != .day && !isAllDay {
            context.error(
                source,
                "\(path).precision",
                value: precision.rawValue,
                .tr("a month or year precision needs an all-day start (a date without a time)"),
                hint: nil
            )
        }
        if !isAllDay { warnAboutLocalTime(startValue, key: "start", zone: zone, context: &context) }

        var end: CivilDateTime?
        if let endValue = timeValue("end", required: false, context: &context) {
            if endValue.isDate != isAllDay {
                context.error(
                    source,
                    "\(path).end",
                    value: nil,
                    isAllDay
                        ? .tr("%s must be a date like %s (an all-day milestone)", "end", "start")
                        : .tr("%s must be a date-time like %s", "end", "start"),
                    hint: nil
                )
            } else {
                let e = civil(endValue, in: zone)
                if zone.instant(for: e) < zone.instant(for: start) {
                    context.error(
                        source,
                        "\(path).end",
                        value: e.description,
                        .tr("%s is before %s (%s)", "end", "start", start),
                        hint: nil
                    )
                } else {
                    end = e
                }
                if !isAllDay { warnAboutLocalTime(endValue, key: "end", zone: zone, context: &context) }
            }
        }

        let recurrence = decodeRecurrence(
            start: start,
            isAllDay: isAllDay,
            zone: zone,
            reader: reader,
            context: &context
        )

        let onDue = reader.dueAction("on_due", context: &context)
        let workingCalendar = reader.workingCalendar(
            inheriting: defaults.workingCalendar,
            sets: defaults.holidaySets,
            context: &context
        )
        let onNonWorkingDay = reader.nonWorkingDayRule(context: &context) ?? defaults.onNonWorkingDay
        let errorsAfter = context.pending.count { $0.severity == .error }
        guard errorsAfter == errorsBefore, let id, let title else { return nil }
        let milestone = Milestone(
            id: id,
            title: title,
            description: description,
            location: location,
            source: sourceURL,
            tags: tags,
            start: start,
            end: end,
            isAllDay: isAllDay,
            precision: precision,
            zone: zone,
            recurrence: recurrence,
            reminders: reminders,
            priority: priority,
            delivery: delivery
        )
        var result = milestone.with(onDue: onDue)
        result.workingCalendar = workingCalendar
        result.onNonWorkingDay = onNonWorkingDay
        result.translations = translations
        checkEndOfTime(result, context: &context)
        return result
    }

    /// `title_fr`, `description_fr`, `location_fr`, `source_fr` (a URL), and the same for every other language.
    private func readTranslations(_ reader: FieldReader, context: inout DecodeContext) -> [String: MilestoneTexts] {
        var translations: [String: MilestoneTexts] = [:]
        for language in MilestoneTexts.languages {
            let texts = MilestoneTexts(
                title: reader.string("title_\(language)", context: &context),
                description: reader.string("description_\(language)", context: &context),
                location: reader.string("location_\(language)", context: &context),
                source: reader.string("source_\(language)", context: &context)
            )
            if let page = texts.source, !Self.isURL(page) {
                context.error(
                    source,
                    "\(path).source_\(language)",
                    value: page,
                    .tr("not a URL"),
                    hint: .tr("accepted: an %s or %s address without spaces", "http://", "https://")
                )
            }
            if let title = texts.title, title.allSatisfy(\.isWhitespace) {
                context.error(source, "\(path).title_\(language)", value: title, .tr("title is empty"), hint: nil)
            }
            if texts != MilestoneTexts() { translations[language] = texts }
        }
        return translations
    }

    private func checkId(_ id: String, context: inout DecodeContext) {
        let valid =
            !id.isEmpty && id.count <= Self.maximumIdLength
            && id.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
            && !id.hasPrefix("-")
        if !valid {
            context.error(
                source,
                "\(path).id",
                value: id,
                .tr("invalid id"),
                hint: FieldReader.nameHint(id, maximumLength: Self.maximumIdLength)
            )
        }
    }

    static func isURL(_ text: String) -> Bool {
        (text.hasPrefix("https://") || text.hasPrefix("http://")) && text.count > 8
            && !text.contains(where: { $0.isWhitespace })
    }

    /// Reads a date or date-time field.
    func timeValue(_ key: String, required: Bool, context: inout DecodeContext) -> TimeValue? {
        guard let field = node[key] else {
            if required {
                context.error(
                    source,
                    path,
                    value: nil,
                    .tr("missing required key \"%s\"", key),
                    hint: .tr("e.g. %s (all day) or %s", "\(key) = 2022-06-10", "\(key) = 2022-06-10T13:00:00")
                )
            }
            return nil
        }
        return Self.timeValue(field.value) { message, value, hint in
            context.error(source, "\(path).\(key)", value: value, message, hint: hint)
        }
    }

    static func timeValue(
        _ value: TOMLNode.Value,
        report: (_ message: LocalizedText, _ value: String?, _ hint: LocalizedText?) -> Void
    ) -> TimeValue? {
        let hint = LocalizedText.tr(
            "accepted: an unquoted TOML date (%s) or date-time (%s, optionally with an offset such as %s)",
            "2022-06-10",
            "2022-06-10T13:00:00",
            "+02:00"
        )
        switch value {
        case .invalid:
            // Reported by the parser already (an impossible date such as 2027-02-30).
            return nil
        case .date(let y, let m, let d):
            guard let date = CivilDate(year: y, month: m, day: d) else {
                report(.tr("not a valid date"), FieldReader.display(value), .tr("years 1 to 9999"))
                return nil
            }
            return .date(date)
        case .dateTime(let y, let mo, let d, let h, let mi, let s, _, let offset):
            guard let date = CivilDate(year: y, month: mo, day: d),
                let dateTime = CivilDateTime(date: date, hour: h, minute: mi, second: min(s, 59))
            else {
                report(.tr("not a valid date-time"), FieldReader.display(value), .tr("years 1 to 9999"))
                return nil
            }
            if let offset { return .offset(dateTime, offsetSeconds: offset * 60) }
            return .local(dateTime)
        case .string(let text):
            report(.tr("expected a date or date-time, found a string"), text, .tr("remove the quotes; %s", hint))
            return nil
        default:
            report(.tr("expected a date or date-time, found %s", value.localizedType), FieldReader.display(value), hint)
            return nil
        }
    }

    /// The local civil time of a value in `zone`.
    func civil(_ value: TimeValue, in zone: Zone) -> CivilDateTime {
        switch value {
        case .date(let d): CivilDateTime(date: d, secondOfDay: 0)
        case .local(let dt): dt
        case .offset(let dt, let offset):
            zone.localTime(at: Instant(secondsSinceEpoch: dt.secondsSinceEpoch - Int64(offset)))
        }
    }

    /// Warns when a local time falls into a DST gap or overlap of its zone.
    func warnAboutLocalTime(_ value: TimeValue, key: String, zone: Zone, context: inout DecodeContext) {
        guard case .local(let local) = value else { return }
        if let message = ReminderMath.dstWarning(local, zone: zone) {
            context.warning(source, "\(path).\(key)", value: local.description, message, hint: nil)
        }
    }

    func decodeRecurrence(
        start: CivilDateTime,
        isAllDay: Bool,
        zone: Zone,
        reader: FieldReader,
        context: inout DecodeContext
    ) -> Recurrence? {
        let ruleText = reader.string("rrule", context: &context)
        let rdates = dateList("rdate", isAllDay: isAllDay, zone: zone, context: &context)
        let exdates = dateList("exdate", isAllDay: isAllDay, zone: zone, context: &context)
        guard ruleText != nil || !rdates.isEmpty || !exdates.isEmpty else { return nil }
        var rule: RecurrenceRule?
        var untilLocal: CivilDateTime?
        if let ruleText {
            do {
                var parsed = try RecurrenceRule(parsing: ruleText)
                if isAllDay {
                    let reading = parsed.readBesideDateStart(in: zone)
                    parsed = reading.rule
                    if let warning = reading.warning {
                        context.warning(source, "\(path).rrule", value: ruleText, warning.text, hint: warning.hintText)
                    }
                }
                rule = parsed
                untilLocal = ReminderMath.untilLocal(parsed, zone: zone)
                if let warning = parsed.neverOccursReason(from: start, untilLocal: untilLocal) {
                    context.warning(source, "\(path).rrule", value: ruleText, warning, hint: nil)
                }
            } catch {
                for issue in error.errors {
                    context.add(
                        DecodeContext.Pending(
                            source: source,
                            path: "\(path).rrule",
                            columnOffset: 1 + issue.offset,
                            value: issue.value.isEmpty ? ruleText : issue.value,
                            message: issue.part.isEmpty ? issue.text : .tr("%s: %s", issue.part, issue.text)
                        )
                    )
                }
                return nil
            }
        }
        return Recurrence(
            rule: rule,
            ruleText: ruleText,
            untilLocal: untilLocal,
            rdates: rdates.sorted(),
            exdates: exdates.sorted()
        )
    }

    func dateList(_ key: String, isAllDay: Bool, zone: Zone, context: inout DecodeContext) -> [CivilDateTime] {
        guard let field = node[key] else { return [] }
        let elements: [(String, TOMLNode)]
        if field.isArray {
            elements = field.elements.enumerated().map { ("\(path).\(key)[\($0.offset)]", $0.element) }
        } else {
            elements = [("\(path).\(key)", field)]
        }
        var result: [CivilDateTime] = []
        for (elementPath, element) in elements {
            guard
                let value = Self.timeValue(
                    element.value,
                    report: { message, value, hint in
                        context.error(source, elementPath, value: value, message, hint: hint)
                    }
                )
            else { continue }
            guard value.isDate == isAllDay else {
                context.error(
                    source,
                    elementPath,
                    value: FieldReader.display(element.value),
                    isAllDay
                        ? .tr("%s entries of an all-day milestone must be dates", key)
                        : .tr("%s entries must be date-times like %s", key, "start"),
                    hint: nil
                )
                continue
            }
            if !isAllDay { warnAboutLocalTime(value, key: key, zone: zone, context: &context) }
            result.append(civil(value, in: zone))
        }
        return result
    }

    /// Reports reminders of a one-off milestone that would come due after the end of time (year 9999).
    func checkEndOfTime(_ milestone: Milestone, context: inout DecodeContext) {
        for (i, reminder) in milestone.reminders.enumerated() {
            let occurrence = Occurrence(start: milestone.start, milestone: milestone)
            if ReminderMath.due(
                of: reminder.offset,
                occurrence: occurrence,
                milestone: milestone,
                allDayTime: defaults.allDayTime
            ) == nil {
                let hasOwn = node["reminders"] != nil
                context.error(
                    source,
                    hasOwn ? "\(path).reminders[\(i)]" : "\(path).start",
                    value: reminder.text,
                    .tr("this reminder would come due outside the years 1 to 9999"),
                    hint: .tr("use a smaller offset")
                )
            }
        }
    }
}
