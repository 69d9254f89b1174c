import Testing

@testable import Timeline

@Suite("CalendarConfig")
struct CalendarConfigTests {
    @Test func readsEveryKeyOfACalendarTable() throws {
        let config = try load(
            """
            [defaults]
            reminders = ["1 day before"]

            [[calendar]]
            name = "team"
            vdir = "~/.local/share/calendars/team"
            reminders = ["15 minutes before"]
            notify = ["journal", "desktop"]
            tags = ["work"]
            read_only = true

            [[calendar]]
            name = "home"
            vdir = "/srv/calendars/home"
            """
        )
        #expect(config.calendars.map(\.name) == ["team", "home"])
        let team = config.calendars[0]
        #expect(team.vdir == "~/.local/share/calendars/team")
        #expect(team.location == SourceLocation(file: "t.toml", line: 6, column: 8))
        #expect(team.reminders?.map(\.text) == ["15 minutes before"])
        #expect(team.tags == ["work"])
        #expect(team.readOnly)
        #expect(team.defaults(config.defaults).delivery.channels.contains(.desktop))
        #expect(team.defaults(config.defaults).reminders.map(\.text) == ["15 minutes before"])
        let home = config.calendars[1]
        #expect(home.reminders == nil && !home.readOnly && home.tags.isEmpty)
        #expect(home.defaults(config.defaults).reminders.map(\.text) == ["1 day before"])
        #expect(!home.defaults(config.defaults).delivery.channels.contains(.desktop))
    }

    @Test func reportsEachProblemWhereItSits() {
        let found = errors(
            """
            [[calendar]]
            name = "team"
            vdir = "/a"

            [[calendar]]
            name = "team"
            vdir = "relative/dir"
            remindres = ["1 hour before"]
            read_only = "yes"

            [[calendar]]
            name = "Feed!"
            url = "gopher://example.org/feed.ics"

            [[calendars]]
            name = "x"
            """
        ).map(\.description)
        #expect(found.contains { $0.hasPrefix("t.toml:6:8: error: calendar[1].name = \"team\": duplicate calendar name, first defined at t.toml:2:8") })
        #expect(found.contains { $0.hasPrefix("t.toml:7:8: error: calendar[1].vdir = \"relative/dir\": not an absolute directory") })
        #expect(found.contains { $0.hasPrefix("t.toml:8:1: error: calendar[1].remindres: unknown key \"remindres\"; did you mean \"reminders\"?") })
        #expect(found.contains { $0.hasPrefix("t.toml:9:13: error: calendar[1].read_only = \"yes\": expected true or false") })
        #expect(found.contains { $0.contains("calendar[2].name = \"Feed!\": invalid calendar name") && $0.contains("e.g. \"feed-\"") })
        #expect(found.contains { $0.hasPrefix("t.toml:13:7: error: calendar[2].url = \"gopher://example.org/feed.ics\": not an http, https or webcal URL") })
        #expect(found.contains { $0.contains("calendars: unknown key \"calendars\"; did you mean \"calendar\"?") })
        #expect(found.count == 7)
    }

    @Test func vdirIsRequiredWithoutURL() {
        let found = errors("[[calendar]]\nname = \"a\"\n").map(\.description)
        #expect(found == [#"t.toml:1:1: error: calendar[0]: missing required key "vdir""#])
    }
}
