import Testing

@testable import Timeline

/// Tests/TimelineTests/Fixtures/views.toml: an all-day span, a one-day milestone with a reminder, a timed one in
/// Tokyo (integration/views/run.sh types the same timeline into a terminal).
func viewsTimeline() throws -> TimelineConfig {
    let directory = String(#filePath).split(separator: "/", omittingEmptySubsequences: false).dropLast()
        .joined(separator: "/")
    let bytes = try ZoneFixture.readFile(directory + "/Fixtures/views.toml")
    return try load(String(decoding: bytes, as: UTF8.self))
}

@Suite("CalendarGrid")
struct CalendarGridTests {
    let july = [YearMonth(year: 2027, month: 7)!]

    func grid(_ months: [YearMonth], now: Instant = utc("2027-07-10T12:00:00Z")) throws -> CalendarGrid {
        CalendarGrid(config: try viewsTimeline(), months: months, now: now, viewerZone: .utc)
    }

    @Test func marksOccurrencesAndRemindersAndListsThemUnderTheGrid() throws {
        let lines = try grid(july).render(.init(width: 80, style: TextStyle(color: false)))
        #expect(
            lines == [
                "     July 2027",
                "Mo Tu We Th Fr Sa Su",
                "          1+ 2  3* 4",
                " 5* 6* 7* 8  9 10 11",
                "12 13 14 15 16 17 18",
                "19 20*21 22 23 24 25",
                "26 27 28 29 30 31",
                "",
                "Th 2027-07-01  + 09:00      International Day of Cooperatives: 2 days before",
                "Sa 2027-07-03  * all day    International Day of Cooperatives",
                "Mo 2027-07-05  * day 1/3    SSE Academy",
                "Tu 2027-07-20  * 00:00      Call with Tokyo (online)  [09:00 JST Asia/Tokyo]",
            ]
        )
    }

    @Test(arguments: [(20, 1), (43, 1), (44, 2), (66, 2), (67, 3), (200, 3)])
    func monthsSideBySideAsTheWidthAllows(width: Int, perRow: Int) throws {
        let months = YearMonth.months(named: "2027")!
        let layout = CalendarGrid.Layout(width: width, style: TextStyle(color: false))
        #expect(layout.monthsPerRow == perRow)
        let lines = try grid(months).grid(layout)
        #expect(lines.allSatisfy { $0.count <= max(width, 21) })
        #expect(lines.first?.contains("January 2027") == true)
        #expect(lines.first?.contains("February 2027") == (perRow > 1))
        // Twelve months, one title line each.
        #expect(lines.joined(separator: " ").split(separator: " ").filter { $0 == "2027" }.count == 12)
    }

    @Test func weekNumbersAreISO8601() throws {
        // 2027-01-01 is a Friday: its week is week 53 of 2026; 2026-12-28 is a Monday of week 53.
        #expect(CalendarGrid.isoWeek(of: CivilDate(year: 2026, month: 12, day: 28)!) == 53)
        #expect(CalendarGrid.isoWeek(of: CivilDate(year: 2027, month: 1, day: 4)!) == 1)
        #expect(CalendarGrid.isoWeek(of: CivilDate(year: 2024, month: 12, day: 30)!) == 1)
        let lines = try grid([YearMonth(year: 2027, month: 1)!]).grid(
            .init(width: 80, style: TextStyle(color: false), weekNumbers: true)
        )
        #expect(lines[1] == "Wk Mo Tu We Th Fr Sa Su")
        #expect(lines[2] == "53              1  2  3")
        #expect(lines[3].hasPrefix(" 1  4  5"))
    }

    @Test func coloursTodayMarkedDaysAndWeekendsOnlyWhenAsked() throws {
        let view = try grid(july)
        let plain = view.grid(.init(width: 80, style: TextStyle(color: false)))
        #expect(!plain.joined().contains("\u{1B}"))
        let coloured = view.grid(.init(width: 80, style: TextStyle(color: true)))
        let row = coloured[3]  // 5 ... 11: the academy, a Saturday that is today, a Sunday
        #expect(row.contains("\u{1B}[1;31m 5*\u{1B}[0m"))
        #expect(row.contains("\u{1B}[2;7m10\u{1B}[0m"))
        #expect(row.contains("\u{1B}[2m11\u{1B}[0m"))
        #expect(coloured[0].contains("\u{1B}[1mJuly 2027\u{1B}[0m"))
        // The colours take no columns: stripped, the lines are the plain ones.
        #expect(coloured.map(stripANSI) == plain)
    }

    @Test func monthsAreNamedAsYearOrMonth() {
        #expect(YearMonth.months(named: "2027-07") == [YearMonth(year: 2027, month: 7)!])
        #expect(YearMonth.months(named: "2027")?.count == 12)
        #expect(YearMonth.months(named: "2027")?.last == YearMonth(year: 2027, month: 12))
        for bad in ["2027-13", "2027-7", "27", "July", "2027-07-01", "", "-2027"] {
            #expect(YearMonth.months(named: bad) == nil, "\(bad)")
        }
    }
}

/// `text` without its ANSI SGR sequences.
func stripANSI(_ text: String) -> String {
    var out = ""
    var inEscape = false
    for c in text {
        if c == "\u{1B}" {
            inEscape = true
        } else if inEscape {
            if c == "m" { inEscape = false }
        } else {
            out.append(c)
        }
    }
    return out
}

/// The views with the working-days config: a holiday set, and a milestone that `on_non_working_day` moves.
@Suite("CalendarGrid with holidays")
struct CalendarGridHolidayTests {
    @Test func marksHolidaysAndShowsAMovedOccurrenceOnItsNewDay() throws {
        let config = try load(
            """
            [defaults]
            timezone = "UTC"
            reminders = []
            holidays = ["office"]
            [holidays.office]
            dates = [{ date = 2027-07-14, name = "Bastille Day" }]
            [[milestone]]
            id = "board"
            title = "Board meeting"
            start = 2027-07-14
            on_non_working_day = "before"
            """
        )
        let grid = CalendarGrid(
            config: config, months: [YearMonth(year: 2027, month: 7)!], now: utc("2027-07-01T12:00:00Z"),
            viewerZone: .utc)
        let lines = grid.render(.init(width: 80, style: TextStyle(color: false)))
        #expect(lines.contains("12 13*14#15 16 17 18"))
        #expect(lines.contains("Tu 2027-07-13  * all day    Board meeting"))
        #expect(lines.contains("We 2027-07-14  # Bastille Day"))
    }
}
