/// Reads one RRULE value, collecting every problem instead of stopping at the first.
struct RecurrenceRuleParser {
    private static let partNames = [
        "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY",
        "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
    ]

    /// What each part accepts, said the way the error messages say it.
    private static let accepted: [String: String] = [
        "FREQ": "FREQ takes DAILY, WEEKLY, MONTHLY or YEARLY",
        "UNTIL": "UNTIL takes a date (19971224), a local date-time (19971224T090000) or a UTC date-time"
            + " (19971224T140000Z)",
        "COUNT": "COUNT takes a whole number from 1 up",
        "INTERVAL": "INTERVAL takes a whole number from 1 up",
        "BYSECOND": "BYSECOND takes 0...59",
        "BYMINUTE": "BYMINUTE takes 0...59",
        "BYHOUR": "BYHOUR takes 0...23",
        "BYDAY": "BYDAY takes MO, TU, WE, TH, FR, SA, SU, each optionally after an ordinal -53...-1 or 1...53"
            + " (1MO, -1FR)",
        "BYMONTHDAY": "BYMONTHDAY takes -31...-1 or 1...31",
        "BYYEARDAY": "BYYEARDAY takes -366...-1 or 1...366",
        "BYWEEKNO": "BYWEEKNO takes -53...-1 or 1...53",
        "BYMONTH": "BYMONTH takes 1...12",
        "BYSETPOS": "BYSETPOS takes -366...-1 or 1...366",
        "WKST": "WKST takes MO, TU, WE, TH, FR, SA or SU",
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
                "\"\(text)\" is not a NAME=VALUE part, e.g. FREQ=WEEKLY"
            )
            return
        }
        let nameRange = trimmed(range.lowerBound..<equals)
        let valueRange = trimmed(equals + 1..<range.upperBound)
        let name = string(nameRange).uppercased()
        let value = string(valueRange)
        guard !name.isEmpty else {
            fail(.malformedPart, "", value, range.lowerBound, "\"\(string(range))\" has no part name before =")
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
                "\(name) is given twice (first at offset \(first.nameOffset)); give each part once"
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
            fail(.emptyValue, name, "", valueRange.lowerBound, "\(name) has no value; \(accepted)")
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
                fail(.invalidValue, name, value, valueRange.lowerBound, "WKST=\(value) is not a weekday; \(accepted)")
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
                "FREQ=\(value.uppercased()) is not supported; only DAILY, WEEKLY, MONTHLY and YEARLY are"
            )
        case "BIWEEKLY", "FORTNIGHTLY":
            fail(
                .invalidValue,
                "FREQ",
                value,
                offset,
                "FREQ=\(value) is not an RFC 5545 frequency; write FREQ=WEEKLY;INTERVAL=2"
            )
        default:
            let hint =
                Suggestion.closest(to: value.uppercased(), among: ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"])
                .map { " (did you mean \($0)?)" } ?? ""
            fail(
                .invalidValue,
                "FREQ",
                value,
                offset,
                "FREQ=\(value) is not a frequency\(hint); \(Self.accepted["FREQ"]!)"
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
                "\(name)=\(text) is not a whole number; \(Self.accepted[name]!)"
            )
            return nil
        }
        guard number >= 1 else {
            fail(
                .outOfRange,
                name,
                text,
                range.lowerBound,
                "\(name)=\(text) is out of range; \(name) must be at least 1"
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
                    "\(name) has an empty list element; \(Self.accepted[name]!)"
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
                        "\(name) value \(text) is out of range; \(Self.accepted[name]!)"
                    )
                }
            } else {
                fail(
                    .invalidValue,
                    name,
                    text,
                    element.lowerBound,
                    "\(name) value \"\(text)\" is not a\(signed ? "" : "n unsigned") whole number; \(Self.accepted[name]!)"
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
                    "BYDAY has an empty list element; \(Self.accepted["BYDAY"]!)"
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
                    "BYDAY value \"\(text)\" is not a weekday; \(Self.accepted["BYDAY"]!)"
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
                    "BYDAY value \"\(text)\" has no valid ordinal before \(weekday.code); \(Self.accepted["BYDAY"]!)"
                )
                continue
            }
            if ordinal == 0 {
                fail(
                    .zeroOrdinal,
                    "BYDAY",
                    text,
                    element.lowerBound,
                    "BYDAY value \(text) has ordinal 0, which names no day; use 1...53 from the start or -53...-1"
                        + " from the end (1\(weekday.code), -1\(weekday.code))"
                )
            } else if abs(ordinal) > 53 {
                fail(
                    .outOfRange,
                    "BYDAY",
                    text,
                    element.lowerBound,
                    "BYDAY ordinal in \(text) is out of range; \(Self.accepted["BYDAY"]!)"
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
                "UNTIL=\(value) is not a date or date-time; \(Self.accepted["UNTIL"]!)"
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
            let why =
                if !(1...9999).contains(year) { "years run from 0001 to 9999" } else if !(1...12).contains(month) {
                    "there is no month \(month)"
                } else {
                    "\(Self.monthNames[month - 1]) \(year) has \(CivilDate.daysInMonth(year: year, month: month)) days"
                }
            fail(.invalidDate, "UNTIL", value, offset, "UNTIL=\(value) is not a calendar date: \(why)")
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
                "UNTIL=\(value) is not a time of day: hours run 00...23, minutes and seconds 00...59"
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
        _ message: String
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

    private func unknownPartMessage(_ name: String) -> String {
        if ["DTSTART", "DTEND", "RDATE", "EXDATE", "EXRULE", "TZID", "DURATION"].contains(name) {
            return "\(name) is not part of an RRULE value; it is a property of its own"
        }
        if let suggestion = Self.aliases[name] ?? Suggestion.closest(to: name, among: Self.partNames) {
            return "unknown part \(name); did you mean \(suggestion)?"
        }
        return "unknown part \(name); the parts are " + Self.partNames.joined(separator: ", ")
    }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
}
