/// Reads one RRULE value, collecting every problem instead of stopping at the first.
struct RecurrenceRuleParser {
    private static let partNames = [
        "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY",
        "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
    ]

    /// What each part accepts, said the way the error messages say it.
    private static let accepted: [String: LocalizedText] = [
        "FREQ": .tr("%s takes %s or %s", "FREQ", "DAILY, WEEKLY, MONTHLY", "YEARLY"),
        "UNTIL": .tr(
            "%s takes a date (%s), a local date-time (%s) or a UTC date-time (%s)",
            "UNTIL",
            "19971224",
            "19971224T090000",
            "19971224T140000Z"
        ),
        "COUNT": .tr("%s takes a whole number from 1 up", "COUNT"),
        "INTERVAL": .tr("%s takes a whole number from 1 up", "INTERVAL"),
        "BYSECOND": .tr("%s takes %s", "BYSECOND", "0...59"),
        "BYMINUTE": .tr("%s takes %s", "BYMINUTE", "0...59"),
        "BYHOUR": .tr("%s takes %s", "BYHOUR", "0...23"),
        "BYDAY": .tr(
            "%s takes %s, each optionally after an ordinal %s or %s (%s)",
            "BYDAY",
            "MO, TU, WE, TH, FR, SA, SU",
            "-53...-1",
            "1...53",
            "1MO, -1FR"
        ),
        "BYMONTHDAY": .tr("%s takes %s or %s", "BYMONTHDAY", "-31...-1", "1...31"),
        "BYYEARDAY": .tr("%s takes %s or %s", "BYYEARDAY", "-366...-1", "1...366"),
        "BYWEEKNO": .tr("%s takes %s or %s", "BYWEEKNO", "-53...-1", "1...53"),
        "BYMONTH": .tr("%s takes %s", "BYMONTH", "1...12"),
        "BYSETPOS": .tr("%s takes %s or %s", "BYSETPOS", "-366...-1", "1...366"),
        "WKST": .tr("%s takes %s or %s", "WKST", "MO, TU, WE, TH, FR, SA", "SU"),
    ]

    /// Names people reach for that are not RFC 5545 parts.
    private static let aliases = [
        "BYWEEKDAY": "BYDAY", "WEEKSTART": "WKST", "FREQUENCY": "FREQ",
        "REPEAT": "COUNT", "END": "UNTIL", "BYWEEKNUMBER": "BYWEEKNO", "BYSETPOSITION": "BYSETPOS",
    ]

    /// Where a part's value sits, for the checks between parts.
    struct Located {
        let name: String
        let nameOffset: Int
        let value: String
        let valueOffset: Int
    }

    private let chars: [Character]
    private var errors: [RecurrenceRuleError] = []
    var seen: [String: Located] = [:]

    var frequency: RecurrenceRule.Frequency?
    private var interval = 1
    private var count: Int?
    private var until: RecurrenceRule.Until?
    private var lists: [String: [Int]] = [:]
    var byDay: [(entry: RecurrenceRule.OrdinalWeekday, text: String, offset: Int)] = []
    private var weekStart = Weekday.monday

    init(_ text: String) {
        self.chars = Array(text)
    }

    mutating func parse() -> Result<RecurrenceRule, RecurrenceRuleError.List> {
        var start = 0
        if chars.count >= 6, String(chars[0..<6]).uppercased() == "RRULE:" { start = 6 }
        var partStart = start
        for index in start...chars.count where index == chars.count || chars[index] == ";" {
            part(partStart..<index)
            partStart = index + 1
        }
        checkBetweenParts(ruleStart: start)
        guard errors.isEmpty, let frequency else { return .failure(RecurrenceRuleError.List(errors)) }
        return .success(
            RecurrenceRule(
                frequency: frequency,
                interval: interval,
                count: count,
                until: until,
                byMonth: lists["BYMONTH"] ?? [],
                byWeekNumber: lists["BYWEEKNO"] ?? [],
                byYearDay: lists["BYYEARDAY"] ?? [],
                byMonthDay: lists["BYMONTHDAY"] ?? [],
                byDay: byDay.map(\.entry),
                byHour: lists["BYHOUR"] ?? [],
                byMinute: lists["BYMINUTE"] ?? [],
                bySecond: lists["BYSECOND"] ?? [],
                bySetPosition: lists["BYSETPOS"] ?? [],
                weekStart: weekStart
            )
        )
    }

    // MARK: - Parts

    private mutating func part(_ range: Range<Int>) {
        let range = trimmed(range)
        // Empty parts (`;;`, a trailing `;`) carry nothing and harm nothing.
        guard !range.isEmpty else { return }
        guard let equals = range.first(where: { chars[$0] == "=" }) else {
            let text = string(range)
            fail(
                .malformedPart,
                text.uppercased(),
                text,
                range.lowerBound,
                .tr("\"%s\" is not a %s part, e.g. %s", text, "NAME=VALUE", "FREQ=WEEKLY")
            )
            return
        }
        let nameRange = trimmed(range.lowerBound..<equals)
        let valueRange = trimmed(equals + 1..<range.upperBound)
        let name = string(nameRange).uppercased()
        let value = string(valueRange)
        guard !name.isEmpty else {
            fail(
                .malformedPart,
                "",
                value,
                range.lowerBound,
                .tr("\"%s\" has no part name before %s", string(range), "=")
            )
            return
        }
        guard let accepted = Self.accepted[name] else {
            fail(.unknownPart, name, name, nameRange.lowerBound, unknownPartMessage(name))
            return
        }
        if let first = seen[name] {
            fail(
                .duplicatePart,
                name,
                name,
                nameRange.lowerBound,
                .tr("%s is given twice (first at offset %s); give each part once", name, first.nameOffset)
            )
            return
        }
        seen[name] = Located(
            name: name,
            nameOffset: nameRange.lowerBound,
            value: value,
            valueOffset: valueRange.lowerBound
        )
        guard !value.isEmpty else {
            fail(.emptyValue, name, "", valueRange.lowerBound, .tr("%s has no value; %s", name, accepted))
            return
        }
        switch name {
        case "FREQ": parseFrequency(value, at: valueRange.lowerBound)
        case "INTERVAL": interval = positiveNumber(name, valueRange) ?? 1
        case "COUNT": count = positiveNumber(name, valueRange)
        case "UNTIL": until = parseUntil(value, at: valueRange.lowerBound)
        case "WKST":
            if let day = Weekday(code: value) {
                weekStart = day
            } else {
                fail(
                    .invalidValue,
                    name,
                    value,
                    valueRange.lowerBound,
                    .tr("%s is not a weekday; %s", "WKST=\(value)", accepted)
                )
            }
        case "BYDAY": parseByDay(valueRange)
        case "BYMONTH": lists[name] = numberList(name, valueRange, signed: false, allowed: 1...12)
        case "BYHOUR": lists[name] = numberList(name, valueRange, signed: false, allowed: 0...23)
        case "BYMINUTE": lists[name] = numberList(name, valueRange, signed: false, allowed: 0...59)
        case "BYSECOND": lists[name] = numberList(name, valueRange, signed: false, allowed: 0...59)
        case "BYMONTHDAY": lists[name] = numberList(name, valueRange, signed: true, allowed: 1...31)
        case "BYYEARDAY": lists[name] = numberList(name, valueRange, signed: true, allowed: 1...366)
        case "BYWEEKNO": lists[name] = numberList(name, valueRange, signed: true, allowed: 1...53)
        case "BYSETPOS": lists[name] = numberList(name, valueRange, signed: true, allowed: 1...366)
        default: preconditionFailure("every name in `accepted` is handled")
        }
    }

    private mutating func parseFrequency(_ value: String, at offset: Int) {
        switch value.uppercased() {
        case "DAILY": frequency = .daily
        case "WEEKLY": frequency = .weekly
        case "MONTHLY": frequency = .monthly
        case "YEARLY": frequency = .yearly
        case "HOURLY", "MINUTELY", "SECONDLY":
            fail(
                .unsupportedFrequency,
                "FREQ",
                value,
                offset,
                .tr(
                    "%s is not supported; only %s and %s are",
                    "FREQ=\(value.uppercased())",
                    "DAILY, WEEKLY, MONTHLY",
                    "YEARLY"
                )
            )
        case "BIWEEKLY", "FORTNIGHTLY":
            fail(
                .invalidValue,
                "FREQ",
                value,
                offset,
                .tr("%s is not an RFC 5545 frequency; write %s", "FREQ=\(value)", "FREQ=WEEKLY;INTERVAL=2")
            )
        default:
            let suggestion = Suggestion.closest(
                to: value.uppercased(),
                among: ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]
            )
            fail(
                .invalidValue,
                "FREQ",
                value,
                offset,
                suggestion.map {
                    .tr("%s is not a frequency (did you mean %s?); %s", "FREQ=\(value)", $0, Self.accepted["FREQ"]!)
                } ?? .tr("%s is not a frequency; %s", "FREQ=\(value)", Self.accepted["FREQ"]!)
            )
        }
    }

    private mutating func positiveNumber(_ name: String, _ range: Range<Int>) -> Int? {
        let text = string(range)
        guard let number = integer(range, signed: false) else {
            fail(
                .invalidValue,
                name,
                text,
                range.lowerBound,
                .tr("%s is not a whole number; %s", "\(name)=\(text)", Self.accepted[name]!)
            )
            return nil
        }
        guard number >= 1 else {
            fail(
                .outOfRange,
                name,
                text,
                range.lowerBound,
                .tr("%s is out of range; %s must be at least 1", "\(name)=\(text)", name)
            )
            return nil
        }
        return number
    }

    private mutating func numberList(_ name: String, _ range: Range<Int>, signed: Bool, allowed: ClosedRange<Int>)
        -> [Int]
    {
        var numbers: [Int] = []
        for element in elements(range) {
            let text = string(element)
            if element.isEmpty {
                fail(
                    .emptyValue,
                    name,
                    "",
                    element.lowerBound,
                    .tr("%s has an empty list element; %s", name, Self.accepted[name]!)
                )
            } else if let number = integer(element, signed: signed) {
                if allowed.contains(signed ? abs(number) : number) {
                    numbers.append(number)
                } else {
                    fail(
                        .outOfRange,
                        name,
                        text,
                        element.lowerBound,
                        .tr("%s value %s is out of range; %s", name, text, Self.accepted[name]!)
                    )
                }
            } else {
                fail(
                    .invalidValue,
                    name,
                    text,
                    element.lowerBound,
                    signed
                        ? .tr("%s value \"%s\" is not a whole number; %s", name, text, Self.accepted[name]!)
                        : .tr("%s value \"%s\" is not an unsigned whole number; %s", name, text, Self.accepted[name]!)
                )
            }
        }
        return numbers
    }

    private mutating func parseByDay(_ range: Range<Int>) {
        for element in elements(range) {
            let text = string(element)
            guard !element.isEmpty else {
                fail(
                    .emptyValue,
                    "BYDAY",
                    "",
                    element.lowerBound,
                    .tr("%s has an empty list element; %s", "BYDAY", Self.accepted["BYDAY"]!)
                )
                continue
            }
            // [+|-]digits followed by a two-letter weekday code.
            let codeStart = element.upperBound - min(2, element.count)
            guard let weekday = Weekday(code: string(codeStart..<element.upperBound)),
                chars[codeStart..<element.upperBound].allSatisfy(\.isLetter)
            else {
                fail(
                    .invalidValue,
                    "BYDAY",
                    text,
                    element.lowerBound,
                    .tr("%s value \"%s\" is not a weekday; %s", "BYDAY", text, Self.accepted["BYDAY"]!)
                )
                continue
            }
            let ordinalRange = element.lowerBound..<codeStart
            guard !ordinalRange.isEmpty else {
                byDay.append((RecurrenceRule.OrdinalWeekday(weekday), text, element.lowerBound))
                continue
            }
            guard let ordinal = integer(ordinalRange, signed: true) else {
                fail(
                    .invalidValue,
                    "BYDAY",
                    text,
                    element.lowerBound,
                    .tr(
                        "%s value \"%s\" has no valid ordinal before %s; %s",
                        "BYDAY",
                        text,
                        weekday.code,
                        Self.accepted["BYDAY"]!
                    )
                )
                continue
            }
            if ordinal == 0 {
                fail(
                    .zeroOrdinal,
                    "BYDAY",
                    text,
                    element.lowerBound,
                    .tr(
                        "%s value %s has ordinal 0, which names no day; use %s from the start or %s from the end (%s, %s)",
                        "BYDAY",
                        text,
                        "1...53",
                        "-53...-1",
                        "1\(weekday.code)",
                        "-1\(weekday.code)"
                    )
                )
            } else if abs(ordinal) > 53 {
                fail(
                    .outOfRange,
                    "BYDAY",
                    text,
                    element.lowerBound,
                    .tr("%s ordinal in %s is out of range; %s", "BYDAY", text, Self.accepted["BYDAY"]!)
                )
            } else {
                byDay.append((RecurrenceRule.OrdinalWeekday(weekday, ordinal: ordinal), text, element.lowerBound))
            }
        }
    }

    private mutating func parseUntil(_ value: String, at offset: Int) -> RecurrenceRule.Until? {
        let text = Array(value.uppercased())
        let isUTC = text.last == "Z"
        let body = isUTC ? Array(text.dropLast()) : text
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= body.count, body[range].allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return nil
            }
            return Int(String(body[range]))
        }
        func notADateOrTime() {
            fail(
                .invalidValue,
                "UNTIL",
                value,
                offset,
                .tr("%s is not a date or date-time; %s", "UNTIL=\(value)", Self.accepted["UNTIL"]!)
            )
        }
        let hasTime = body.count == 15 && body[8] == "T"
        guard body.count == 8 || hasTime, let year = digits(0..<4), let month = digits(4..<6), let day = digits(6..<8),
            !(isUTC && !hasTime)
        else {
            notADateOrTime()
            return nil
        }
        guard let date = CivilDate(year: year, month: month, day: day) else {
            let why: LocalizedText =
                if !(1...9999).contains(year) {
                    .tr("years run from %s to %s", "0001", "9999")
                } else if !(1...12).contains(month) {
                    .tr("there is no month %s", month)
                } else {
                    .tr(
                        "%s %s has %s days",
                        Self.monthNames[month - 1],
                        year,
                        CivilDate.daysInMonth(year: year, month: month)
                    )
                }
            fail(.invalidDate, "UNTIL", value, offset, .tr("%s is not a calendar date: %s", "UNTIL=\(value)", why))
            return nil
        }
        guard hasTime else { return .date(date) }
        guard let hour = digits(9..<11), let minute = digits(11..<13), let second = digits(13..<15) else {
            notADateOrTime()
            return nil
        }
        guard let time = CivilDateTime(date: date, hour: hour, minute: minute, second: second) else {
            fail(
                .invalidDate,
                "UNTIL",
                value,
                offset,
                .tr(
                    "%s is not a time of day: hours run %s, minutes and seconds %s",
                    "UNTIL=\(value)",
                    "00...23",
                    "00...59"
                )
            )
            return nil
        }
        return isUTC ? .utc(time) : .local(time)
    }

    // MARK: - Helpers

    mutating func fail(
        _ kind: RecurrenceRuleError.Kind,
        _ part: String,
        _ value: String,
        _ offset: Int,
        _ message: LocalizedText
    ) {
        errors.append(RecurrenceRuleError(kind, part: part, value: value, offset: offset, message: message))
    }

    private func string(_ range: Range<Int>) -> String { String(chars[range]) }

    private func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, chars[lower].isWhitespace { lower += 1 }
        while upper > lower, chars[upper - 1].isWhitespace { upper -= 1 }
        return lower..<upper
    }

    /// The comma-separated elements of `range`, each trimmed.
    private func elements(_ range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        for index in range.lowerBound...range.upperBound where index == range.upperBound || chars[index] == "," {
            result.append(trimmed(start..<index))
            start = index + 1
        }
        return result
    }

    /// A decimal integer with an optional sign when `signed`; nil when malformed. Values too large to matter
    /// are capped rather than overflowing.
    private func integer(_ range: Range<Int>, signed: Bool) -> Int? {
        var index = range.lowerBound
        var negative = false
        if signed, index < range.upperBound, chars[index] == "+" || chars[index] == "-" {
            negative = chars[index] == "-"
            index += 1
        }
        guard index < range.upperBound else { return nil }
        var value = 0
        while index < range.upperBound {
            guard let digit = chars[index].wholeNumberValue, chars[index].isASCII else { return nil }
            value = min(value * 10 + digit, 1_000_000_000_000_000)
            index += 1
        }
        return negative ? -value : value
    }

    private func unknownPartMessage(_ name: String) -> LocalizedText {
        if ["DTSTART", "DTEND", "RDATE", "EXDATE", "EXRULE", "TZID", "DURATION"].contains(name) {
            return .tr("%s is not part of an RRULE value; it is a property of its own", name)
        }
        if let suggestion = Self.aliases[name] ?? Suggestion.closest(to: name, among: Self.partNames) {
            return .tr("unknown part %s; did you mean %s?", name, suggestion)
        }
        return .tr("unknown part %s; the parts are %s", name, Self.partNames.joined(separator: ", "))
    }

    private static let monthNames: [LocalizedText] = [
        .tr("January"), .tr("February"), .tr("March"), .tr("April"), .tr("May"), .tr("June"), .tr("July"),
        .tr("August"), .tr("September"), .tr("October"), .tr("November"), .tr("December"),
    ]
}
