import Daemon
import Testing
import Timeline

/// French as a catalog would give it (the real catalogs are checked by integration/i18n/run.sh).
private let french = Localizer(
    singular: { ["%s starts in %s": "%s commence dans %s"][$0] ?? $0 },
    plural: { one, other, n in ["%d day": n > 1 ? "%d jours" : "%d jour"][one] ?? (n == 1 ? one : other) },
    language: { "fr" }
)

@Suite("ReminderEntry in other languages")
struct ReminderEntryLanguageTests {
    let schedule: Schedule

    init() throws {
        let config = try ConfigLoader(zones: ZoneDatabase(), systemZone: .utc).load([
            ConfigSource(
                name: "t.toml",
                text: """
                    [[milestone]]
                    id = "ilc"
                    title = "International Labour Conference"
                    title_fr = "Conférence internationale du Travail"
                    title_es = "Conferencia Internacional del Trabajo"
                    location = "Geneva"
                    location_fr = "Genève"
                    start = 2030-06-03
                    reminders = ["21 days before"]
                    """
            )
        ])
        schedule = Schedule(config: config)
    }

    @Test func messageIsInTheReadersLanguageAndFieldsCarryEveryTitle() {
        let instance = schedule.next(after: Instant(secondsSinceEpoch: 0), count: 1)[0]
        let entry = ReminderEntry(schedule: schedule, localizer: french).entry(
            for: instance, now: WallTime(instance.due), caughtUp: false
        )
        #expect(entry.message == "Conférence internationale du Travail commence dans 21 jours (2030-06-03, Genève).")
        #expect(entry["MILESTONE_TITLE"] == "International Labour Conference")
        #expect(entry["MILESTONE_TITLE_FR"] == "Conférence internationale du Travail")
        #expect(entry["MILESTONE_TITLE_ES"] == "Conferencia Internacional del Trabajo")
        #expect(entry["MILESTONE_LOCATION"] == "Geneva")
        #expect(entry["REMINDER"] == "21 days before")
    }

    @Test func englishKeepsTheTitleAsWritten() {
        let instance = schedule.next(after: Instant(secondsSinceEpoch: 0), count: 1)[0]
        let entry = ReminderEntry(schedule: schedule, localizer: .english).entry(
            for: instance, now: WallTime(instance.due), caughtUp: false
        )
        #expect(entry.message == "International Labour Conference starts in 21 days (2030-06-03, Geneva).")
        #expect(entry["MILESTONE_TITLE_FR"] == "Conférence internationale du Travail")
    }
}
