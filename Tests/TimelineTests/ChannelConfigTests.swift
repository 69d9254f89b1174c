import Testing

@testable import Timeline

/// `[channel.NAME]` tables, the names `notify` accepts, `mail_allow`, and iCalendar `ACTION:EMAIL` alarms.
@Suite("Channel config")
struct ChannelConfigTests {
    @Test func channelsAreReadAndNamedInNotifyAtEveryLevel() throws {
        let config = try load(
            """
            [channel.board]
            mail = ["board@example.org", "Ana <ana@example.org>"]
            language = "fr"
            retry_for = "2 hours"

            [channel.phone]
            apprise = "phone"

            [defaults]
            notify = ["journal", "phone"]
            mail_allow = ["board@example.org", "*@coop.example"]

            [[milestone]]
            id = "exam"
            title = "Exam"
            start = 2030-01-01T12:00:00Z
            notify = ["board", "desktop", "phone"]
            reminders = ["1 day before", { at = "at start", notify = ["journal"] }]

            [[milestone]]
            id = "plain"
            title = "Plain"
            start = 2030-03-01
            """
        )
        #expect(
            config.defaults.channels["board"]
                == Channel(
                    name: "board",
                    kind: .mail(["board@example.org", "Ana <ana@example.org>"]),
                    language: "fr",
                    retryFor: 7200
                )
        )
        #expect(config.defaults.channels["phone"] == Channel(name: "phone", kind: .apprise("phone")))
        #expect(config.defaults.channels["phone"]?.retryFor == 86400)
        #expect(config.defaults.mailAllow == ["board@example.org", "*@coop.example"])
        #expect(config.defaults.delivery.remote == ["phone"])
        let exam = config.milestones[0]
        #expect(exam.delivery(ofReminder: 0).remote == ["board", "phone"])
        #expect(exam.delivery(ofReminder: 0).channelNames == ["journal", "desktop", "board", "phone"])
        // A reminder's own notify replaces the named channels too.
        #expect(exam.delivery(ofReminder: 1).remote == [])
        #expect(config.milestones[1].delivery(ofReminder: 0).remote == ["phone"])
    }

    @Test func everyBadChannelIsLocatedWithWhatIsAccepted() {
        let found = errors(
            """
            [channel.board]
            mail = ["board@example.org", "not an address", "a,b@example.org"]
            retry_for = "forever"
            languge = "fr"

            [channel.phone]
            apprise = "ntfys://token@ntfy.sh/topic"

            [channel.both]
            mail = ["x@example.org"]
            apprise = "x"

            [channel.none]
            language = "de"

            [channel.journal]
            apprise = "j"

            [channel.Big]
            apprise = "b"

            [defaults]
            notify = ["bord"]
            mail_allow = ["*@", "ok@example.org"]

            [[milestone]]
            id = "a"
            title = "A"
            start = 2030-01-01
            notify = ["phone", "sms"]
            """
        ).map(\.description)
        #expect(
            found == [
                "t.toml:2:30: error: channel.board.mail[1] = \"not an address\": not a mail address; e.g. \"board@example.org\" or \"Ana <ana@example.org>\"",
                "t.toml:2:48: error: channel.board.mail[2] = \"a,b@example.org\": a control character or a comma in an address; e.g. \"board@example.org\" or \"Ana <ana@example.org>\"",
                "t.toml:3:13: error: channel.board.retry_for = \"forever\": not a duration; accepted: amounts with units (weeks, days, hours, minutes, seconds), e.g. \"7 days\"",
                "t.toml:4:1: error: channel.board.languge: unknown key \"languge\"; did you mean \"language\"?",
                "t.toml:7:11: error: channel.phone.apprise = \"(a URL, not shown)\": a URL in the config; Apprise URLs hold secrets: put them in a credential (docs/channels.md) and name it here, e.g. apprise = \"phone\"",
                "t.toml:11:11: error: channel.both.apprise: a channel has mail or apprise, not both",
                "t.toml:13:1: error: channel.none: a channel needs mail or apprise; e.g. mail = [\"board@example.org\"], or apprise = \"phone\" (a credential holding the URLs)",
                "t.toml:14:12: error: channel.none.language = \"de\": not a language sse-timeline speaks; accepted: \"en\", \"es\", \"fr\"",
                "t.toml:16:1: error: channel.journal = \"journal\": a reserved channel name; journal, desktop, ics-mail are built in; pick another name",
                "t.toml:19:1: error: channel.Big = \"Big\": not a channel name; lowercase letters, digits, _ and -, starting with a letter or digit, e.g. [channel.board]",
                "t.toml:23:11: error: defaults.notify[0] = \"bord\": unknown channel; did you mean \"board\"?",
                "t.toml:24:15: error: defaults.mail_allow[0] = \"*@\": not an address or *@domain; e.g. [\"board@example.org\", \"*@coop.example\"]",
                "t.toml:30:20: error: milestone[0].notify[1] = \"sms\": unknown channel; accepted: journal, desktop, board, both, none, phone, or the name of a [channel.NAME] table",
            ]
        )
        // The URL itself, a secret, is never printed.
        #expect(!found.joined().contains("token"))
    }

    static func alarm(_ attendees: String) -> String {
        ICalendarImportTests.calendar(
            """
            BEGIN:VEVENT
            UID:board-meeting@example.org
            SUMMARY:Board meeting
            DTSTART:20300101T120000Z
            BEGIN:VALARM
            ACTION:EMAIL
            TRIGGER:-PT1H
            SUMMARY:Board meeting
            \(attendees)
            END:VALARM
            END:VEVENT
            """
        )
    }

    @Test func anEmailAlarmMailsOnlyTheAddressesMailAllowAllows() throws {
        var defaults = Defaults()
        defaults.mailAllow = ["board@example.org", "*@coop.example"]
        let (milestones, diagnostics) = ICalendarImportTests.read(
            Self.alarm(
                "ATTENDEE;CN=Board:mailto:board@example.org\nATTENDEE:mailto:Ana@Coop.Example\nATTENDEE:mailto:eve@elsewhere.example"
            ),
            defaults: defaults
        )
        let delivery = try #require(milestones.first).delivery(ofReminder: 0)
        #expect(delivery.remote == [Channel.icsMail])
        #expect(delivery.mailTo == ["board@example.org", "Ana@Coop.Example"])
        #expect(
            diagnostics.map(\.description) == [
                "t.ics:14:10: warning: ATTENDEE = \"mailto:eve@elsewhere.example\": this address is not in mail_allow; the alarm does not mail it; allow it in [defaults] mail_allow = [\"eve@elsewhere.example\"] (or \"*@domain\") if this host may mail it"
            ]
        )
    }

    @Test func anEmailAlarmWithNoAllowedAddressMailsNobody() throws {
        let (milestones, diagnostics) = ICalendarImportTests.read(Self.alarm("ATTENDEE:mailto:board@example.org"))
        let delivery = try #require(milestones.first).delivery(ofReminder: 0)
        #expect(delivery.remote.isEmpty)
        #expect(delivery.mailTo.isEmpty)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.severity == .warning)
        #expect(diagnostics.first?.location.line == 12)
    }

    @Test(arguments: [
        ("board@example.org", true), ("BOARD@example.ORG", true), ("ana@coop.example", true),
        ("ana@sub.coop.example", false), ("eve@example.org", false), ("ana@xcoop.example", false),
    ])
    func mailAllowMatchesAddressesAndDomains(address: String, allowed: Bool) {
        #expect(Channel.isAllowed(address, by: ["board@example.org", "*@coop.example"]) == allowed)
    }
}
