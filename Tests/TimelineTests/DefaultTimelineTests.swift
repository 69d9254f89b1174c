import DefaultTimeline
import Testing

@testable import Timeline

@Suite("DefaultTimeline")
struct DefaultTimelineTests {
    func defaultConfig() throws -> TimelineConfig {
        try ConfigLoader(zones: ZoneDatabase(), systemZone: .utc)
            .load([ConfigSource(name: DefaultTimeline.name, text: DefaultTimeline.text)])
    }

    @Test func validatesWithoutErrorsOrWarnings() throws {
        let config = try defaultConfig()
        #expect(config.warnings.isEmpty)
        #expect(config.milestones.count == 23)
        #expect(config.milestones.allSatisfy { $0.source?.hasPrefix("https://") == true })
    }

    /// Every dated milestone of shared/reference/sse-milestones.md, with its start and end.
    @Test(arguments: [
        ("oecd-sse-conference-2021", "2021-09-13T13:00:00+02:00", "Europe/Paris"),
        ("sse-academy-01", "2010-10", "Europe/Rome"),
        ("sse-academy-02", "2011-10-24", "America/Toronto"),
        ("sse-academy-03", "2013", "Africa/Casablanca"),
        ("sse-academy-04", "2014", "America/Sao_Paulo"),
        ("sse-academy-05", "2015", "Africa/Johannesburg"),
        ("sse-academy-08", "2017-06-26", "Asia/Seoul"),
        ("sse-academy-09", "2017-09-25", "Europe/Luxembourg"),
        ("sse-academy-10", "2019-06-03", "Europe/Rome"),
        ("sse-academy-11", "2019-10-14", "Europe/Madrid"),
        ("sse-academy-12", "2021-11-15", "Europe/Lisbon"),
        ("untfsse-founded", "2013-09-30", "Europe/Zurich"),
        ("ilo-centenary-declaration", "2019-06-21", "Europe/Zurich"),
        ("ilo-global-call-to-action", "2021-06-17", "Europe/Zurich"),
        ("ilc-110-sse-general-discussion", "2022-05-27", "Europe/Zurich"),
        ("ilc-sse-resolution", "2022-06-10", "Europe/Zurich"),
        ("oecd-recommendation-sse", "2022-06-10", "Europe/Paris"),
        ("oecd-global-action-conference-2023", "2023-03-20", "Europe/Paris"),
        ("unga-resolution-77-281", "2023-04-18", "America/New_York"),
    ])
    func holdsEveryMilestoneOfTheFactsFile(id: String, start: String, zone: String) throws {
        let config = try defaultConfig()
        let milestone = try #require(config.milestones.first { $0.id == id })
        #expect(milestone.zone.identifier == zone)
        let shown: String
        if milestone.isAllDay {
            let date = milestone.start.date.description
            shown =
                switch milestone.precision {
                case .day: date
                case .month: String(date.prefix(7))
                case .year: String(date.prefix(4))
                }
        } else {
            shown = ReminderMath.iso8601(milestone.zone.instant(for: milestone.start), in: milestone.zone)
        }
        #expect(shown == start)
    }

    @Test(arguments: [
        ("sse-academy-02", "2011-10-28"), ("sse-academy-08", "2017-06-30"), ("sse-academy-09", "2017-09-29"),
        ("sse-academy-10", "2019-06-07"), ("sse-academy-11", "2019-10-18"), ("sse-academy-12", "2021-11-26"),
        ("ilc-110-sse-general-discussion", "2022-06-11"), ("oecd-global-action-conference-2023", "2023-03-21"),
    ])
    func spansEndWhereTheFactsSay(id: String, end: String) throws {
        let milestone = try #require(try defaultConfig().milestones.first { $0.id == id })
        #expect(milestone.end?.date.description == end)
    }

    @Test(arguments: ["ilo-global-call-to-action", "oecd-sse-conference-2021", "international-labour-conference"])
    func keepsInferredVisible(id: String) throws {
        let milestone = try #require(try defaultConfig().milestones.first { $0.id == id })
        #expect(milestone.description?.contains("inferred") == true)
    }

    @Test func recurringObservancesFollowTheirRules() throws {
        let schedule = Schedule(config: try defaultConfig())
        let occurrences = schedule.occurrences(from: utc("2027-01-01T00:00:00Z"), through: utc("2027-12-31T23:59:59Z"))
            .map { "\(schedule.milestones[$0.milestoneIndex].id) \($0.start.date)" }
        #expect(
            occurrences == [
                "world-day-of-social-justice 2027-02-20",
                "international-labour-conference 2027-06-07",
                "ilc-sse-resolution-anniversary 2027-06-10",
                "international-day-of-cooperatives 2027-07-03",
            ])
    }

    @Test func listOf2021To2023ShowsTheSSEMilestones() throws {
        let schedule = Schedule(config: try defaultConfig())
        let ids = Set(
            schedule.occurrences(from: utc("2021-01-01T00:00:00Z"), through: utc("2023-12-31T23:59:59Z"))
                .map { schedule.milestones[$0.milestoneIndex].id })
        for id in [
            "oecd-sse-conference-2021", "sse-academy-12", "ilo-global-call-to-action", "ilc-110-sse-general-discussion",
            "ilc-sse-resolution", "oecd-recommendation-sse", "oecd-global-action-conference-2023",
            "unga-resolution-77-281",
        ] {
            #expect(ids.contains(id), "missing \(id)")
        }
        let reminders = schedule.instances(from: utc("2021-01-01T00:00:00Z"), through: utc("2023-12-31T23:59:59Z"))
        #expect(reminders.contains { schedule.milestone(of: $0).id == "ilc-sse-resolution" })
    }
}
