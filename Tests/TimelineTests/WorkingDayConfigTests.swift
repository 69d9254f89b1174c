import Testing

@testable import Timeline

/// Loads `text` as `/etc/t/t.toml`, with `files` as the files it may name.
private func load(_ text: String, files: [String: String]) throws(ConfigError) -> TimelineConfig {
    var loader = ConfigLoader(zones: ZoneDatabase(), systemZone: .utc)
    loader.readFile = { path in
        guard let text = files[path] else {
            return .failure(ConfigFileFailure(message: "cannot open the file: No such file or directory"))
        }
        return .success(Array(text.utf8))
    }
    return try loader.load([ConfigSource(name: "/etc/t/t.toml", text: text)])
}

@Suite("Config: working days and holidays")
struct WorkingDayConfigTests {
    static let milestone = """
        [[milestone]]
        id = "m"
        title = "M"
        start = 2027-12-24
        """

    @Test func readsHolidaysFromAnICalendarFileBesideTheConfig() throws {
        let ics = """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            PRODID:-//test//EN\r
            BEGIN:VEVENT\r
            UID:xmas@example.org\r
            DTSTART;VALUE=DATE:20251225\r
            DTEND;VALUE=DATE:20251227\r
            RRULE:FREQ=YEARLY\r
            SUMMARY:Christmas\r
            END:VEVENT\r
            BEGIN:VEVENT\r
            UID:easter@example.org\r
            DTSTART;VALUE=DATE:20280417\r
            SUMMARY:Easter Monday\r
            END:VEVENT\r
            END:VCALENDAR\r

            """
        let config = try load(
            """
            [defaults]
            holidays = ["national"]
            [holidays.national]
            ics = "holidays.ics"
            \(Self.milestone)
            """,
            files: ["/etc/t/holidays.ics": ics]
        )
        let calendar = config.milestones[0].workingCalendar
        #expect(calendar.holiday(on: day("2027-12-25")) == "Christmas")
        #expect(calendar.holiday(on: day("2031-12-26")) == "Christmas")  // recurring, both days
        #expect(calendar.holiday(on: day("2031-12-27")) == nil)
        #expect(calendar.holiday(on: day("2028-04-17")) == "Easter Monday")
        #expect(calendar.holiday(on: day("2299-12-25")) == "Christmas")
    }

    /// The diagnostics of `text`, as `file:line:column: ...` lines.
    private func problems(_ text: String) -> [String] {
        do {
            _ = try load(text, files: [:])
            Issue.record("expected the config to fail:\n\(text)")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test(arguments: [
        (
            "[defaults]\nworking_days = [\"MO\", \"TUE\"]\n",
            "/etc/t/t.toml:2:23: error: defaults.working_days[1] = \"TUE\": not a weekday; did you mean \"TU\"?"
        ),
        (
            "[defaults]\nworking_days = []\n",
            "/etc/t/t.toml:2:16: error: defaults.working_days: no working day; list at least one weekday"
        ),
        (
            "[defaults]\nholidays = [\"ofice\"]\n[holidays.office]\ndates = [2027-12-25]\n",
            "/etc/t/t.toml:2:13: error: defaults.holidays[0] = \"ofice\": unknown holiday set; did you mean \"office\"?"
        ),
        (
            "[holidays.office]\ndates = [\"2027-12-26..2027-12-24\"]\n",
            "/etc/t/t.toml:2:10: error: holidays.office.dates[0] = \"2027-12-26..2027-12-24\": the range ends before it starts"
        ),
        (
            "[holidays.office]\ndates = [\"2027-13-01\"]\n",
            "/etc/t/t.toml:2:10: error: holidays.office.dates[0] = \"2027-13-01\": not a date or a range of dates"
        ),
        (
            "[holidays.office]\nics = \"missing.ics\"\n",
            "/etc/t/t.toml:2:7: error: holidays.office.ics = \"missing.ics\": cannot read the holiday calendar /etc/t/missing.ics: cannot open the file"
        ),
        (
            "[holidays.office]\ndate = [2027-12-25]\n",
            "/etc/t/t.toml:2:1: error: holidays.office.date: unknown key \"date\"; did you mean \"dates\"?"
        ),
        (
            "[defaults]\non_non_working_day = \"afer\"\n",
            "/etc/t/t.toml:2:22: error: defaults.on_non_working_day = \"afer\": unknown rule for non-working days; did you mean \"after\"?"
        ),
        (
            "[defaults]\nworking_day = [\"MO\"]\n",
            "/etc/t/t.toml:2:1: error: defaults.working_day: unknown key \"working_day\"; did you mean \"working_days\"?"
        ),
        (
            "[defaults]\nreminders = [\"2 working days 1 day before\"]\n",
            "/etc/t/t.toml:2:14: error: defaults.reminders[0] = \"2 working days 1 day before\": not a reminder offset"
        ),
    ])
    func locatesEveryMistakeWithWhatIsAccepted(text: String, expected: String) {
        let found = problems(text + Self.milestone)
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }

    @Test func milestoneLevelKeysAreCheckedToo() {
        let found = problems(
            Self.milestone + "\nholidays = [\"nowhere\"]\nworking_days = [\"XX\"]\non_non_working_day = \"never\"\n"
        )
        #expect(found.count == 3, "\(found)")
        #expect(found.allSatisfy { $0.hasPrefix("/etc/t/t.toml:") && $0.contains("milestone[0].") }, "\(found)")
    }
}
