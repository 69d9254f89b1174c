import Testing

@testable import Timeline

/// `[[calendar]]` tables with `url`: the feed's keys, their defaults, and every bad value located where it sits.
@Suite("Feed config")
struct FeedConfigTests {
    @Test func aFeedKeepsItsKeysAndIsReadOnly() throws {
        let config = try load(
            """
            [[calendar]]
            name = "team"
            url = "webcal://example.org/team.ics"
            refresh = "15 minutes"
            timeout = "20 seconds"
            ca_file = "/etc/ssl/team-ca.pem"
            credential = "team-feed"
            """
        )
        let calendar = try #require(config.calendars.first)
        #expect(
            calendar.feed
                == CalendarConfig.Feed(
                    url: "webcal://example.org/team.ics", refresh: 900, caFile: "/etc/ssl/team-ca.pem",
                    credential: "team-feed", timeout: 20)
        )
        #expect(calendar.readOnly)
        #expect(calendar.vdir.isEmpty)
    }

    @Test func refreshAndTimeoutHaveDefaults() throws {
        let config = try load("[[calendar]]\nname = \"team\"\nurl = \"https://example.org/team.ics\"\n")
        let feed = try #require(config.calendars.first?.feed)
        #expect(feed.refresh == CalendarConfig.defaultRefresh)
        #expect(feed.timeout == CalendarConfig.defaultTimeout)
        #expect(feed.caFile == nil && feed.credential == nil)
    }

    @Test(arguments: [
        ("url = \"ftp://example.org/x.ics\"", "calendar[0].url", "not an http, https or webcal URL"),
        ("url = \"https://ana:secret@example.org/x.ics\"", "calendar[0].url", "a user or password in the URL"),
        ("url = \"https://example.org/x.ics\"\nvdir = \"/srv/cal\"", "calendar[0].url", "either a vdir or a feed"),
        ("url = \"https://example.org/x.ics\"\nrefresh = \"30 seconds\"", "calendar[0].refresh", "shorter than a minute"),
        ("url = \"https://example.org/x.ics\"\ntimeout = \"2 hours\"", "calendar[0].timeout", "not between 1 second"),
        ("url = \"https://example.org/x.ics\"\nca_file = \"ca.pem\"", "calendar[0].ca_file", "not an absolute path"),
        ("url = \"https://example.org/x.ics\"\ncredential = \"../x\"", "calendar[0].credential", "not a credential name"),
    ])
    func badFeedKeysAreLocated(table: String, key: String, message: String) {
        let found = errors("[[calendar]]\nname = \"team\"\n\(table)\n")
        #expect(found.contains { $0.key == key && $0.message.contains(message) }, "\(found)")
        // The secret itself is never echoed back.
        #expect(!found.contains { $0.description.contains("ana:secret") })
    }
}
