import Testing

@testable import Timeline

/// `notify`, `snooze` and `repeat` in `[defaults]`, a milestone and a reminder's table: what they resolve to,
/// and every bad value located where it sits.
@Suite("Delivery config")
struct DeliveryConfigTests {
    static let timeline = """
        [defaults]
        notify = ["journal", "desktop"]
        snooze = ["5 minutes"]

        [[milestone]]
        id = "exam"
        title = "Exam"
        start = 2030-01-01T12:00:00Z
        reminders = ["1 day before", { at = "1 hour before", priority = "crit", snooze = ["10 minutes", "1 hour"], repeat = { every = "5 minutes", times = 3 } }]

        [[milestone]]
        id = "quiet"
        title = "Quiet"
        start = 2030-02-01
        notify = ["journal"]
        repeat = { every = "1 hour", times = 2 }
        reminders = ["at start", { at = 2030-01-31T08:00:00Z, repeat = false, notify = ["desktop"] }]

        [[milestone]]
        id = "plain"
        title = "Plain"
        start = 2030-03-01
        """

    @Test func defaultsMilestonesAndRemindersResolveInThatOrder() throws {
        let config = try load(Self.timeline)
        #expect(config.defaults.delivery.channels == [.journal, .desktop])
        #expect(config.defaults.delivery.snooze == [300])

        let exam = config.milestones[0]
        #expect(exam.delivery(ofReminder: 0) == Delivery(channels: [.desktop], snooze: [300]))
        let nagging = exam.delivery(ofReminder: 1)
        #expect(nagging.isDesktop)
        #expect(nagging.snooze == [600, 3600])
        #expect(nagging.repetition == Delivery.Repetition(every: 300, times: 3))

        let quiet = config.milestones[1]
        #expect(quiet.delivery(ofReminder: 0).channels == [.journal])
        #expect(quiet.delivery(ofReminder: 0).repetition == Delivery.Repetition(every: 3600, times: 2))
        #expect(quiet.delivery(ofReminder: 0).snooze == [300])
        // The absolute reminder's table turns the milestone's repeat off and its desktop on.
        #expect(quiet.delivery(ofReminder: 1).repetition == nil)
        #expect(quiet.delivery(ofReminder: 1).channels == [.journal, .desktop])

        // A milestone that says nothing shares the defaults' delivery.
        #expect(config.milestones[2].delivery == config.defaults.delivery)
    }

    @Test func withoutAnyKeyRemindersGoToTheJournalOnlyWithTheStandardSnoozes() throws {
        let config = try load(
            """
            [[milestone]]
            id = "a"
            title = "A"
            start = 2030-01-01
            """
        )
        let delivery = config.milestones[0].delivery(ofReminder: 0)
        #expect(delivery == .standard)
        #expect(delivery.channels == [.journal])
        #expect(!delivery.isDesktop)
        #expect(delivery.snooze == [600, 3600])
        #expect(delivery.repetition == nil)
    }

    @Test func laterFilesOverrideDefaultsKeyByKey() throws {
        let config = try ConfigLoader(zones: ZoneDatabase(), systemZone: .utc).load([
            ConfigSource(name: "timeline.toml", text: "[defaults]\nnotify = [\"desktop\"]\nsnooze = [\"1 minute\"]\n"),
            ConfigSource(
                name: "timeline.d/10.toml",
                text: "[defaults]\nsnooze = []\n\n[[milestone]]\nid = \"a\"\ntitle = \"A\"\nstart = 2030-01-01\n"
            ),
        ])
        #expect(config.milestones[0].delivery == Delivery(channels: [.desktop], snooze: []))
    }

    /// One bad value per line, each reported at its own line and column with what would be accepted.
    @Test func everyBadValueIsLocated() {
        let text = """
            [defaults]
            notify = "desktop"
            snooze = ["0 minutes", "ten minutes", 5]

            [[milestone]]
            id = "a"
            title = "A"
            start = 2030-01-01
            notify = ["journal", "desktp", 3]
            snooze = ["1 hour", "60 minutes"]
            repeat = { every = "5 minutes", times = 0, often = true }
            reminders = [{ at = "1 day before", repeat = true }, { at = "at start", repeat = { times = 2 } }, { at = "1 hour before", notfy = ["desktop"] }]

            [[milestone]]
            id = "b"
            title = "B"
            start = 2030-01-01
            repeat = "5 minutes"
            snooze = ["1 s", "2 s", "3 s", "4 s", "5 s", "6 s", "7 s"]
            """
        let found = errors(text).map(\.description)
        let expected = [
            "t.toml:2:10: error: defaults.notify = \"desktop\": expected an array of channels, found a string; write notify = [\"desktop\"]",
            "t.toml:3:11: error: defaults.snooze[0] = \"0 minutes\": a snooze must last 1 second to 366 days",
            "t.toml:3:24: error: defaults.snooze[1] = \"ten minutes\": not a duration; accepted: amounts with units (weeks, days, hours, minutes, seconds), e.g. \"10 minutes\" or \"1 hour 30 minutes\"",
            "t.toml:3:39: error: defaults.snooze[2] = \"5\": expected a duration string, found an integer; accepted: amounts with units (weeks, days, hours, minutes, seconds), e.g. \"10 minutes\" or \"1 hour 30 minutes\"",
            "t.toml:9:22: error: milestone[0].notify[1] = \"desktp\": unknown channel; did you mean \"desktop\"?",
            "t.toml:9:32: error: milestone[0].notify[2] = \"3\": expected a channel name, found an integer; accepted: journal, desktop",
            "t.toml:10:21: error: milestone[0].snooze[1] = \"60 minutes\": duplicate snooze duration (the same as an earlier one)",
            "t.toml:11:41: error: milestone[0].repeat.times = \"0\": out of range; accepted: 1 to 100 repeats",
            "t.toml:11:44: error: milestone[0].repeat.often: unknown key \"often\"; accepted keys: every, times",
            "t.toml:12:46: error: milestone[0].reminders[0].repeat = \"true\": a repeat needs how often and how many times; e.g. repeat = { every = \"5 minutes\", times = 3 }, or repeat = false for none",
            "t.toml:12:82: error: milestone[0].reminders[1].repeat: missing required key \"every\"; e.g. repeat = { every = \"5 minutes\", times = 3 }, or repeat = false for none",
            "t.toml:12:123: error: milestone[0].reminders[2].notfy: unknown key \"notfy\"; did you mean \"notify\"?",
            "t.toml:18:10: error: milestone[1].repeat = \"5 minutes\": expected a table with every and times, found a string; e.g. repeat = { every = \"5 minutes\", times = 3 }, or repeat = false for none",
            "t.toml:19:53: error: milestone[1].snooze[6] = \"7 s\": too many snooze durations; at most 6: a notification shows few buttons",
        ]
        #expect(found == expected)
        for (line, want) in zip(found, expected) where line != want {
            Issue.record("got:  \(line)\nwant: \(want)")
        }
    }

    @Test func aChannelListedTwiceIsAWarningNotAnError() throws {
        let config = try load(
            """
            [[milestone]]
            id = "a"
            title = "A"
            start = 2030-01-01
            notify = ["desktop", "desktop"]
            """
        )
        #expect(config.milestones[0].delivery.isDesktop)
        #expect(
            config.warnings.map(\.description) == [
                "t.toml:5:22: warning: milestone[0].notify[1] = \"desktop\": channel listed twice"
            ]
        )
    }
}
