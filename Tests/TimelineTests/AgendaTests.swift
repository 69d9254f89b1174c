import Testing

@testable import Timeline

@Suite("Agenda")
struct AgendaTests {
    func agenda(now: String, days: Int, zone: String = "UTC") throws -> Agenda {
        let viewer = try ZoneDatabase.shared.zone(zone)
        return Agenda(config: try viewsTimeline(), now: utc(now), dayCount: days, viewerZone: viewer)
    }

    @Test func groupsTheComingDaysByDayAndSkipsEmptyOnes() throws {
        let lines = try agenda(now: "2027-07-01T18:00:00Z", days: 7).render(TextStyle(color: false))
        #expect(
            lines == [
                "Today, Thursday 2027-07-01",
                "  + 09:00      International Day of Cooperatives: 2 days before",
                "Saturday 2027-07-03",
                "  * all day    International Day of Cooperatives",
                "Monday 2027-07-05",
                "  * day 1/3    SSE Academy",
                "Tuesday 2027-07-06",
                "  * day 2/3    SSE Academy",
                "Wednesday 2027-07-07",
                "  * day 3/3    SSE Academy",
            ]
        )
    }

    @Test func aSpanStartedBeforeTodayShowsItsLaterDays() throws {
        let lines = try agenda(now: "2027-07-06T08:00:00Z", days: 1).render(TextStyle(color: false))
        #expect(lines == ["Today, Tuesday 2027-07-06", "  * day 2/3    SSE Academy"])
    }

    @Test func timesAreTheViewersWithTheMilestonesOwnWhenTheyDiffer() throws {
        // 09:00 in Tokyo is 02:00 in Paris (CEST) the same day, 20:00 in New York (EDT) the day before.
        let paris = try agenda(now: "2027-07-19T12:00:00Z", days: 2, zone: "Europe/Paris")
        #expect(
            paris.render(TextStyle(color: false)).last
                == "  * 02:00      Call with Tokyo (online)  [09:00 JST Asia/Tokyo]"
        )
        let newYork = try agenda(now: "2027-07-19T12:00:00Z", days: 1, zone: "America/New_York")
        #expect(
            newYork.render(TextStyle(color: false)) == [
                "Today, Monday 2027-07-19",
                "  * 20:00      Call with Tokyo (online)  [2027-07-20 09:00 JST Asia/Tokyo]",
            ]
        )
        let tokyo = try agenda(now: "2027-07-19T12:00:00Z", days: 2, zone: "Asia/Tokyo")
        #expect(tokyo.render(TextStyle(color: false)).last == "  * 09:00      Call with Tokyo (online)")
    }

    @Test func nothingToShowSaysSo() throws {
        let lines = try agenda(now: "2027-08-01T00:00:00Z", days: 7).render(TextStyle(color: false))
        #expect(lines == ["nothing on the timeline from 2027-08-01 to 2027-08-07 (7 days)"])
    }

    @Test func headingsAreColouredOnlyWhenAsked() throws {
        let view = try agenda(now: "2027-07-01T18:00:00Z", days: 3)
        let coloured = view.render(TextStyle(color: true))
        #expect(coloured[0] == "\u{1B}[1mToday, Thursday 2027-07-01\u{1B}[0m")
        #expect(coloured[2] == "\u{1B}[1;2mSaturday 2027-07-03\u{1B}[0m")
        #expect(coloured[3].hasPrefix("  \u{1B}[1;31m*\u{1B}[0m "))
        #expect(coloured.map(stripANSI) == view.render(TextStyle(color: false)))
    }
}
