import Testing

@testable import Timeline

@Suite("TimeArgument")
struct TimeArgumentTests {
    @Test(arguments: [
        ("2030-06-10", "2030-06-10T00:00:00Z"),
        ("2030-06-10T09:30", "2030-06-10T09:30:00Z"),
        ("2030-06-10T09:30:15Z", "2030-06-10T09:30:15Z"),
        ("2030-06-10T09:30:00+02:00", "2030-06-10T07:30:00Z"),
        ("2030-06-10 09:30:00-05:30", "2030-06-10T15:00:00Z"),
    ])
    func parsesDatesAndTimes(text: String, expected: String) throws {
        let instant = try TimeArgument.parse(text, option: "--from", zone: .utc, now: Instant(secondsSinceEpoch: 0))
        #expect(instant.description == expected)
    }

    @Test(arguments: ["2030-02-30", "tomorrow", "2030-06-10T25:00", "2030-06-10T09:30+2", ""])
    func rejectsWhatIsNotATime(text: String) {
        #expect(throws: (any Error).self) {
            try TimeArgument.parse(text, option: "--from", zone: .utc, now: Instant(secondsSinceEpoch: 0))
        }
    }

    /// A bare date as `--to` means through its last second, which on a DST day is not 86,399 s after midnight.
    @Test(arguments: [
        ("2030-10-27", "2030-10-27T22:59:59Z"),  // 25 hours: CEST until 03:00, then CET
        ("2030-03-31", "2030-03-31T21:59:59Z"),  // 23 hours
        ("2030-06-10", "2030-06-10T21:59:59Z"),
        ("2030-06-10T09:30", "2030-06-10T07:30:00Z"),  // a time is taken as it is
    ])
    func endOfRangeIsTheLastSecondOfABareDate(text: String, expected: String) throws {
        let paris = try ZoneDatabase().zone("Europe/Paris")
        let end = try TimeArgument.parseEnd(text, option: "--to", zone: paris, now: Instant(secondsSinceEpoch: 0))
        #expect(end.description == expected)
    }

    @Test func nowIsTheInstantGiven() throws {
        let now = Instant(secondsSinceEpoch: 1_781_083_800)
        #expect(try TimeArgument.parse("now", option: "--now", zone: .utc, now: now) == now)
    }

    @Test func errorNamesTheOptionTheTextAndTheAcceptedForms() throws {
        let expected = TimeArgumentError(option: "--to", text: "tomorrow")
        #expect(throws: expected) {
            try TimeArgument.parse("tomorrow", option: "--to", zone: .utc, now: Instant(secondsSinceEpoch: 0))
        }
        #expect(
            expected.description == "--to: \"tomorrow\" is not a date or time; accepted: now, 2026-06-10, "
                + "2026-06-10T09:30, 2026-06-10T09:30:00Z, 2026-06-10T09:30:00+02:00"
        )
    }
}
