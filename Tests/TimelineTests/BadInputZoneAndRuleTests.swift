import Glibc
import Testing

@testable import Timeline

/// The bad-input catalogue of issue 6 for time zones and recurrence rules, seen from a config file: a missing or
/// broken tzdata entry for a configured zone, and rules that would make unbounded or pathological work.
@Suite("Bad input: zones and rules")
struct BadInputZoneAndRuleTests {
    /// A config naming `zone` for one milestone and in `[defaults]`, loaded from a tzdata root of our own.
    func loadErrors(zoneFile: [UInt8]?, named zone: String = "Test/Zone") throws -> (root: String, errors: [Diagnostic])
    {
        let root = try ZoneFixture.makeTemporaryDirectory()
        mkdir(root + "/Test", 0o755)
        if let zoneFile { try ZoneFixture.writeFile(root + "/" + zone, zoneFile) }
        let text = """
            [[milestone]]
            id = "a"
            title = "A"
            start = 2030-01-01T09:00:00
            timezone = "\(zone)"
            """
        do {
            _ = try ConfigLoader(zones: ZoneDatabase(root: root), systemZone: .utc)
                .load([ConfigSource(name: "t.toml", text: text)])
            Issue.record("a config with a broken zone loaded")
            return (root, [])
        } catch {
            return (root, error.errors)
        }
    }

    @Test func missingTzdataEntryIsAnErrorAtTheZoneNamingTheFile() throws {
        let (root, found) = try loadErrors(zoneFile: nil)
        defer { ZoneFixture.removeTree(root) }
        #expect(found.count == 1)
        #expect(found[0].location == SourceLocation(file: "t.toml", line: 5, column: 12))
        #expect(found[0].key == "milestone[0].timezone")
        #expect(found[0].description.contains("no file \(root)/Test/Zone"))
    }

    @Test(arguments: [
        (Array("not a zone".utf8), "not a TZif file"),
        (Array(ZoneTZifTests.miniParis.bytes.prefix(60)), "truncated"),
        (ZoneTZifTests.miniParis.bytes.enumerated().map { $0.offset == 20 ? 0xFF : $0.element }, "isutcnt"),
    ])
    func brokenTzdataEntryIsAnErrorAtTheZoneNamingTheFile(bytes: [UInt8], expected: String) throws {
        let (root, found) = try loadErrors(zoneFile: bytes)
        defer { ZoneFixture.removeTree(root) }
        #expect(found.count == 1)
        #expect(found[0].location.line == 5)
        #expect(found[0].description.contains("\(root)/Test/Zone"))
        #expect(found[0].description.contains(expected), "\(found[0])")
    }

    @Test(arguments: [
        ("FREQ=DAILY;BYMONTHDAY=31;BYMONTH=2", "no calendar date matches"),
        ("FREQ=DAILY;UNTIL=20200101", "is before DTSTART"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "no calendar date matches"),
        ("FREQ=MONTHLY;BYSETPOS=40;BYDAY=MO", "never picks one"),
    ])
    func rulesThatNeverOccurWarnAndCostNothing(rule: String, expected: String) throws {
        let config = try load(
            "[[milestone]]\nid = \"n\"\ntitle = \"N\"\nstart = 2030-01-01T09:00:00\nrrule = \"\(rule)\"\nreminders = [\"at start\"]\n"
        )
        #expect(config.warnings.count == 1)
        #expect(config.warnings[0].key == "milestone[0].rrule")
        #expect(config.warnings[0].message.contains(expected), "\(config.warnings[0])")
        // DTSTART is always the first occurrence (RFC 5545); nothing follows it.
        let schedule = Schedule(config: config)
        #expect(schedule.next(after: Instant(secondsSinceEpoch: 0), count: 3).count == 1)
    }

    @Test func countOfABillionIsLazyAndExpandsOnlyWhatIsAskedFor() throws {
        let config = try load(
            """
            [[milestone]]
            id = "daily"
            title = "Daily"
            start = 2030-01-01T09:00:00
            rrule = "FREQ=DAILY;COUNT=1000000000"
            reminders = ["at start", "1 hour before"]
            """
        )
        let schedule = Schedule(config: config)
        let clock = ContinuousClock()
        let started = clock.now
        let next = schedule.next(after: Instant(secondsSinceEpoch: 1_900_000_000), count: 1000)
        #expect(next.count == 1000)
        #expect(clock.now - started < .seconds(5))
    }

    /// A rule that never occurs, found by fuzzing (Fuzz/Findings/FuzzRecurrenceRule/weekly-bysetpos-beyond-one-day-
    /// walks-to-9999): it was walked to the year 9999 at every load, ~70 ms per reminder. Now the static check names
    /// it and the expansion ends at once (rules no static check catches end after one calendar cycle of periods:
    /// `ruleThatNeverMatchesEndsAfterOneCalendarCycle`).
    @Test func weeklyRuleWhoseSetPositionExceedsItsOneDayIsProvenEmpty() throws {
        let rule = try RecurrenceRule(parsing: "FREQ=WEEKLY;BYSETPOS=2;BYHOUR=6")
        let start = CivilDateTime(date: CivilDate(year: 2030, month: 1, day: 1)!, hour: 6, minute: 0)!
        #expect(rule.neverOccursReason(from: start)?.description.contains("at most 1 candidate") == true)
        var occurrences = rule.occurrences(from: start, untilLocal: nil).makeIterator()
        #expect(occurrences.next() == nil)
        #expect(occurrences.periodsLoaded == 0)
    }

    /// A rule firing every minute since the year 1 used to be expanded minute by minute up to now whenever the
    /// schedule was built (50 s in a release build); the expansion now seeks close to now.
    @Test(.timeLimit(.minutes(1))) func denseRuleFromTheDistantPastSeeksToNow() throws {
        let hours = (0..<24).map(String.init).joined(separator: ",")
        let minutes = (0..<60).map(String.init).joined(separator: ",")
        let rule = "FREQ=DAILY;BYHOUR=\(hours);BYMINUTE=\(minutes)"
        let config = try load(
            """
            [[milestone]]
            id = "every-minute"
            title = "Every minute"
            start = 0001-01-02T00:00:00
            rrule = "\(rule)"
            reminders = ["at start", "1 day before"]
            """
        )
        let now = Instant(secondsSinceEpoch: 1_900_000_030)
        let next = Schedule(config: config).next(after: now, count: 4)
        #expect(next.map(\.due.secondsSinceEpoch) == [1_900_000_080, 1_900_000_080, 1_900_000_140, 1_900_000_140])
        #expect(next.map(\.reminderIndex) == [0, 1, 0, 1])
        #expect(next[1].occurrenceStart == CivilDateTime(secondsSinceEpoch: 1_900_000_080 + 86400))

        var occurrences = try RecurrenceRule(parsing: rule).occurrences(
            from: CivilDateTime(secondsSinceEpoch: ReminderMath.earliest),
            untilLocal: nil
        ).makeIterator()
        occurrences.seek(to: CivilDateTime(secondsSinceEpoch: 1_900_000_030))
        #expect(occurrences.next() == CivilDateTime(secondsSinceEpoch: 1_900_000_080))
        #expect(occurrences.periodsLoaded == 1)
    }

    /// With COUNT the occurrences before the seek point still count, but a period (here a day of 1,440) at a time.
    @Test func seekingACountedRuleCountsWholePeriods() throws {
        let hours = (0..<24).map(String.init).joined(separator: ",")
        let minutes = (0..<60).map(String.init).joined(separator: ",")
        let rule = try RecurrenceRule(parsing: "FREQ=DAILY;BYHOUR=\(hours);BYMINUTE=\(minutes);COUNT=2000000")
        let start = CivilDateTime(date: CivilDate(year: 2000, month: 1, day: 1)!, hour: 0, minute: 0)!
        var occurrences = rule.occurrences(from: start, untilLocal: nil).makeIterator()
        // 2,000,000 minutes from 2000-01-01 end on 2003-10-20 at 21:19, the last of them.
        occurrences.seek(to: CivilDateTime(date: CivilDate(year: 2003, month: 10, day: 20)!, hour: 21, minute: 19)!)
        #expect(
            occurrences.next() == CivilDateTime(date: CivilDate(year: 2003, month: 10, day: 20)!, hour: 21, minute: 19)!
        )
        #expect(occurrences.next() == nil)
        #expect(occurrences.periodsLoaded == 1389)
    }
}
