import Testing
import Timeline

// Expected values below come from the system's `zdump -v` and Python's `zoneinfo` over Debian 12's tzdata 2025b.

/// Helpers shared by the Zone*Tests files.
enum ZoneFixture {
    /// The system tz database every test reads.
    static let database = ZoneDatabase()

    /// A zone from the system database; fails the test if it is missing.
    static func zone(_ identifier: String) throws -> Zone {
        try database.zone(identifier)
    }

    /// `2021-03-28T02:30:00` as a wall-clock time.
    static func wall(_ text: String) -> CivilDateTime {
        let digits = text.split(whereSeparator: { "-T:".contains($0) }).map { Int($0)! }
        return CivilDateTime(
            date: CivilDate(year: digits[0], month: digits[1], day: digits[2])!,
            hour: digits[3],
            minute: digits[4],
            second: digits.count > 5 ? digits[5] : 0
        )!
    }

    /// `2021-03-28T01:30:00Z` as an instant.
    static func instant(_ text: String) -> Instant {
        Instant(secondsSinceEpoch: wall(String(text.dropLast())).secondsSinceEpoch)
    }
}

@Suite("Zone")
struct ZoneTests {
    struct OffsetCase: CustomTestStringConvertible, Sendable {
        let zone: String
        let instant: String
        let seconds: Int
        let abbreviation: String
        let isDST: Bool
        var testDescription: String { "\(zone) at \(instant)" }
    }

    @Test(arguments: [
        OffsetCase(
            zone: "Europe/Paris",
            instant: "2021-01-15T12:00:00Z",
            seconds: 3600,
            abbreviation: "CET",
            isDST: false
        ),
        OffsetCase(
            zone: "Europe/Paris",
            instant: "2021-07-15T12:00:00Z",
            seconds: 7200,
            abbreviation: "CEST",
            isDST: true
        ),
        OffsetCase(
            zone: "Europe/Paris",
            instant: "2021-03-28T00:59:59Z",
            seconds: 3600,
            abbreviation: "CET",
            isDST: false
        ),
        OffsetCase(
            zone: "Europe/Paris",
            instant: "2021-03-28T01:00:00Z",
            seconds: 7200,
            abbreviation: "CEST",
            isDST: true
        ),
        OffsetCase(
            zone: "Europe/Paris",
            instant: "2021-10-31T00:59:59Z",
            seconds: 7200,
            abbreviation: "CEST",
            isDST: true
        ),
        OffsetCase(
            zone: "Europe/Paris",
            instant: "2021-10-31T01:00:00Z",
            seconds: 3600,
            abbreviation: "CET",
            isDST: false
        ),
        // After the file's last transition (2037): the footer rule CET-1CEST,M3.5.0,M10.5.0/3.
        OffsetCase(
            zone: "Europe/Paris",
            instant: "2090-01-15T12:00:00Z",
            seconds: 3600,
            abbreviation: "CET",
            isDST: false
        ),
        OffsetCase(
            zone: "Europe/Paris",
            instant: "2090-07-15T12:00:00Z",
            seconds: 7200,
            abbreviation: "CEST",
            isDST: true
        ),
        OffsetCase(
            zone: "Europe/Paris",
            instant: "2090-03-26T00:59:59Z",
            seconds: 3600,
            abbreviation: "CET",
            isDST: false
        ),
        OffsetCase(
            zone: "Europe/Paris",
            instant: "2090-03-26T01:00:00Z",
            seconds: 7200,
            abbreviation: "CEST",
            isDST: true
        ),
        // Before 1911 Paris kept Paris Mean Time, +00:09:21.
        OffsetCase(
            zone: "Europe/Paris",
            instant: "1900-01-01T00:00:00Z",
            seconds: 561,
            abbreviation: "PMT",
            isDST: false
        ),
        OffsetCase(
            zone: "America/New_York",
            instant: "2021-01-15T12:00:00Z",
            seconds: -18000,
            abbreviation: "EST",
            isDST: false
        ),
        OffsetCase(
            zone: "America/New_York",
            instant: "2021-07-15T12:00:00Z",
            seconds: -14400,
            abbreviation: "EDT",
            isDST: true
        ),
        OffsetCase(
            zone: "America/New_York",
            instant: "2090-07-15T12:00:00Z",
            seconds: -14400,
            abbreviation: "EDT",
            isDST: true
        ),
        // Before the first transition: time type 0, local mean time.
        OffsetCase(
            zone: "America/New_York",
            instant: "1800-01-01T00:00:00Z",
            seconds: -17762,
            abbreviation: "LMT",
            isDST: false
        ),
        OffsetCase(
            zone: "Australia/Lord_Howe",
            instant: "2021-01-15T12:00:00Z",
            seconds: 39600,
            abbreviation: "+11",
            isDST: true
        ),
        OffsetCase(
            zone: "Australia/Lord_Howe",
            instant: "2021-07-15T12:00:00Z",
            seconds: 37800,
            abbreviation: "+1030",
            isDST: false
        ),
        OffsetCase(
            zone: "Australia/Lord_Howe",
            instant: "2090-01-15T12:00:00Z",
            seconds: 39600,
            abbreviation: "+11",
            isDST: true
        ),
        OffsetCase(
            zone: "Pacific/Apia",
            instant: "2011-12-30T09:59:59Z",
            seconds: -36000,
            abbreviation: "-10",
            isDST: true
        ),
        OffsetCase(
            zone: "Pacific/Apia",
            instant: "2011-12-30T10:00:00Z",
            seconds: 50400,
            abbreviation: "+14",
            isDST: true
        ),
        OffsetCase(
            zone: "Pacific/Apia",
            instant: "2030-06-01T00:00:00Z",
            seconds: 46800,
            abbreviation: "+13",
            isDST: false
        ),
        OffsetCase(
            zone: "Asia/Kathmandu",
            instant: "2021-07-15T12:00:00Z",
            seconds: 20700,
            abbreviation: "+0545",
            isDST: false
        ),
        OffsetCase(
            zone: "Pacific/Chatham",
            instant: "2021-01-15T12:00:00Z",
            seconds: 49500,
            abbreviation: "+1345",
            isDST: true
        ),
        OffsetCase(
            zone: "America/St_Johns",
            instant: "2021-07-15T12:00:00Z",
            seconds: -9000,
            abbreviation: "NDT",
            isDST: true
        ),
        OffsetCase(
            zone: "Europe/London",
            instant: "2021-07-15T12:00:00Z",
            seconds: 3600,
            abbreviation: "BST",
            isDST: true
        ),
    ])
    func offsetMatchesTzdata(_ example: OffsetCase) throws {
        let zone = try ZoneFixture.zone(example.zone)
        let offset = zone.offset(at: ZoneFixture.instant(example.instant))
        #expect(
            offset == ZoneOffset(seconds: example.seconds, abbreviation: example.abbreviation, isDST: example.isDST)
        )
    }

    @Test func localTimeAddsTheOffset() throws {
        let paris = try ZoneFixture.zone("Europe/Paris")
        #expect(
            paris.localTime(at: ZoneFixture.instant("2021-07-15T12:00:00Z")) == ZoneFixture.wall("2021-07-15T14:00:00")
        )
        let apia = try ZoneFixture.zone("Pacific/Apia")
        #expect(
            apia.localTime(at: ZoneFixture.instant("2011-12-30T09:59:59Z")) == ZoneFixture.wall("2011-12-29T23:59:59")
        )
        #expect(
            apia.localTime(at: ZoneFixture.instant("2011-12-30T10:00:00Z")) == ZoneFixture.wall("2011-12-31T00:00:00")
        )
    }

    struct ResolutionCase: CustomTestStringConvertible, Sendable {
        let zone: String
        let local: String
        let expected: LocalTimeResolution
        var testDescription: String { "\(zone) \(local)" }
    }

    @Test(arguments: [
        ResolutionCase(
            zone: "Europe/Paris",
            local: "2021-07-15T14:00:00",
            expected: .unique(ZoneFixture.instant("2021-07-15T12:00:00Z"))
        ),
        // Spring forward: 02:30 does not exist; RFC 5545 reads it with CET, so the clock shows 03:30 CEST.
        ResolutionCase(
            zone: "Europe/Paris",
            local: "2021-03-28T02:30:00",
            expected: .gap(ZoneFixture.instant("2021-03-28T01:30:00Z"), skippedSeconds: 3600)
        ),
        ResolutionCase(
            zone: "Europe/Paris",
            local: "2021-03-28T02:00:00",
            expected: .gap(ZoneFixture.instant("2021-03-28T01:00:00Z"), skippedSeconds: 3600)
        ),
        ResolutionCase(
            zone: "Europe/Paris",
            local: "2021-03-28T03:00:00",
            expected: .unique(ZoneFixture.instant("2021-03-28T01:00:00Z"))
        ),
        // Fall back: 02:30 happens twice, first in CEST.
        ResolutionCase(
            zone: "Europe/Paris",
            local: "2021-10-31T02:30:00",
            expected: .overlap(
                first: ZoneFixture.instant("2021-10-31T00:30:00Z"),
                second: ZoneFixture.instant("2021-10-31T01:30:00Z")
            )
        ),
        ResolutionCase(
            zone: "Europe/Paris",
            local: "2021-10-31T03:00:00",
            expected: .unique(ZoneFixture.instant("2021-10-31T02:00:00Z"))
        ),
        // Far future, from the footer rule.
        ResolutionCase(
            zone: "Europe/Paris",
            local: "2090-03-26T02:30:00",
            expected: .gap(ZoneFixture.instant("2090-03-26T01:30:00Z"), skippedSeconds: 3600)
        ),
        ResolutionCase(
            zone: "America/New_York",
            local: "2021-03-14T02:30:00",
            expected: .gap(ZoneFixture.instant("2021-03-14T07:30:00Z"), skippedSeconds: 3600)
        ),
        ResolutionCase(
            zone: "America/New_York",
            local: "2021-11-07T01:30:00",
            expected: .overlap(
                first: ZoneFixture.instant("2021-11-07T05:30:00Z"),
                second: ZoneFixture.instant("2021-11-07T06:30:00Z")
            )
        ),
        // Lord Howe moves by 30 minutes: gap 02:00-02:30 in October, overlap 01:30-02:00 in April.
        ResolutionCase(
            zone: "Australia/Lord_Howe",
            local: "2021-10-03T02:15:00",
            expected: .gap(ZoneFixture.instant("2021-10-02T15:45:00Z"), skippedSeconds: 1800)
        ),
        ResolutionCase(
            zone: "Australia/Lord_Howe",
            local: "2021-10-03T02:30:00",
            expected: .unique(ZoneFixture.instant("2021-10-02T15:30:00Z"))
        ),
        ResolutionCase(
            zone: "Australia/Lord_Howe",
            local: "2021-04-04T01:45:00",
            expected: .overlap(
                first: ZoneFixture.instant("2021-04-03T14:45:00Z"),
                second: ZoneFixture.instant("2021-04-03T15:15:00Z")
            )
        ),
        ResolutionCase(
            zone: "Australia/Lord_Howe",
            local: "2021-04-04T01:29:59",
            expected: .unique(ZoneFixture.instant("2021-04-03T14:29:59Z"))
        ),
        // Samoa skipped 2011-12-30 entirely: -10:00 to +14:00.
        ResolutionCase(
            zone: "Pacific/Apia",
            local: "2011-12-30T12:00:00",
            expected: .gap(ZoneFixture.instant("2011-12-30T22:00:00Z"), skippedSeconds: 86400)
        ),
        ResolutionCase(
            zone: "Pacific/Apia",
            local: "2011-12-30T00:00:00",
            expected: .gap(ZoneFixture.instant("2011-12-30T10:00:00Z"), skippedSeconds: 86400)
        ),
        ResolutionCase(
            zone: "Pacific/Apia",
            local: "2011-12-29T23:59:59",
            expected: .unique(ZoneFixture.instant("2011-12-30T09:59:59Z"))
        ),
        ResolutionCase(
            zone: "Pacific/Apia",
            local: "2011-12-31T00:00:00",
            expected: .unique(ZoneFixture.instant("2011-12-30T10:00:00Z"))
        ),
    ])
    func resolveFindsGapsAndOverlaps(_ example: ResolutionCase) throws {
        let zone = try ZoneFixture.zone(example.zone)
        #expect(zone.resolve(ZoneFixture.wall(example.local)) == example.expected)
    }

    @Test func instantForTakesTheRFC5545Choice() throws {
        let paris = try ZoneFixture.zone("Europe/Paris")
        let skipped = paris.instant(for: ZoneFixture.wall("2021-03-28T02:30:00"))
        #expect(skipped == ZoneFixture.instant("2021-03-28T01:30:00Z"))
        #expect(paris.localTime(at: skipped) == ZoneFixture.wall("2021-03-28T03:30:00"))
        #expect(paris.offset(at: skipped).abbreviation == "CEST")

        let repeated = paris.instant(for: ZoneFixture.wall("2021-10-31T02:30:00"))
        #expect(repeated == ZoneFixture.instant("2021-10-31T00:30:00Z"))
        #expect(paris.offset(at: repeated).abbreviation == "CEST")

        let apia = try ZoneFixture.zone("Pacific/Apia")
        let missingDay = apia.instant(for: ZoneFixture.wall("2011-12-30T09:00:00"))
        #expect(apia.localTime(at: missingDay) == ZoneFixture.wall("2011-12-31T09:00:00"))
    }

    struct TransitionCase: CustomTestStringConvertible, Sendable {
        let zone: String
        let after: String
        let next: String?
        var testDescription: String { "\(zone) after \(after)" }
    }

    @Test(arguments: [
        TransitionCase(zone: "Europe/Paris", after: "2021-01-01T00:00:00Z", next: "2021-03-28T01:00:00Z"),
        TransitionCase(zone: "Europe/Paris", after: "2021-03-28T01:00:00Z", next: "2021-10-31T01:00:00Z"),
        TransitionCase(zone: "Europe/Paris", after: "2021-03-28T00:59:59Z", next: "2021-03-28T01:00:00Z"),
        TransitionCase(zone: "Europe/Paris", after: "2090-01-01T00:00:00Z", next: "2090-03-26T01:00:00Z"),
        TransitionCase(zone: "America/New_York", after: "2090-01-01T00:00:00Z", next: "2090-03-12T07:00:00Z"),
        TransitionCase(zone: "Australia/Lord_Howe", after: "2090-01-01T00:00:00Z", next: "2090-04-01T15:00:00Z"),
        TransitionCase(zone: "Australia/Lord_Howe", after: "2021-06-01T00:00:00Z", next: "2021-10-02T15:30:00Z"),
        TransitionCase(zone: "Pacific/Apia", after: "2011-10-01T00:00:00Z", next: "2011-12-30T10:00:00Z"),
        // Samoa dropped DST in 2021; the file's no-op 2038 transition is not a change.
        TransitionCase(zone: "Pacific/Apia", after: "2021-04-03T14:00:00Z", next: nil),
        TransitionCase(zone: "Asia/Tokyo", after: "2021-01-01T00:00:00Z", next: nil),
        TransitionCase(zone: "UTC", after: "2021-01-01T00:00:00Z", next: nil),
    ])
    func nextTransitionFindsTheNextChange(_ example: TransitionCase) throws {
        let zone = try ZoneFixture.zone(example.zone)
        #expect(zone.nextTransition(after: ZoneFixture.instant(example.after)) == example.next.map(ZoneFixture.instant))
    }

    @Test func utcAndFixedOffsets() {
        let instant = ZoneFixture.instant("2021-03-28T01:30:00Z")
        #expect(Zone.utc.identifier == "UTC")
        #expect(Zone.utc.offset(at: instant) == ZoneOffset(seconds: 0, abbreviation: "UTC"))
        #expect(Zone.utc.localTime(at: instant) == ZoneFixture.wall("2021-03-28T01:30:00"))
        #expect(Zone.utc.nextTransition(after: instant) == nil)
        #expect(Zone.fixed(offsetSeconds: 0) == .utc)

        let plusOne = Zone.fixed(offsetSeconds: 3600)
        #expect(plusOne.identifier == "+01:00")
        #expect(plusOne.offset(at: instant).seconds == 3600)
        #expect(plusOne.resolve(ZoneFixture.wall("2021-03-28T02:30:00")) == .unique(instant))
        #expect(plusOne == Zone.fixed(offsetSeconds: 3600))
        #expect(plusOne != Zone.fixed(offsetSeconds: 7200))

        #expect(Zone.fixed(offsetSeconds: -(5 * 3600 + 30 * 60)).identifier == "-05:30")
        #expect(Zone.fixed(offsetSeconds: 5 * 3600 + 45 * 60 + 30).identifier == "+05:45:30")
        #expect(Zone.fixed(offsetSeconds: Int.max).offset(at: instant).seconds == Zone.maximumOffsetSeconds)
        #expect(Zone.fixed(offsetSeconds: -7200).localTime(at: instant) == ZoneFixture.wall("2021-03-27T23:30:00"))
    }

    @Test func zoneFromPosixTZString() throws {
        let zone = try Zone(identifier: "CET-1CEST,M3.5.0,M10.5.0/3", posixTZ: "CET-1CEST,M3.5.0,M10.5.0/3")
        #expect(zone.offset(at: ZoneFixture.instant("2021-07-15T12:00:00Z")).abbreviation == "CEST")
        #expect(
            zone.nextTransition(after: ZoneFixture.instant("2021-01-01T00:00:00Z"))
                == ZoneFixture.instant("2021-03-28T01:00:00Z")
        )
        #expect(
            zone.resolve(ZoneFixture.wall("2021-03-28T02:30:00"))
                == .gap(ZoneFixture.instant("2021-03-28T01:30:00Z"), skippedSeconds: 3600)
        )
        #expect(try Zone(identifier: "JST-9", posixTZ: "JST-9").isFixed)
    }

    @Test func equalityComparesIdentifierAndData() throws {
        let paris = try ZoneFixture.zone("Europe/Paris")
        #expect(paris == (try ZoneDatabase().zone("Europe/Paris")))
        #expect(paris != (try ZoneFixture.zone("Europe/Monaco")))
        #expect(Set([paris, paris, .utc]).count == 2)
    }

    @Test func extremeInstantsDoNotTrap() throws {
        let paris = try ZoneFixture.zone("Europe/Paris")
        for seconds in [Int64.min, Int64.min + 1, -1 << 59, 1 << 40, Int64.max - 1, Int64.max] {
            let instant = Instant(secondsSinceEpoch: seconds)
            _ = paris.offset(at: instant)
            _ = paris.nextTransition(after: instant)
            let local = paris.localTime(at: instant)
            _ = paris.resolve(local)
        }
    }

    struct RoundTripCase: CustomTestStringConvertible, Sendable {
        let zone: String
        let year: Int
        /// Hourly instants that fall in the second occurrence of a repeated local hour.
        let secondOccurrences: Int
        var testDescription: String { "\(zone) \(year)" }
    }

    @Test(arguments: [
        RoundTripCase(zone: "Europe/Paris", year: 2021, secondOccurrences: 1),
        RoundTripCase(zone: "America/New_York", year: 2021, secondOccurrences: 1),
        RoundTripCase(zone: "Australia/Lord_Howe", year: 2021, secondOccurrences: 1),
        RoundTripCase(zone: "Pacific/Apia", year: 2011, secondOccurrences: 1),
        RoundTripCase(zone: "Europe/Paris", year: 2090, secondOccurrences: 1),
        RoundTripCase(zone: "Asia/Tokyo", year: 2021, secondOccurrences: 0),
    ])
    func localTimeRoundTripsThroughInstantForEveryHour(_ example: RoundTripCase) throws {
        let zone = try ZoneFixture.zone(example.zone)
        let start = Int64(CivilDate(year: example.year, month: 1, day: 1)!.daysSinceEpoch) * 86400
        let end = Int64(CivilDate(year: example.year + 1, month: 1, day: 1)!.daysSinceEpoch) * 86400
        var secondOccurrences = 0
        for seconds in stride(from: start, to: end, by: 3600) {
            let instant = Instant(secondsSinceEpoch: seconds)
            let local = zone.localTime(at: instant)
            switch zone.resolve(local) {
            case .unique(let found):
                #expect(found == instant, "\(local)")
            case .overlap(let first, let second):
                #expect(instant == first || instant == second, "\(local)")
                if instant == second { secondOccurrences += 1 }
                #expect(zone.instant(for: local) == first)
            case .gap:
                Issue.record("\(local) is shown at \(instant) but resolved as a gap")
            }
        }
        #expect(secondOccurrences == example.secondOccurrences)
    }

    @Test(arguments: ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia"])
    func everyHalfHourOfWallTimeMapsBackOrMovesForwardByTheGap(_ identifier: String) throws {
        let zone = try ZoneFixture.zone(identifier)
        let start = Int64(CivilDate(year: 2011, month: 1, day: 1)!.daysSinceEpoch) * 86400
        let end = Int64(CivilDate(year: 2012, month: 1, day: 1)!.daysSinceEpoch) * 86400
        for seconds in stride(from: start, to: end, by: 1800) {
            let local = CivilDateTime(secondsSinceEpoch: seconds)
            let resolution = zone.resolve(local)
            let shown = zone.localTime(at: resolution.instant)
            if case .gap(_, let skipped) = resolution {
                #expect(shown == local.adding(seconds: Int64(skipped)), "\(local)")
            } else {
                #expect(shown == local, "\(local)")
            }
        }
    }
}
