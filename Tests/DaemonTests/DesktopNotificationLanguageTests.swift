import DaemonTesting
import Testing
import Timeline

@testable import Daemon

/// French as a catalog would give it, for the notification's words (the real catalogs are checked by
/// integration/i18n/run.sh, the notification as dunst shows it by integration/desktop/run.sh).
private let french = Localizer(
    singular: {
        [
            "%s starts %s": "%s commence %s", "in %s": "dans %s", "When: %s (%s)": "Quand : %s (%s)",
            "Where: %s": "Où : %s", "Snooze %s": "Reporter de %s", "Dismiss": "Ignorer", "tomorrow": "demain",
            "%s to %s": "%s au %s",
        ][$0] ?? $0
    },
    plural: { one, other, n in
        ["%d minute": n > 1 ? "%d minutes" : "%d minute", "%d hour": n > 1 ? "%d heures" : "%d heure"][one]
            ?? (n == 1 ? one : other)
    },
    language: { "fr" }
)

@Suite("Desktop notification in other languages")
struct DesktopNotificationLanguageTests {
    func delivered(_ config: String, at now: String) throws -> DeliveredReminder {
        let loaded = try ConfigLoader(zones: ZoneDatabase(), systemZone: .utc).load([
            ConfigSource(name: "t.toml", text: config)
        ])
        let schedule = Schedule(config: loaded)
        let instance = schedule.next(after: Instant(secondsSinceEpoch: wall(now).seconds - 1), count: 1)[0]
        let entry = ReminderEntry(schedule: schedule, localizer: french).entry(
            for: instance,
            now: wall(now),
            caughtUp: false
        )
        return DeliveredReminder(
            entry: entry,
            key: schedule.key(of: instance),
            milestone: schedule.milestone(of: instance),
            instance: instance,
            isReturn: false
        )
    }

    @Test func theSummaryBodyAndButtonsAreInTheLocalizersLanguage() throws {
        let reminder = try delivered(
            """
            [[milestone]]
            id = "coop"
            title = "International Day of Cooperatives"
            title_fr = "Journée internationale des coopératives"
            location = "worldwide"
            location_fr = "dans le monde entier"
            start = 2030-07-06T09:00:00
            timezone = "UTC"
            snooze = ["10 minutes", "1 hour"]
            reminders = ["10 minutes before"]
            """,
            at: "2030-07-06T08:50:00Z"
        )
        let notification = DesktopNotification(
            for: reminder,
            now: wall("2030-07-06T08:50:00Z"),
            capabilities: ["actions"],
            localizer: french
        )
        #expect(notification.summary == "Journée internationale des coopératives commence dans 10 minutes")
        #expect(notification.body == "Quand : 2030-07-06 09:00 UTC (dans 10 minutes)\nOù : dans le monde entier")
        #expect(
            notification.actionStrings == [
                "snooze-600", "Reporter de 10 minutes", "snooze-3600", "Reporter de 1 heure", "dismiss", "Ignorer",
            ]
        )
        // The same reminder for an English reader: the words and the texts as configured.
        let english = DesktopNotification(for: reminder, now: wall("2030-07-06T08:50:00Z"), capabilities: [])
        #expect(english.summary == "International Day of Cooperatives starts in 10 minutes")
        #expect(english.body == "When: 2030-07-06 09:00 UTC (in 10 minutes)\nWhere: worldwide")
    }

    @Test func anAllDaySpanReadsInTheLanguageToo() throws {
        let reminder = try delivered(
            """
            [[milestone]]
            title = "SSE Academy"
            id = "academy"
            reminders = ["1 day before"]
            start = 2030-10-14
            end = 2030-10-18
            """,
            at: "2030-10-13T09:00:00Z"
        )
        let notification = DesktopNotification(
            for: reminder,
            now: wall("2030-10-13T09:00:00Z"),
            capabilities: [],
            localizer: french
        )
        #expect(notification.summary == "SSE Academy commence demain")
        #expect(notification.body == "Quand : 2030-10-14 au 2030-10-18 (demain)")
    }
}
