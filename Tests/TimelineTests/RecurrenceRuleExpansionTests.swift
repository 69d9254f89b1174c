import Testing

@testable import Timeline

/// Dates for the recurrence tests, written the way RFC 5545 and the fixtures write them.
enum RecurrenceTesting {
    /// `19970902T090000` (RFC 5545 basic form).
    static func basic(_ text: String) -> CivilDateTime {
        let digits = Array(text.utf8).map { Int($0) - 48 }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + digits[$1] } }
        return CivilDateTime(
            date: CivilDate(year: number(0..<4), month: number(4..<6), day: number(6..<8))!,
            hour: number(9..<11),
            minute: number(11..<13),
            second: number(13..<15)
        )!
    }

    /// `1997-09-02T09:00:00` (ISO 8601, as ``CivilDateTime/description`` prints it).
    static func iso(_ text: some StringProtocol) -> CivilDateTime? {
        let bytes = Array(text.utf8)
        guard bytes.count == 19 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            range.reduce(0) { total, index in
                guard let total, (48...57).contains(bytes[index]) else { return nil }
                return total * 10 + Int(bytes[index]) - 48
            }
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            let date = CivilDate(year: year, month: month, day: day)
        else { return nil }
        return CivilDateTime(date: date, hour: hour, minute: minute, second: second)
    }

    /// 09:00, the time of every RFC 5545 example, on each of `days` of `month` in `year`.
    static func nine(_ year: Int, _ month: Int, _ days: some Sequence<Int>) -> [CivilDateTime] {
        days.map { CivilDateTime(date: CivilDate(year: year, month: month, day: $0)!, hour: 9, minute: 0)! }
    }

    static func nine(_ year: Int, _ month: Int, _ days: Int...) -> [CivilDateTime] { nine(year, month, days) }

    /// Midnight on `year`-`month`-`day`.
    static func midnight(_ year: Int, _ month: Int, _ day: Int) -> CivilDateTime {
        CivilDateTime(date: CivilDate(year: year, month: month, day: day)!, secondOfDay: 0)
    }

    /// `rule` expanded from `start`, at most `limit` occurrences.
    static func expand(_ rule: String, from start: CivilDateTime, limit: Int = 100) throws -> [CivilDateTime] {
        let rule = try RecurrenceRule(parsing: rule)
        return Array(rule.occurrences(from: start, localTimeForUTC: { $0 }).prefix(limit))
    }
}

/// One example of RFC 5545 section 3.8.5.3, with the dates its text lists.
struct RFCExample: Sendable, CustomTestStringConvertible {
    let title: String
    let start: CivilDateTime
    let rule: String
    /// The example's zone (America/New_York) at its UTC `UNTIL`, in hours.
    let utcOffsetHours: Int
    let expected: [CivilDateTime]
    /// The RFC lists only the first occurrences of an endless rule.
    let endless: Bool

    init(
        _ title: String,
        _ start: String,
        _ rule: String,
        utcOffsetHours: Int = -5,
        endless: Bool = false,
        _ expected: [CivilDateTime]
    ) {
        self.title = title
        self.start = RecurrenceTesting.basic(start)
        self.rule = rule
        self.utcOffsetHours = utcOffsetHours
        self.expected = expected
        self.endless = endless
    }

    var testDescription: String { title }
}

private func nine(_ year: Int, _ month: Int, _ days: some Sequence<Int>) -> [CivilDateTime] {
    RecurrenceTesting.nine(year, month, days)
}

private func nine(_ year: Int, _ month: Int, _ days: Int...) -> [CivilDateTime] {
    RecurrenceTesting.nine(year, month, days)
}

private func every(_ first: Int, through last: Int, by step: Int = 1) -> StrideThrough<Int> {
    stride(from: first, through: last, by: step)
}

/// Every example of RFC 5545 section 3.8.5.3 whose parts are supported (all but HOURLY and MINUTELY).
let rfc5545Examples: [RFCExample] = [
    .init("Daily for 10 occurrences", "19970902T090000", "FREQ=DAILY;COUNT=10", nine(1997, 9, 2...11)),
    .init(
        "Daily until December 24, 1997",
        "19970902T090000",
        "FREQ=DAILY;UNTIL=19971224T000000Z",
        nine(1997, 9, 2...30) + nine(1997, 10, 1...31) + nine(1997, 11, 1...30) + nine(1997, 12, 1...23)
    ),
    .init(
        "Every other day - forever",
        "19970902T090000",
        "FREQ=DAILY;INTERVAL=2",
        endless: true,
        nine(1997, 9, every(2, through: 30, by: 2)) + nine(1997, 10, every(2, through: 30, by: 2))
            + nine(1997, 11, every(1, through: 29, by: 2)) + nine(1997, 12, 1, 3)
    ),
    .init(
        "Every 10 days, 5 occurrences",
        "19970902T090000",
        "FREQ=DAILY;INTERVAL=10;COUNT=5",
        nine(1997, 9, 2, 12, 22) + nine(1997, 10, 2, 12)
    ),
    .init(
        "Every day in January, for 3 years (YEARLY)",
        "19980101T090000",
        "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
        nine(1998, 1, 1...31) + nine(1999, 1, 1...31) + nine(2000, 1, 1...31)
    ),
    .init(
        "Every day in January, for 3 years (DAILY)",
        "19980101T090000",
        "FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1",
        nine(1998, 1, 1...31) + nine(1999, 1, 1...31) + nine(2000, 1, 1...31)
    ),
    .init(
        "Weekly for 10 occurrences",
        "19970902T090000",
        "FREQ=WEEKLY;COUNT=10",
        nine(1997, 9, 2, 9, 16, 23, 30) + nine(1997, 10, 7, 14, 21, 28) + nine(1997, 11, 4)
    ),
    .init(
        "Weekly until December 24, 1997",
        "19970902T090000",
        "FREQ=WEEKLY;UNTIL=19971224T000000Z",
        nine(1997, 9, 2, 9, 16, 23, 30) + nine(1997, 10, 7, 14, 21, 28) + nine(1997, 11, 4, 11, 18, 25)
            + nine(1997, 12, 2, 9, 16, 23)
    ),
    .init(
        "Every other week - forever",
        "19970902T090000",
        "FREQ=WEEKLY;INTERVAL=2;WKST=SU",
        endless: true,
        nine(1997, 9, 2, 16, 30) + nine(1997, 10, 14, 28) + nine(1997, 11, 11, 25) + nine(1997, 12, 9, 23)
            + nine(1998, 1, 6, 20) + nine(1998, 2, 3, 17)
    ),
    .init(
        "Weekly on Tuesday and Thursday for five weeks (UNTIL)",
        "19970902T090000",
        "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",
        utcOffsetHours: -4,
        nine(1997, 9, 2, 4, 9, 11, 16, 18, 23, 25, 30) + nine(1997, 10, 2)
    ),
    .init(
        "Weekly on Tuesday and Thursday for five weeks (COUNT)",
        "19970902T090000",
        "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH",
        nine(1997, 9, 2, 4, 9, 11, 16, 18, 23, 25, 30) + nine(1997, 10, 2)
    ),
    .init(
        "Every other week on Monday, Wednesday, and Friday until December 24, 1997",
        "19970901T090000",
        "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
        nine(1997, 9, 1, 3, 5, 15, 17, 19, 29) + nine(1997, 10, 1, 3, 13, 15, 17, 27, 29, 31)
            + nine(1997, 11, 10, 12, 14, 24, 26, 28) + nine(1997, 12, 8, 10, 12, 22)
    ),
    .init(
        "Every other week on Tuesday and Thursday, for 8 occurrences",
        "19970902T090000",
        "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH",
        nine(1997, 9, 2, 4, 16, 18, 30) + nine(1997, 10, 2, 14, 16)
    ),
    .init(
        "Monthly on the first Friday for 10 occurrences",
        "19970905T090000",
        "FREQ=MONTHLY;COUNT=10;BYDAY=1FR",
        nine(1997, 9, 5) + nine(1997, 10, 3) + nine(1997, 11, 7) + nine(1997, 12, 5) + nine(1998, 1, 2)
            + nine(1998, 2, 6) + nine(1998, 3, 6) + nine(1998, 4, 3) + nine(1998, 5, 1) + nine(1998, 6, 5)
    ),
    .init(
        "Monthly on the first Friday until December 24, 1997",
        "19970905T090000",
        "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR",
        nine(1997, 9, 5) + nine(1997, 10, 3) + nine(1997, 11, 7) + nine(1997, 12, 5)
    ),
    .init(
        "Every other month on the first and last Sunday of the month for 10 occurrences",
        "19970907T090000",
        "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
        nine(1997, 9, 7, 28) + nine(1997, 11, 2, 30) + nine(1998, 1, 4, 25) + nine(1998, 3, 1, 29)
            + nine(1998, 5, 3, 31)
    ),
    .init(
        "Monthly on the second-to-last Monday of the month for 6 months",
        "19970922T090000",
        "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
        nine(1997, 9, 22) + nine(1997, 10, 20) + nine(1997, 11, 17) + nine(1997, 12, 22) + nine(1998, 1, 19)
            + nine(1998, 2, 16)
    ),
    .init(
        "Monthly on the third-to-the-last day of the month, forever",
        "19970928T090000",
        "FREQ=MONTHLY;BYMONTHDAY=-3",
        endless: true,
        nine(1997, 9, 28) + nine(1997, 10, 29) + nine(1997, 11, 28) + nine(1997, 12, 29) + nine(1998, 1, 29)
            + nine(1998, 2, 26)
    ),
    .init(
        "Monthly on the 2nd and 15th of the month for 10 occurrences",
        "19970902T090000",
        "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15",
        nine(1997, 9, 2, 15) + nine(1997, 10, 2, 15) + nine(1997, 11, 2, 15) + nine(1997, 12, 2, 15)
            + nine(1998, 1, 2, 15)
    ),
    .init(
        "Monthly on the first and last day of the month for 10 occurrences",
        "19970930T090000",
        "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1",
        nine(1997, 9, 30) + nine(1997, 10, 1, 31) + nine(1997, 11, 1, 30) + nine(1997, 12, 1, 31)
            + nine(1998, 1, 1, 31) + nine(1998, 2, 1)
    ),
    .init(
        "Every 18 months on the 10th thru 15th of the month for 10 occurrences",
        "19970910T090000",
        "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15",
        nine(1997, 9, 10...15) + nine(1999, 3, 10...13)
    ),
    .init(
        "Every Tuesday, every other month",
        "19970902T090000",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU",
        endless: true,
        nine(1997, 9, 2, 9, 16, 23, 30) + nine(1997, 11, 4, 11, 18, 25) + nine(1998, 1, 6, 13, 20, 27)
            + nine(1998, 3, 3, 10, 17, 24, 31)
    ),
    .init(
        "Yearly in June and July for 10 occurrences",
        "19970610T090000",
        "FREQ=YEARLY;COUNT=10;BYMONTH=6,7",
        (1997...2001).flatMap { nine($0, 6, 10) + nine($0, 7, 10) }
    ),
    .init(
        "Every other year on January, February, and March for 10 occurrences",
        "19970310T090000",
        "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3",
        nine(1997, 3, 10) + [1999, 2001, 2003].flatMap { nine($0, 1, 10) + nine($0, 2, 10) + nine($0, 3, 10) }
    ),
    .init(
        "Every third year on the 1st, 100th, and 200th day for 10 occurrences",
        "19970101T090000",
        "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200",
        nine(1997, 1, 1) + nine(1997, 4, 10) + nine(1997, 7, 19) + nine(2000, 1, 1) + nine(2000, 4, 9)
            + nine(2000, 7, 18) + nine(2003, 1, 1) + nine(2003, 4, 10) + nine(2003, 7, 19) + nine(2006, 1, 1)
    ),
    .init(
        "Every 20th Monday of the year, forever",
        "19970519T090000",
        "FREQ=YEARLY;BYDAY=20MO",
        endless: true,
        nine(1997, 5, 19) + nine(1998, 5, 18) + nine(1999, 5, 17)
    ),
    .init(
        "Monday of week number 20 (where the default start of the week is Monday), forever",
        "19970512T090000",
        "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
        endless: true,
        nine(1997, 5, 12) + nine(1998, 5, 11) + nine(1999, 5, 17)
    ),
    .init(
        "Every Thursday in March, forever",
        "19970313T090000",
        "FREQ=YEARLY;BYMONTH=3;BYDAY=TH",
        endless: true,
        nine(1997, 3, 13, 20, 27) + nine(1998, 3, 5, 12, 19, 26) + nine(1999, 3, 4, 11, 18, 25)
    ),
    .init(
        "Every Thursday, but only during June, July, and August, forever",
        "19970605T090000",
        "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8",
        endless: true,
        nine(1997, 6, 5, 12, 19, 26) + nine(1997, 7, 3, 10, 17, 24, 31) + nine(1997, 8, 7, 14, 21, 28)
            + nine(1998, 6, 4, 11, 18, 25) + nine(1998, 7, 2, 9, 16, 23, 30) + nine(1998, 8, 6, 13, 20, 27)
            + nine(1999, 6, 3, 10, 17, 24) + nine(1999, 7, 1, 8, 15, 22, 29) + nine(1999, 8, 5, 12, 19, 26)
    ),
    // The RFC also lists EXDATE:19970902T090000; with dateutil's convention DTSTART is not an occurrence
    // anyway, as it is not a Friday the 13th (RecurrenceSetTests runs the example with the EXDATE).
    .init(
        "Every Friday the 13th, forever",
        "19970902T090000",
        "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
        endless: true,
        nine(1998, 2, 13) + nine(1998, 3, 13) + nine(1998, 11, 13) + nine(1999, 8, 13) + nine(2000, 10, 13)
    ),
    .init(
        "The first Saturday that follows the first Sunday of the month, forever",
        "19970913T090000",
        "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13",
        endless: true,
        nine(1997, 9, 13) + nine(1997, 10, 11) + nine(1997, 11, 8) + nine(1997, 12, 13) + nine(1998, 1, 10)
            + nine(1998, 2, 7) + nine(1998, 3, 7) + nine(1998, 4, 11) + nine(1998, 5, 9) + nine(1998, 6, 13)
    ),
    .init(
        "Every 4 years, the first Tuesday after a Monday in November, forever (U.S. Presidential Election day)",
        "19961105T090000",
        "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8",
        endless: true,
        nine(1996, 11, 5) + nine(2000, 11, 7) + nine(2004, 11, 2)
    ),
    .init(
        "The third instance into the month of one of Tuesday, Wednesday, or Thursday, for the next 3 months",
        "19970904T090000",
        "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3",
        nine(1997, 9, 4) + nine(1997, 10, 7) + nine(1997, 11, 6)
    ),
    .init(
        "The second-to-last weekday of the month",
        "19970929T090000",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
        endless: true,
        nine(1997, 9, 29) + nine(1997, 10, 30) + nine(1997, 11, 27) + nine(1997, 12, 30) + nine(1998, 1, 29)
            + nine(1998, 2, 26) + nine(1998, 3, 30)
    ),
    .init(
        "Every 20 minutes from 9:00 AM to 4:40 PM every day",
        "19970902T090000",
        "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40",
        endless: true,
        [2, 3].flatMap { day in
            (9...16).flatMap { hour in
                [0, 20, 40].map {
                    CivilDateTime(date: CivilDate(year: 1997, month: 9, day: day)!, hour: hour, minute: $0)!
                }
            }
        }
    ),
    .init(
        "An example where the days generated makes a difference because of WKST (MO)",
        "19970805T090000",
        "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
        nine(1997, 8, 5, 10, 19, 24)
    ),
    .init(
        "An example where the days generated makes a difference because of WKST (SU)",
        "19970805T090000",
        "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
        nine(1997, 8, 5, 17, 19, 31)
    ),
    .init(
        "An example where an invalid date (i.e., February 30) is ignored",
        "20070115T090000",
        "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5",
        nine(2007, 1, 15, 30) + nine(2007, 2, 15) + nine(2007, 3, 15, 30)
    ),
]

@Suite("RecurrenceRule expansion")
struct RecurrenceRuleExpansionTests {
    @Test(arguments: rfc5545Examples)
    func matchesTheRFC5545Example(_ example: RFCExample) throws {
        let rule = try RecurrenceRule(parsing: example.rule)
        let occurrences = rule.occurrences(
            from: example.start,
            localTimeForUTC: { $0.adding(seconds: Int64(example.utcOffsetHours) * 3600) }
        )
        // For a finite rule, also check that nothing follows the listed dates.
        let produced = Array(occurrences.prefix(example.expected.count + (example.endless ? 0 : 1)))
        #expect(produced == example.expected)
    }

    @Test func coversEveryRFC5545ExampleWithSupportedParts() {
        // 36 examples use only DAILY...YEARLY (the HOURLY and MINUTELY ones are left out); the RFC gives two
        // of them in two forms.
        #expect(rfc5545Examples.count == 38)
    }

    // MARK: - dateutil's conventions

    @Test func startIsNotAnOccurrenceUnlessItMatches() throws {
        let start = RecurrenceTesting.basic("20240103T090000")  // a Wednesday
        #expect(try RecurrenceTesting.expand("FREQ=WEEKLY;BYDAY=MO;COUNT=2", from: start) == nine(2024, 1, 8, 15))
    }

    @Test func occurrencesBeforeStartInItsPeriodAreNotProducedOrCounted() throws {
        let start = RecurrenceTesting.basic("20240115T090000")
        #expect(
            try RecurrenceTesting.expand("FREQ=MONTHLY;BYMONTHDAY=1,10,20;COUNT=3", from: start)
                == nine(2024, 1, 20) + nine(2024, 2, 1, 10)
        )
    }

    @Test func missingDaysAreSkippedNotClamped() throws {
        let start = RecurrenceTesting.basic("20141231T000000")
        #expect(
            try RecurrenceTesting.expand("FREQ=MONTHLY;COUNT=4", from: start)
                == [(2014, 12), (2015, 1), (2015, 3), (2015, 5)].map { RecurrenceTesting.midnight($0.0, $0.1, 31) }
        )
    }

    @Test func yearlyTakesMonthAndDayFromStart() throws {
        let start = RecurrenceTesting.basic("20200229T000000")
        #expect(
            try RecurrenceTesting.expand("FREQ=YEARLY;COUNT=3", from: start)
                == [2020, 2024, 2028].map { RecurrenceTesting.midnight($0, 2, 29) }
        )
    }

    @Test func timesDefaultToStartsAndMultiplyWithByHour() throws {
        let start = RecurrenceTesting.basic("20240101T081530")
        let produced = try RecurrenceTesting.expand("FREQ=DAILY;BYHOUR=7,12;COUNT=3", from: start)
        #expect(produced.map(\.description) == ["2024-01-01T12:15:30", "2024-01-02T07:15:30", "2024-01-02T12:15:30"])
    }

    @Test func dateUntilMeansMidnightOfThatDateLikeDateutil() throws {
        let rule = "FREQ=DAILY;UNTIL=19970905"
        #expect(
            try RecurrenceTesting.expand(rule, from: RecurrenceTesting.basic("19970902T090000")) == nine(1997, 9, 2...4)
        )
        #expect(
            try RecurrenceTesting.expand(rule, from: RecurrenceTesting.basic("19970902T000000"))
                == (2...5).map { RecurrenceTesting.midnight(1997, 9, $0) }
        )
    }

    @Test func untilLocalIsTheOnlyBoundTheExpanderUses() throws {
        let rule = try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=19970905T090000Z")
        let start = RecurrenceTesting.basic("19970902T090000")
        #expect(Array(rule.occurrences(from: start, untilLocal: nil).prefix(6)).count == 6)
        #expect(
            Array(rule.occurrences(from: start, untilLocal: RecurrenceTesting.basic("19970903T090000")))
                == nine(1997, 9, 2, 3)
        )
        #expect(
            Array(rule.occurrences(from: start, localTimeForUTC: { $0.adding(seconds: -4 * 3600) }))
                == nine(1997, 9, 2...4)
        )
    }

    @Test func ordinalsAreIgnoredBelowMonthlyLikeDateutil() {
        // The parser refuses `FREQ=WEEKLY;BYDAY=2MO`; a rule built in code gets dateutil's reading.
        let rule = RecurrenceRule(frequency: .weekly, count: 3, byDay: [.init(.monday, ordinal: 2)])
        #expect(
            Array(rule.occurrences(from: RecurrenceTesting.basic("20240101T090000"), untilLocal: nil))
                == nine(2024, 1, 1, 8, 15)
        )
    }

    @Test func yearlyOrdinalsCountWithinEachByMonth() throws {
        let start = RecurrenceTesting.basic("20240101T090000")
        #expect(
            try RecurrenceTesting.expand("FREQ=YEARLY;BYMONTH=1,3;BYDAY=-1FR;COUNT=4", from: start)
                == nine(2024, 1, 26) + nine(2024, 3, 29) + nine(2025, 1, 31) + nine(2025, 3, 28)
        )
    }

    @Test func untilDoesNotShrinkThePeriodSetPositionCountsIn() throws {
        // The last Friday of the week is after UNTIL, so nothing in that week: not the Monday.
        let start = RecurrenceTesting.basic("19920504T000000")
        #expect(
            try RecurrenceTesting.expand("FREQ=WEEKLY;BYDAY=MO,FR;BYSETPOS=-1;UNTIL=19920511T120000", from: start)
                == [RecurrenceTesting.midnight(1992, 5, 8)]
        )
    }

    @Test func setPositionPicksFromTheTimesOfTheDayToo() throws {
        let start = RecurrenceTesting.basic("20240101T000000")
        let produced = try RecurrenceTesting.expand("FREQ=DAILY;BYHOUR=8,12,18;BYSETPOS=-1;COUNT=2", from: start)
        #expect(produced.map(\.description) == ["2024-01-01T18:00:00", "2024-01-02T18:00:00"])
    }

    // MARK: - Where RFC 5545 is clear and dateutil 2.9 differs

    @Test func plainAndOrdinalWeekdaysTogetherMeanEither() throws {
        // dateutil requires both, so it never occurs there.
        let start = RecurrenceTesting.basic("20240101T090000")
        #expect(
            try RecurrenceTesting.expand("FREQ=MONTHLY;BYDAY=MO,1FR;COUNT=6", from: start)
                == nine(2024, 1, 1, 5, 8, 15, 22, 29)
        )
    }

    @Test func weeklySetPositionCountsFromTheStartOfTheWeek() throws {
        // dateutil starts the first week at DTSTART (a Wednesday) and so gives 5 January first.
        let start = RecurrenceTesting.basic("20240103T090000")
        #expect(
            try RecurrenceTesting.expand("FREQ=WEEKLY;BYDAY=MO,FR;BYSETPOS=1;COUNT=3", from: start)
                == nine(2024, 1, 8, 15, 22)
        )
    }

    @Test func weekNumbersAtTheYearBoundaryFollowISO8601() throws {
        // 1 January 2011 is a Saturday in week 52 of 2010; dateutil calls it week 53.
        let start = RecurrenceTesting.basic("20100101T000000")
        #expect(
            try RecurrenceTesting.expand("FREQ=YEARLY;BYWEEKNO=52;BYDAY=SA;COUNT=3", from: start)
                == [(2011, 1, 1), (2011, 12, 31), (2012, 12, 29)].map { RecurrenceTesting.midnight($0.0, $0.1, $0.2) }
        )
        // 31 December 2047 is in week 1 of 2048, which has 53 weeks: week -53. dateutil skips it.
        #expect(
            try RecurrenceTesting.expand(
                "FREQ=YEARLY;BYWEEKNO=-53;BYDAY=TU",
                from: RecurrenceTesting.basic("20470101T000000"),
                limit: 1
            )
                == [RecurrenceTesting.midnight(2047, 12, 31)]
        )
    }

    // MARK: - Termination and laziness

    @Test func endsAfterTheYear9999() throws {
        #expect(
            try RecurrenceTesting.expand("FREQ=YEARLY", from: RecurrenceTesting.basic("99900601T000000")).count == 10
        )
        #expect(
            try RecurrenceTesting.expand("FREQ=DAILY", from: RecurrenceTesting.basic("99991230T120000")).map(
                \.description
            )
                == ["9999-12-30T12:00:00", "9999-12-31T12:00:00"]
        )
        // 9999-12-27 is a Monday; its week runs past the end of time.
        #expect(
            try RecurrenceTesting.expand(
                "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
                from: RecurrenceTesting.basic("99991227T000000")
            ).count == 5
        )
        #expect(
            try RecurrenceTesting.expand("FREQ=MONTHLY;BYMONTHDAY=-1", from: RecurrenceTesting.basic("99991101T000000"))
                .count == 2
        )
    }

    @Test(arguments: [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31",
        "FREQ=DAILY;INTERVAL=3;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=WEEKLY;BYMONTH=2;BYDAY=MO;BYSETPOS=8",
        "FREQ=MONTHLY;BYMONTH=4,6,9,11;BYMONTHDAY=31",
        "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=YEARLY;BYYEARDAY=366;BYMONTH=1",
    ])
    func ruleShownNeverToOccurEndsAtOnce(_ text: String) throws {
        // Starts in April, so MONTHLY;INTERVAL=12 only ever visits Aprils.
        let start = RecurrenceTesting.basic("20240415T090000")
        let rule = try RecurrenceRule(parsing: text)
        var occurrences = rule.occurrences(from: start, untilLocal: nil).makeIterator()
        #expect(occurrences.next() == nil)
        #expect(rule.neverOccursReason(from: start) != nil)
    }

    /// Rules no static check sees never occur end after one 400-year calendar cycle of periods (the number
    /// given: 400 years, 4,800 months or 146,097 days, over the rule's step) instead of at the year 9999.
    @Test(arguments: [
        ("FREQ=DAILY;INTERVAL=7;BYDAY=TU", 20_871),
        ("FREQ=DAILY;INTERVAL=14;BYMONTH=2;BYDAY=WE", 20_871),
        ("FREQ=MONTHLY;BYMONTHDAY=31;BYDAY=1MO", 4800),
        ("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", 100),
        ("FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6", 400),
    ])
    func ruleThatNeverMatchesEndsAfterOneCalendarCycle(text: String, periods: Int) throws {
        // 2001-04-16 is a Monday, and 2001 + 4n is never a leap year.
        let start = RecurrenceTesting.basic("20010416T090000")
        let rule = try RecurrenceRule(parsing: text)
        var occurrences = rule.occurrences(from: start, untilLocal: nil).makeIterator()
        #expect(occurrences.next() == nil)
        #expect(occurrences.next() == nil)
        #expect(occurrences.periodsLoaded <= periods)
        #expect(rule.neverOccursReason(from: start)?.description.contains("no date in a whole 400-year cycle") == true)
    }

    @Test func ruleThatNeverMatchesBeforeUntilSaysSo() throws {
        let start = RecurrenceTesting.basic("20010416T090000")
        let rule = try RecurrenceRule(parsing: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;UNTIL=20030101")
        let until = rule.until?.localBound(localTimeForUTC: { $0 })
        #expect(
            rule.neverOccursReason(from: start, untilLocal: until)?.description.contains(
                "to UNTIL (2003-01-01T00:00:00)"
            ) == true
        )
    }

    @Test func hugeCountIsLazy() throws {
        let produced = try RecurrenceTesting.expand(
            "FREQ=DAILY;COUNT=1000000000",
            from: RecurrenceTesting.basic("20240101T090000"),
            limit: 3
        )
        #expect(produced == nine(2024, 1, 1...3))
    }

    @Test func sparseRuleFindsItsNextLeapDay() throws {
        let start = RecurrenceTesting.basic("20210301T000000")
        #expect(
            try RecurrenceTesting.expand("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=2", from: start)
                == [RecurrenceTesting.midnight(2024, 2, 29), RecurrenceTesting.midnight(2028, 2, 29)]
        )
        #expect(
            try RecurrenceTesting.expand("FREQ=WEEKLY;INTERVAL=3;BYMONTH=12;BYDAY=MO;COUNT=3", from: start)
                == [(2021, 12, 20), (2022, 12, 12), (2023, 12, 4)].map { RecurrenceTesting.midnight($0.0, $0.1, $0.2) }
        )
    }

    @Test func occurrencesFirstOnOrAfterSeeks() throws {
        let rule = try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=1FR")
        let occurrences = rule.occurrences(from: RecurrenceTesting.basic("19970905T090000"), untilLocal: nil)
        #expect(occurrences.first(onOrAfter: RecurrenceTesting.basic("20240101T000000")) == nine(2024, 1, 5).first)
        #expect(occurrences.first(onOrAfter: RecurrenceTesting.basic("20240105T090000")) == nine(2024, 1, 5).first)
    }

    // MARK: - neverOccursReason

    @Test(arguments: [
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30,31", "no calendar date matches BYMONTH=2;BYMONTHDAY=30,31"),
        ("FREQ=MONTHLY;BYMONTH=4,6,9,11;BYMONTHDAY=31", "BYMONTH=4,6,9,11;BYMONTHDAY=31"),
        ("FREQ=YEARLY;BYMONTH=2", "BYMONTHDAY=30 taken from DTSTART"),
        ("FREQ=YEARLY;BYYEARDAY=366;BYMONTH=1", "BYMONTH=1;BYYEARDAY=366"),
        ("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31", "in the months INTERVAL=12 reaches from DTSTART's month"),
        ("FREQ=YEARLY;BYMONTH=2;BYDAY=6MO,-7TU", "6MO,-7TU never occurs"),
        ("FREQ=WEEKLY;BYDAY=MO;BYSETPOS=8,-9", "a WEEKLY period has at most 1 candidate, so"),
        ("FREQ=WEEKLY;BYSETPOS=2;BYHOUR=6", "a WEEKLY period has at most 1 candidate, so"),
        ("FREQ=WEEKLY;BYDAY=MO,TU;BYHOUR=6,7;BYSETPOS=5", "a WEEKLY period has at most 4 candidates, so"),
    ])
    func neverOccursReasonExplains(rule: String, reason: String) throws {
        let start = RecurrenceTesting.basic("20240430T090000")
        let why = try #require(try RecurrenceRule(parsing: rule).neverOccursReason(from: start)).description
        #expect(why.contains(reason), "\(why)")
    }

    @Test(arguments: [
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=YEARLY;BYYEARDAY=366",
        "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=31", "FREQ=YEARLY;BYMONTH=2;BYDAY=5MO", "FREQ=DAILY;BYHOUR=9,10;BYSETPOS=2",
        "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO",
    ])
    func neverOccursReasonIsNilForRulesThatOccur(rule: String) throws {
        let start = RecurrenceTesting.basic("20240430T090000")
        let parsed = try RecurrenceRule(parsing: rule)
        #expect(parsed.neverOccursReason(from: start) == nil)
        #expect(Array(parsed.occurrences(from: start, untilLocal: nil).prefix(1)).count == 1)
    }

    @Test func neverOccursReasonNotesUntilBeforeStart() throws {
        let rule = try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=20240101")
        let start = RecurrenceTesting.basic("20240102T090000")
        let until = rule.until?.localBound(localTimeForUTC: { $0 })
        #expect(rule.neverOccursReason(from: start, untilLocal: until)?.description.contains("before DTSTART") == true)
        #expect(rule.neverOccursReason() == nil)
    }
}
