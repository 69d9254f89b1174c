import Testing

@testable import Timeline

@Suite("RecurrenceRule parsing")
struct RecurrenceRuleTests {
    @Test func parsesEveryPartIntoTheModel() throws {
        let rule = try RecurrenceRule(
            parsing: "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYMONTH=3,1;BYMONTHDAY=-1,15;BYDAY=-1FR,+2MO,SU;"
                + "BYHOUR=17,9;BYMINUTE=30;BYSECOND=0;BYSETPOS=-1,1;WKST=SU"
        )
        #expect(rule.frequency == .monthly)
        #expect(rule.interval == 2)
        #expect(rule.count == 10)
        #expect(rule.until == nil)
        #expect(rule.byMonth == [1, 3])
        #expect(rule.byMonthDay == [-1, 15])
        #expect(
            rule.byDay == [
                .init(.monday, ordinal: 2), .init(.friday, ordinal: -1), .init(.sunday),
            ]
        )
        #expect(rule.byHour == [9, 17])
        #expect(rule.byMinute == [30])
        #expect(rule.bySecond == [0])
        #expect(rule.bySetPosition == [-1, 1])
        #expect(rule.weekStart == .sunday)
    }

    @Test func yearlyOnlyPartsParse() throws {
        let rule = try RecurrenceRule(parsing: "FREQ=YEARLY;BYWEEKNO=20,-1;BYYEARDAY=1,-366;BYDAY=MO")
        #expect(rule.byWeekNumber == [-1, 20])
        #expect(rule.byYearDay == [-366, 1])
    }

    @Test(arguments: [
        ("FREQ=DAILY;UNTIL=19971224", RecurrenceRule.Until.date(CivilDate(year: 1997, month: 12, day: 24)!)),
        (
            "FREQ=DAILY;UNTIL=19971224T093000",
            .local(CivilDateTime(date: CivilDate(year: 1997, month: 12, day: 24)!, hour: 9, minute: 30)!)
        ),
        (
            "FREQ=DAILY;UNTIL=19971224T140000Z",
            .utc(CivilDateTime(date: CivilDate(year: 1997, month: 12, day: 24)!, hour: 14, minute: 0)!)
        ),
    ])
    func parsesTheThreeUntilForms(text: String, until: RecurrenceRule.Until) throws {
        #expect(try RecurrenceRule(parsing: text).until == until)
    }

    @Test func untilLocalBoundConvertsOnlyUTC() {
        let day = CivilDate(year: 1997, month: 12, day: 24)!
        let noon = CivilDateTime(date: day, hour: 12, minute: 0)!
        let minusFive: (CivilDateTime) -> CivilDateTime = { $0.adding(seconds: -5 * 3600) }
        #expect(
            RecurrenceRule.Until.date(day).localBound(localTimeForUTC: minusFive)
                == CivilDateTime(date: day, secondOfDay: 0)
        )
        #expect(RecurrenceRule.Until.local(noon).localBound(localTimeForUTC: minusFive) == noon)
        #expect(
            RecurrenceRule.Until.utc(noon).localBound(localTimeForUTC: minusFive) == noon.adding(seconds: -5 * 3600)
        )
    }

    @Test func acceptsPrefixLowercaseSpacesAndStraySemicolons() throws {
        let loose = try RecurrenceRule(parsing: "rrule:freq=weekly; byday = mo , we ;count=3;")
        let strict = try RecurrenceRule(parsing: "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3")
        #expect(loose == strict)
    }

    @Test func rfcStringIsCanonicalAndRoundTrips() throws {
        let rule = try RecurrenceRule(
            parsing: "RRULE:byday=-1fr,1fr;wkst=su;count=10;interval=2;freq=monthly;bymonth=6,1,6"
        )
        #expect(rule.rfcString == "FREQ=MONTHLY;COUNT=10;INTERVAL=2;BYDAY=-1FR,1FR;BYMONTH=1,6;WKST=SU")
        #expect(try RecurrenceRule(parsing: rule.rfcString) == rule)
        #expect("\(rule)" == rule.rfcString)
    }

    @Test(arguments: [
        "FREQ=DAILY", "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
        "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224;WKST=SU;BYDAY=MO,WE,FR",
        "FREQ=YEARLY;BYWEEKNO=-1,20;BYYEARDAY=-1,100;BYHOUR=9;BYMINUTE=0,30;BYSECOND=15;BYSETPOS=2",
    ])
    func everyValidRuleRoundTrips(text: String) throws {
        let rule = try RecurrenceRule(parsing: text)
        #expect(try RecurrenceRule(parsing: rule.rfcString) == rule)
    }

    /// One parse error: what the rule was, and the error it must give.
    struct ErrorCase: Sendable, CustomTestStringConvertible {
        let rule: String
        let kind: RecurrenceRuleError.Kind
        let part: String
        let value: String
        let offset: Int
        let message: String
        var testDescription: String { rule }
    }

    static let errorCases: [ErrorCase] = [
        .init(
            rule: "FREQ=DAILY;BYMONTHDAYS=3",
            kind: .unknownPart,
            part: "BYMONTHDAYS",
            value: "BYMONTHDAYS",
            offset: 11,
            message: "unknown part BYMONTHDAYS; did you mean BYMONTHDAY?"
        ),
        .init(
            rule: "FREQ=DAILY;BYWEEKDAY=MO",
            kind: .unknownPart,
            part: "BYWEEKDAY",
            value: "BYWEEKDAY",
            offset: 11,
            message: "did you mean BYDAY?"
        ),
        .init(
            rule: "FREQ=DAILY;DTSTART=19970101",
            kind: .unknownPart,
            part: "DTSTART",
            value: "DTSTART",
            offset: 11,
            message: "DTSTART is not part of an RRULE value"
        ),
        .init(
            rule: "FREQ=DAILY;COLOR=RED",
            kind: .unknownPart,
            part: "COLOR",
            value: "COLOR",
            offset: 11,
            message: "the parts are FREQ, UNTIL"
        ),
        .init(
            rule: "FREQ=DAILY;FREQ=WEEKLY",
            kind: .duplicatePart,
            part: "FREQ",
            value: "FREQ",
            offset: 11,
            message: "FREQ is given twice (first at offset 0)"
        ),
        .init(
            rule: "COUNT=3",
            kind: .missingFrequency,
            part: "FREQ",
            value: "",
            offset: 0,
            message: "the rule has no FREQ"
        ),
        .init(
            rule: "FREQ=HOURLY",
            kind: .unsupportedFrequency,
            part: "FREQ",
            value: "HOURLY",
            offset: 5,
            message: "FREQ=HOURLY is not supported; only DAILY, WEEKLY, MONTHLY and YEARLY are"
        ),
        .init(
            rule: "FREQ=WEEKLEY",
            kind: .invalidValue,
            part: "FREQ",
            value: "WEEKLEY",
            offset: 5,
            message: "did you mean WEEKLY?"
        ),
        .init(
            rule: "FREQ=DAILY;COUNT=ten",
            kind: .invalidValue,
            part: "COUNT",
            value: "ten",
            offset: 17,
            message: "COUNT takes a whole number from 1 up"
        ),
        .init(
            rule: "FREQ=DAILY;COUNT=0",
            kind: .outOfRange,
            part: "COUNT",
            value: "0",
            offset: 17,
            message: "COUNT must be at least 1"
        ),
        .init(
            rule: "FREQ=DAILY;INTERVAL=0",
            kind: .outOfRange,
            part: "INTERVAL",
            value: "0",
            offset: 20,
            message: "INTERVAL must be at least 1"
        ),
        .init(
            rule: "FREQ=DAILY;COUNT=",
            kind: .emptyValue,
            part: "COUNT",
            value: "",
            offset: 17,
            message: "COUNT has no value"
        ),
        .init(
            rule: "FREQ=DAILY;BYDAY=MO,,TU",
            kind: .emptyValue,
            part: "BYDAY",
            value: "",
            offset: 20,
            message: "BYDAY has an empty list element"
        ),
        .init(
            rule: "FREQ=DAILY;COUNT",
            kind: .malformedPart,
            part: "COUNT",
            value: "COUNT",
            offset: 11,
            message: "is not a NAME=VALUE part"
        ),
        .init(
            rule: "FREQ=MONTHLY;BYMONTHDAY=1,32",
            kind: .outOfRange,
            part: "BYMONTHDAY",
            value: "32",
            offset: 26,
            message: "BYMONTHDAY takes -31...-1 or 1...31"
        ),
        .init(
            rule: "RRULE:FREQ=MONTHLY;BYMONTHDAY=32",
            kind: .outOfRange,
            part: "BYMONTHDAY",
            value: "32",
            offset: 30,
            message: "BYMONTHDAY takes -31...-1 or 1...31"
        ),
        .init(
            rule: "FREQ=MONTHLY;BYMONTHDAY=0",
            kind: .outOfRange,
            part: "BYMONTHDAY",
            value: "0",
            offset: 24,
            message: "BYMONTHDAY takes -31...-1 or 1...31"
        ),
        .init(
            rule: "FREQ=DAILY;BYMONTH=-1",
            kind: .invalidValue,
            part: "BYMONTH",
            value: "-1",
            offset: 19,
            message: "BYMONTH takes 1...12"
        ),
        .init(
            rule: "FREQ=DAILY;BYHOUR=24",
            kind: .outOfRange,
            part: "BYHOUR",
            value: "24",
            offset: 18,
            message: "BYHOUR takes 0...23"
        ),
        .init(
            rule: "FREQ=YEARLY;BYYEARDAY=367",
            kind: .outOfRange,
            part: "BYYEARDAY",
            value: "367",
            offset: 22,
            message: "BYYEARDAY takes -366...-1 or 1...366"
        ),
        .init(
            rule: "FREQ=YEARLY;BYWEEKNO=-54",
            kind: .outOfRange,
            part: "BYWEEKNO",
            value: "-54",
            offset: 21,
            message: "BYWEEKNO takes -53...-1 or 1...53"
        ),
        .init(
            rule: "FREQ=YEARLY;BYSETPOS=400;BYMONTH=1",
            kind: .outOfRange,
            part: "BYSETPOS",
            value: "400",
            offset: 21,
            message: "BYSETPOS takes -366...-1 or 1...366"
        ),
        .init(
            rule: "FREQ=DAILY;WKST=XX",
            kind: .invalidValue,
            part: "WKST",
            value: "XX",
            offset: 16,
            message: "WKST takes MO, TU, WE, TH, FR, SA or SU"
        ),
        .init(
            rule: "FREQ=DAILY;BYDAY=FUN",
            kind: .invalidValue,
            part: "BYDAY",
            value: "FUN",
            offset: 17,
            message: "is not a weekday"
        ),
        .init(
            rule: "FREQ=MONTHLY;BYDAY=0MO",
            kind: .zeroOrdinal,
            part: "BYDAY",
            value: "0MO",
            offset: 19,
            message: "ordinal 0, which names no day"
        ),
        .init(
            rule: "FREQ=YEARLY;BYDAY=54MO",
            kind: .outOfRange,
            part: "BYDAY",
            value: "54MO",
            offset: 18,
            message: "ordinal -53...-1 or 1...53"
        ),
        .init(
            rule: "FREQ=MONTHLY;BYDAY=6MO",
            kind: .outOfRange,
            part: "BYDAY",
            value: "6MO",
            offset: 19,
            message: "with FREQ=MONTHLY it is -5...-1 or 1...5"
        ),
        .init(
            rule: "FREQ=DAILY;COUNT=5;UNTIL=20240101",
            kind: .conflictingParts,
            part: "UNTIL",
            value: "20240101",
            offset: 25,
            message: "COUNT and UNTIL cannot both be given"
        ),
        .init(
            rule: "FREQ=MONTHLY;BYWEEKNO=1",
            kind: .notAllowedWithFrequency,
            part: "BYWEEKNO",
            value: "1",
            offset: 22,
            message: "BYWEEKNO is only allowed with FREQ=YEARLY, not with FREQ=MONTHLY"
        ),
        .init(
            rule: "FREQ=WEEKLY;BYYEARDAY=100",
            kind: .notAllowedWithFrequency,
            part: "BYYEARDAY",
            value: "100",
            offset: 22,
            message: "BYYEARDAY is only allowed with FREQ=YEARLY"
        ),
        .init(
            rule: "FREQ=WEEKLY;BYMONTHDAY=1",
            kind: .notAllowedWithFrequency,
            part: "BYMONTHDAY",
            value: "1",
            offset: 23,
            message: "BYMONTHDAY is not allowed with FREQ=WEEKLY"
        ),
        .init(
            rule: "FREQ=WEEKLY;BYDAY=MO,2TU",
            kind: .notAllowedWithFrequency,
            part: "BYDAY",
            value: "2TU",
            offset: 21,
            message: "need FREQ=MONTHLY or FREQ=YEARLY; with FREQ=WEEKLY write TU"
        ),
        .init(
            rule: "FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO",
            kind: .notAllowedWithFrequency,
            part: "BYDAY",
            value: "1MO",
            offset: 30,
            message: "cannot be combined with BYWEEKNO"
        ),
        .init(
            rule: "FREQ=DAILY;BYSETPOS=1",
            kind: .setPositionWithoutFilter,
            part: "BYSETPOS",
            value: "1",
            offset: 20,
            message: "BYSETPOS picks from the days another BYxxx part gives"
        ),
        .init(
            rule: "FREQ=DAILY;UNTIL=20230230",
            kind: .invalidDate,
            part: "UNTIL",
            value: "20230230",
            offset: 17,
            message: "February 2023 has 28 days"
        ),
        .init(
            rule: "FREQ=DAILY;UNTIL=20231301",
            kind: .invalidDate,
            part: "UNTIL",
            value: "20231301",
            offset: 17,
            message: "there is no month 13"
        ),
        .init(
            rule: "FREQ=DAILY;UNTIL=20230101T250000",
            kind: .invalidDate,
            part: "UNTIL",
            value: "20230101T250000",
            offset: 17,
            message: "is not a time of day"
        ),
        .init(
            rule: "FREQ=DAILY;UNTIL=2023-01-01",
            kind: .invalidValue,
            part: "UNTIL",
            value: "2023-01-01",
            offset: 17,
            message: "UNTIL takes a date (19971224), a local date-time (19971224T090000) or a UTC date-time"
        ),
    ]

    /// The errors parsing `text` throws; empty when it parses.
    private func parseErrors(_ text: String) -> RecurrenceRuleError.List? {
        do throws(RecurrenceRuleError.List) {
            _ = try RecurrenceRule(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: errorCases)
    func reportsEachErrorWithPartValueOffsetAndMessage(_ expected: ErrorCase) throws {
        let errors = try #require(parseErrors(expected.rule))
        #expect(errors.count == 1, "\(errors)")
        let found = errors[0]
        #expect(found.kind == expected.kind)
        #expect(found.part == expected.part)
        #expect(found.value == expected.value)
        #expect(found.offset == expected.offset)
        #expect(found.message.contains(expected.message), "\(found.message)")
    }

    @Test func collectsEveryErrorInOffsetOrder() throws {
        let errors = try #require(parseErrors("BYMONTHDAY=32;COUNT=0;BYDAYS=MO;UNTIL=20230230;BYWEEKNO=5"))
        #expect(errors.map(\.kind) == [.missingFrequency, .outOfRange, .outOfRange, .unknownPart, .invalidDate])
        #expect(errors.map(\.offset) == [0, 11, 20, 22, 38])
        #expect(errors.description.split(separator: "\n").count == 5)
        #expect(errors.description.hasPrefix("offset 0: the rule has no FREQ"))
    }

    @Test func frequencyChecksStillRunBesideValueErrors() throws {
        let errors = try #require(parseErrors("FREQ=WEEKLY;BYMONTHDAY=1;COUNT=0"))
        #expect(errors.map(\.kind) == [.notAllowedWithFrequency, .outOfRange])
    }
}
