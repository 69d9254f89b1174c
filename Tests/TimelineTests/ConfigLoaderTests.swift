import Testing

@testable import Timeline

/// Loads `text` as one file named `t.toml`, with zones from the system tzdata.
func load(_ text: String, name: String = "t.toml", systemZone: Zone = .utc) throws(ConfigError) -> TimelineConfig {
    try ConfigLoader(zones: ZoneDatabase(), systemZone: systemZone).load([ConfigSource(name: name, text: text)])
}

/// The diagnostics of a config that must fail.
func errors(_ text: String, name: String = "t.toml") -> [Diagnostic] {
    do {
        _ = try load(text, name: name)
        Issue.record("expected the config to fail:\n\(text)")
        return []
    } catch {
        return error.errors
    }
}

@Suite("ConfigLoader")
struct ConfigLoaderTests {
    @Test func parsesEveryConstruct() throws {
        let config = try load(
            """
            [defaults]
            timezone = "Europe/Paris"
            all_day_time = "08:30"
            reminders = ["2 days before", "at start"]
            priority = "info"
            catch_up_window = "3 days"

            [[milestone]]
            id = "all-day"
            title = "All day"
            start = 2030-06-10
            end = 2030-06-12
            description = "d"
            location = "Geneva"
            source = "https://example.org/x"
            tags = ["a", "b"]

            [[milestone]]
            id = "timed"
            title = "Timed"
            start = 2030-06-10T13:00:00
            timezone = "America/New_York"
            reminders = ["1 hour before", { at = "1 day after end", priority = "warning" }]
            end = 2030-06-10T15:00:00
            priority = "err"

            [[milestone]]
            id = "offset"
            title = "Offset"
            start = 2030-06-10T13:00:00+05:30

            [[milestone]]
            id = "yearly"
            title = "Yearly"
            start = 2025-07-05
            rrule = "FREQ=YEARLY;BYMONTH=7;BYDAY=1SA"
            exdate = [2026-07-04]
            rdate = [2026-07-11]
            precision = "day"
            """
        )
        #expect(config.milestones.map(\.id) == ["all-day", "timed", "offset", "yearly"])
        #expect(config.defaults.zone.identifier == "Europe/Paris")
        #expect(config.defaults.allDayTime == 8 * 3600 + 30 * 60)
        #expect(config.defaults.priority == .info)
        #expect(config.defaults.catchUpWindow == 3 * 86400)

        let allDay = config.milestones[0]
        #expect(allDay.isAllDay)
        #expect(allDay.zone.identifier == "Europe/Paris")
        #expect(allDay.end?.date == CivilDate(year: 2030, month: 6, day: 12))
        #expect(allDay.reminders.map(\.text) == ["2 days before", "at start"])
        #expect(allDay.tags == ["a", "b"])
        #expect(allDay.location == "Geneva")
        #expect(allDay.priority == .info)

        let timed = config.milestones[1]
        #expect(!timed.isAllDay)
        #expect(timed.zone.identifier == "America/New_York")
        #expect(timed.reminders[1].offset == ReminderOffset(anchor: .end, days: 1))
        #expect(timed.reminders[1].priority == .warning)
        #expect(timed.priority == .error)

        let offset = config.milestones[2]
        #expect(offset.zone.offset(at: Instant(secondsSinceEpoch: 0)).seconds == 5 * 3600 + 30 * 60)
        #expect(offset.zone.instant(for: offset.start) == Instant(secondsSinceEpoch: 1_907_307_000))

        let yearly = config.milestones[3]
        #expect(yearly.recurrence?.rule?.frequency == .yearly)
        let starts = Array(OccurrenceStarts(yearly).prefix(4)).map(\.date.description)
        #expect(starts == ["2025-07-05", "2026-07-11", "2027-07-03", "2028-07-01"])
    }

    @Test func unknownKeyIsAnErrorWithSuggestionAtTheKey() {
        let found = errors(
            """
            [[milestone]]
            id = "x"
            title = "X"
            start = 2030-01-01
            timezon = "Europe/Paris"
            """
        )
        #expect(found.count == 1)
        #expect(found[0].location == SourceLocation(file: "t.toml", line: 5, column: 1))
        #expect(found[0].key == "milestone[0].timezon")
        #expect(found[0].hint == "did you mean \"timezone\"?")
    }

    @Test func everyErrorOfAFileIsReportedInOneRun() {
        let found = errors(
            """
            [[milestone]]
            id = "Bad Id"
            title = "X"
            start = "2030-01-01"

            [[milestone]]
            id = "ok"
            title = "Y"
            start = 2030-01-01
            timezone = "Europe/Pariss"
            reminders = ["3 fortnights before"]
            rrule = "FREQ=YEARLY;COUNT=3;UNTIL=20300101"
            """
        )
        let keys = found.map(\.key)
        #expect(keys.contains("milestone[0].id"))
        #expect(keys.contains("milestone[0].start"))
        #expect(keys.contains("milestone[1].timezone"))
        #expect(keys.contains("milestone[1].reminders[0]"))
        #expect(keys.contains("milestone[1].rrule"))
        let zone = found.first { $0.key == "milestone[1].timezone" }!
        #expect(zone.location.line == 10)
        #expect(zone.location.column == 12)
        #expect(zone.description.contains("Europe/Paris"))
        let start = found.first { $0.key == "milestone[0].start" }!
        #expect(start.message.contains("found a string"))
        #expect(start.hint?.contains("remove the quotes") == true)
        let id = found.first { $0.key == "milestone[0].id" }!
        #expect(id.value == "Bad Id")
        #expect(id.location == SourceLocation(file: "t.toml", line: 2, column: 6))
    }

    @Test func rruleErrorsPointIntoTheRule() {
        let found = errors(
            """
            [[milestone]]
            id = "x"
            title = "X"
            start = 2030-01-01
            rrule = "FREQ=YEARLY;BYMONTHDAY=40"
            """
        )
        #expect(found.count == 1)
        // The value 40 sits at column 9 + 1 (quote) + 23.
        #expect(found[0].location == SourceLocation(file: "t.toml", line: 5, column: 33))
        #expect(found[0].message.contains("BYMONTHDAY"))
    }

    @Test func contradictoryRuleIsAnError() {
        let found = errors(
            """
            [[milestone]]
            id = "x"
            title = "X"
            start = 2030-01-01
            rrule = "FREQ=DAILY;COUNT=3;UNTIL=20300105"
            """
        )
        #expect(found.count >= 1)
        #expect(found.allSatisfy { $0.key == "milestone[0].rrule" })
        #expect(found.contains { $0.message.contains("COUNT") && $0.message.contains("UNTIL") })
    }

    @Test func invalidDateIsALocatedErrorOnItsValue() {
        let found = errors(
            """
            [[milestone]]
            id = "x"
            title = "X"
            start = 2021-02-30
            """
        )
        #expect(found.count == 1)
        #expect(found[0].location == SourceLocation(file: "t.toml", line: 4, column: 9))
        #expect(found[0].key == "milestone[0].start")
        #expect(found[0].value == "2021-02-30")
        #expect(found[0].message == "not a valid date: February 2021 has 28 days")
    }

    /// Issue 12: two impossible dates, a key typo and a bad id, all in one run, in file order.
    @Test func valueSyntaxAndSemanticErrorsOfAFileComeOutInOneRun() {
        let found = errors(
            """
            [[milestone]]
            id = "leap"
            title = "Not a leap year"
            start = 2027-02-29

            [[milestone]]
            id = "hour"
            title = "Hour 25"
            start = 2027-01-05T25:00:00

            [[milestone]]
            id = "typo"
            title = "Typo"
            start = 2027-03-01
            timezon = "Europe/Paris"

            [[milestone]]
            id = "Bad Id"
            title = "Bad id"
            start = 2027-03-02
            tags = ["a" "b"]
            """
        )
        #expect(
            found.map(\.description) == [
                "t.toml:4:9: error: milestone[0].start = \"2027-02-29\": not a valid date: February 2027 has 28 days; "
                    + "accepted: a date 2027-06-10, a date-time 2027-06-10T13:00:00 (optionally with Z or an offset "
                    + "such as +02:00), a time 13:00:00",
                "t.toml:9:9: error: milestone[1].start = \"2027-01-05T25:00:00\": not a valid time: hours go from 00 "
                    + "to 23; accepted: a date 2027-06-10, a date-time 2027-06-10T13:00:00 (optionally with Z or an "
                    + "offset such as +02:00), a time 13:00:00",
                "t.toml:15:1: error: milestone[2].timezon: unknown key \"timezon\"; did you mean \"timezone\"?",
                "t.toml:18:6: error: milestone[3].id = \"Bad Id\": invalid id; accepted: 1 to 100 of a-z, 0-9 and "
                    + "\"-\", not starting with \"-\", e.g. \"bad-id\"",
                "t.toml:21:13: error: milestone[3].tags: TOML syntax: expected ',' or ']' in the array, found \"\"\"; "
                    + "see https://toml.io/en/v1.0.0",
            ]
        )
    }

    @Test func diagnosticsPastTheLimitAreCountedInOneLine() {
        let text = (0..<150).map { "[[milestone]]\nid = \"m\($0)\"\ntitle = \"M\"\nstart = 2027-02-30\n" }.joined()
        let found = errors(text)
        #expect(found.count == ConfigLoader.maximumDiagnostics + 1)
        #expect(found[99].location.line == 100 * 4)
        #expect(found[100].message == "and 50 more problems not shown")
        #expect(found[100].location.line == 101 * 4)
        // The count the commands print ("150 errors; the timeline was not loaded") includes the 50 not shown.
        #expect(throws: ConfigError.self) { try load(text, name: "t.toml") }
        do { _ = try load(text, name: "t.toml") } catch { #expect(error.errorCount == 150) }
    }

    @Test func reminderAfterTheEndOfTimeIsAnError() {
        let found = errors(
            """
            [[milestone]]
            id = "x"
            title = "X"
            start = 9999-12-01
            reminders = ["10000000 days after"]
            """
        )
        #expect(found.count == 1)
        #expect(found[0].key == "milestone[0].reminders[0]")
        #expect(found[0].message.contains("outside the years 1 to 9999"))
    }

    @Test(arguments: [
        ("", "empty file"),
        ("   \n\n", "empty file"),
        ("id = 1\u{0}\u{1}", "binary data"),
    ])
    func emptyAndBinaryFilesAreErrors(text: String, expected: String) {
        let found = errors(text)
        #expect(found.count == 1)
        #expect(found[0].message.contains(expected))
    }

    @Test func invalidUTF8IsReportedWhereItIs() throws {
        var bytes = Array("[[milestone]]\nid = \"x\"\ntitle = \"".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\"\nstart = 2030-01-01\n".utf8)
        do {
            _ = try ConfigLoader().load([ConfigSource(name: "u.toml", bytes: bytes)])
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.errors[0].message.contains("invalid UTF-8"))
            #expect(error.errors[0].location == SourceLocation(file: "u.toml", line: 3, column: 10))
        }
    }

    @Test func duplicateIdsAcrossFilesNameBothPlaces() {
        let main = ConfigSource(
            name: "timeline.toml",
            text: "[[milestone]]\nid = \"a\"\ntitle = \"A\"\nstart = 2030-01-01\n"
        )
        let dropIn = ConfigSource(
            name: "timeline.d/10-more.toml",
            text: "# more\n\n[[milestone]]\nid = \"a\"\ntitle = \"Again\"\nstart = 2030-01-02\n"
        )
        do {
            _ = try ConfigLoader().load([main, dropIn])
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.count == 1)
            let e = error.errors[0]
            #expect(e.location == SourceLocation(file: "timeline.d/10-more.toml", line: 4, column: 6))
            #expect(e.message.contains("timeline.toml:2:6"))
        }
    }

    @Test func dropInsOverrideDefaultsAndAddMilestones() throws {
        let main = ConfigSource(
            name: "timeline.toml",
            text:
                "[defaults]\nreminders = [\"at start\"]\n[[milestone]]\nid = \"a\"\ntitle = \"A\"\nstart = 2030-01-01\n"
        )
        let dropIn = ConfigSource(
            name: "timeline.d/10.toml",
            text: "[defaults]\nall_day_time = 07:15:00\n[[milestone]]\nid = \"b\"\ntitle = \"B\"\nstart = 2030-01-02\n"
        )
        let config = try ConfigLoader().load([main, dropIn])
        #expect(config.milestones.map(\.id) == ["a", "b"])
        #expect(config.defaults.allDayTime == 7 * 3600 + 15 * 60)
        #expect(config.milestones[1].reminders.map(\.text) == ["at start"])
    }

    @Test func wrongTypesAndMissingKeys() {
        let found = errors(
            """
            [[milestone]]
            title = 5
            start = 2030-01-01
            tags = "one"
            end = 2029-01-01
            """
        )
        let messages = found.map(\.description)
        #expect(messages.contains { $0.contains("missing required key \"id\"") })
        #expect(messages.contains { $0.contains("title") && $0.contains("expected a string, found an integer") })
        #expect(messages.contains { $0.contains("tags") && $0.contains("expected an array of strings") })
        #expect(messages.contains { $0.contains("end is before start") })
    }

    @Test func dstGapAndOverlapAreWarnings() throws {
        let config = try load(
            """
            [[milestone]]
            id = "gap"
            title = "Gap"
            start = 2030-03-31T02:30:00
            timezone = "Europe/Paris"

            [[milestone]]
            id = "overlap"
            title = "Overlap"
            start = 2030-10-27T02:30:00
            timezone = "Europe/Paris"
            """
        )
        #expect(config.warnings.count == 2)
        #expect(config.warnings[0].location.line == 4)
        #expect(config.warnings[0].message.contains("does not exist"))
        #expect(config.warnings[1].message.contains("happens twice"))
        // RFC 5545: the gap time moves forward by the gap, the overlap takes the first.
        let gap = config.milestones[0]
        #expect(ReminderMath.iso8601(gap.zone.instant(for: gap.start), in: gap.zone) == "2030-03-31T03:30:00+02:00")
        let overlap = config.milestones[1]
        #expect(
            ReminderMath.iso8601(overlap.zone.instant(for: overlap.start), in: overlap.zone)
                == "2030-10-27T02:30:00+02:00"
        )
    }

    @Test func ruleThatNeverOccursIsAWarning() throws {
        let config = try load(
            """
            [[milestone]]
            id = "never"
            title = "Never"
            start = 2030-01-01
            rrule = "FREQ=DAILY;BYMONTHDAY=31;BYMONTH=2"
            """
        )
        #expect(config.warnings.count == 1)
        #expect(config.warnings[0].key == "milestone[0].rrule")
    }

    @Test func timeOfDayPartsOfAnAllDayRuleAreIgnoredWithAWarning() throws {
        // libical's table has this rule from a date; read as is, it gives four occurrences on 18 October.
        let config = try load(
            """
            [[milestone]]
            id = "d"
            title = "D"
            start = 2024-10-18
            rrule = "FREQ=DAILY;BYMINUTE=1,2,3,4;INTERVAL=2;COUNT=3"
            """
        )
        let warning = try #require(config.warnings.first)
        #expect(config.warnings.count == 1)
        #expect(warning.description.hasPrefix("t.toml:5:9: warning: milestone[0].rrule"))
        #expect(warning.message.hasPrefix("BYMINUTE=1,2,3,4 ignored: the start is a date"))
        #expect(config.milestones[0].recurrence?.rule?.rfcString == "FREQ=DAILY;COUNT=3;INTERVAL=2")
        let starts = Array(OccurrenceStarts(config.milestones[0])).map(\.description)
        #expect(starts == ["2024-10-18T00:00:00", "2024-10-20T00:00:00", "2024-10-22T00:00:00"])
    }

    @Test func milestonesFollowTheSystemZoneWhenNoneIsNamed() throws {
        let zone = try ZoneDatabase().zone("Asia/Tokyo")
        let config = try load("[[milestone]]\nid = \"a\"\ntitle = \"A\"\nstart = 2030-01-01\n", systemZone: zone)
        #expect(config.milestones[0].zone.identifier == "Asia/Tokyo")
    }
}

@Suite("ConfigLoader language")
struct ConfigLoaderLanguageTests {
    @Test func languageIsReadFromDefaults() throws {
        let milestone = "[[milestone]]\nid = \"m\"\ntitle = \"M\"\nstart = 2030-06-03\n"
        let config = try load("[defaults]\nlanguage = \"fr\"\n" + milestone)
        #expect(config.defaults.language == "fr")
        #expect(try load(milestone).defaults.language == nil)
    }

    @Test func unknownLanguageIsAnErrorNamingTheAcceptedOnes() {
        let found = errors("[defaults]\nlanguage = \"de\"\n")
        #expect(found.count == 1)
        let text = found.first?.description ?? ""
        #expect(text.contains("t.toml:2:"))
        #expect(text.contains("\"de\""))
        #expect(text.contains("\"en\", \"es\", \"fr\""))
    }
}

@Suite("ConfigLoader milestone translations")
struct ConfigLoaderTranslationTests {
    static let milestone = "[[milestone]]\nid = \"m\"\ntitle = \"International Labour Conference\"\nstart = 2030-06-03\n"

    @Test func textsPerLanguageAreRead() throws {
        let config = try load(
            Self.milestone + """
                title_fr = "Conférence internationale du Travail"
                location_es = "Ginebra"
                source_fr = "https://www.ilo.org/fr"
                """
        )
        let milestone = config.milestones[0]
        #expect(milestone.title(in: "fr") == "Conférence internationale du Travail")
        #expect(milestone.title(in: "es") == "International Labour Conference")
        #expect(milestone.title(in: "en") == "International Labour Conference")
        #expect(milestone.location(in: "es") == "Ginebra")
        #expect(milestone.translations["fr"]?.source == "https://www.ilo.org/fr")
        #expect(try load(Self.milestone).milestones[0].translations.isEmpty)
    }

    @Test func aLanguageNotSpokenIsAnUnknownKey() {
        let found = errors(Self.milestone + "title_de = \"Internationale Arbeitskonferenz\"\n")
        #expect(found.count == 1)
        #expect(found.first?.description.contains("title_de") == true)
    }

    @Test func aTranslationsSourceMustBeAURL() {
        let found = errors(Self.milestone + "source_es = \"ilo.org\"\n")
        #expect(found.count == 1)
        #expect(found.first?.description.contains("not a URL") == true)
    }
}
