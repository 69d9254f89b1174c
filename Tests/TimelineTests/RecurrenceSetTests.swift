import Testing

@testable import Timeline

@Suite("RecurrenceSet")
struct RecurrenceSetTests {
    private let start = RecurrenceTesting.basic("20240101T090000")

    private func at(_ text: String) -> CivilDateTime { RecurrenceTesting.basic(text) }

    @Test func mergesRuleAndDatesAscendingWithoutRepeats() throws {
        let set = RecurrenceSet(
            start: start,
            rule: try RecurrenceRule(parsing: "FREQ=DAILY;COUNT=3"),
            dates: [at("20240102T090000"), at("20240101T120000"), at("20231231T090000"), at("20240101T120000")]
        )
        #expect(
            Array(set).map(\.description) == [
                "2023-12-31T09:00:00", "2024-01-01T09:00:00", "2024-01-01T12:00:00", "2024-01-02T09:00:00",
                "2024-01-03T09:00:00",
            ]
        )
    }

    @Test func exceptionsRemoveFromBothRuleAndDates() throws {
        let set = RecurrenceSet(
            start: start,
            rule: try RecurrenceRule(parsing: "FREQ=DAILY;COUNT=4"),
            dates: [at("20240110T090000")],
            exceptions: [at("20240102T090000"), at("20240110T090000"), at("20240103T100000")]
        )
        #expect(Array(set) == RecurrenceTesting.nine(2024, 1, 1, 3, 4))
    }

    @Test func startIsNotAddedUnlessGivenAsADate() throws {
        let rule = try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13")
        let tuesday = at("19970902T090000")
        #expect(RecurrenceSet(start: tuesday, rule: rule).first(onOrAfter: tuesday) == at("19980213T090000"))
        #expect(RecurrenceSet(start: tuesday, rule: rule, dates: [tuesday]).first(onOrAfter: tuesday) == tuesday)
    }

    @Test func fridayThe13thExampleWithItsExdate() throws {
        // RFC 5545's own form: DTSTART counted as an instance, then excluded by EXDATE.
        let tuesday = at("19970902T090000")
        let set = RecurrenceSet(
            start: tuesday,
            rule: try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13"),
            dates: [tuesday],
            exceptions: [tuesday]
        )
        #expect(
            Array(set.prefix(5))
                == RecurrenceTesting.nine(1998, 2, 13) + RecurrenceTesting.nine(1998, 3, 13)
                + RecurrenceTesting.nine(1998, 11, 13) + RecurrenceTesting.nine(1999, 8, 13)
                + RecurrenceTesting.nine(2000, 10, 13)
        )
    }

    @Test func datesAloneWithoutARule() {
        let set = RecurrenceSet(start: start, dates: [at("20240301T090000"), at("20240201T090000")])
        #expect(Array(set) == [at("20240201T090000"), at("20240301T090000")])
        #expect(Array(RecurrenceSet(start: start)).isEmpty)
    }

    @Test func untilLocalBoundsTheRuleButNotTheDates() throws {
        let set = RecurrenceSet(
            start: start,
            rule: try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=20240102T140000Z"),
            untilLocal: at("20240102T090000"),
            dates: [at("20240105T090000")]
        )
        #expect(Array(set) == RecurrenceTesting.nine(2024, 1, 1, 2, 5))
    }

    @Test func firstOnOrAfterAndAfterSeek() throws {
        let set = RecurrenceSet(
            start: at("19900101T090000"),
            rule: try RecurrenceRule(parsing: "FREQ=WEEKLY;BYDAY=MO"),
            exceptions: [at("20240108T090000")]
        )
        #expect(set.first(onOrAfter: at("20240101T090000")) == at("20240101T090000"))
        #expect(set.first(after: at("20240101T090000")) == at("20240115T090000"))
        #expect(set.first(onOrAfter: at("20240102T000000")) == at("20240115T090000"))
    }

    @Test func endlessRuleStaysLazyAndExceptionsAreSkippedInPlace() throws {
        let set = RecurrenceSet(
            start: start,
            rule: try RecurrenceRule(parsing: "FREQ=DAILY"),
            dates: [at("20240102T090000")],
            exceptions: [at("20240103T090000")]
        )
        #expect(Array(set.prefix(3)) == RecurrenceTesting.nine(2024, 1, 1, 2, 4))
    }

    @Test func neverOccurringRuleLeavesOnlyTheDates() throws {
        let set = RecurrenceSet(
            start: start,
            rule: try RecurrenceRule(parsing: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"),
            dates: [at("20240601T090000")]
        )
        #expect(Array(set) == [at("20240601T090000")])
    }
}
