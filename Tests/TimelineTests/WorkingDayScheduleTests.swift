import Testing

@testable import Timeline

/// The due instants (ISO 8601 in the milestone's zone) of every reminder of `text` in `from...to`.
private func dues(_ text: String, from: String, to: String) throws -> [String] {
    let schedule = Schedule(config: try load(text))
    return schedule.instances(from: utc(from), through: utc(to)).map {
        "\(schedule.milestone(of: $0).id) \(schedule.reminder(of: $0).text) "
            + ReminderMath.iso8601($0.due, in: schedule.milestone(of: $0).zone)
    }
}

@Suite("Schedule: working days")
struct WorkingDayScheduleTests {
    static let holidays = """
        [holidays.office]
        dates = ["2027-12-24..2027-12-26", { date = 2028-01-03, name = "Bridge day" }, 2028-01-01]
        """

    @Test func workingDayRemindersStepOverWeekendsAndHolidaysAcrossTheYear() throws {
        let due = try dues(
            """
            [defaults]
            timezone = "Europe/Berlin"
            holidays = ["office"]
            \(Self.holidays)
            [[milestone]]
            id = "board"
            title = "Board"
            start = 2028-01-04T14:30:00
            reminders = ["3 working days before", "1 working day before", "1 working day after"]
            """,
            from: "2027-12-01T00:00:00Z",
            to: "2028-02-01T00:00:00Z"
        )
        // Jan 3 is a holiday, Jan 1-2 a weekend, Dec 31 a Friday; the time of day of the start is kept.
        #expect(
            due == [
                "board 3 working days before 2027-12-29T14:30:00+01:00",
                "board 1 working day before 2027-12-31T14:30:00+01:00",
                "board 1 working day after 2028-01-05T14:30:00+01:00",
            ]
        )
    }

    @Test(arguments: [
        // West of UTC: 20:00 in New York on Friday is Saturday in UTC; the day counted is the local one.
        ("America/New_York", "2027-12-10T20:00:00", "2027-12-09T20:00:00-05:00", "2027-12-13T20:00:00-05:00"),
        // East of UTC: 07:00 in Auckland on Monday is Sunday in UTC.
        ("Pacific/Auckland", "2027-12-13T07:00:00", "2027-12-10T07:00:00+13:00", "2027-12-14T07:00:00+13:00"),
    ])
    func countsTheMilestonesLocalDaysNotUTCs(zone: String, start: String, before: String, after: String) throws {
        let due = try dues(
            """
            [[milestone]]
            id = "m"
            title = "M"
            timezone = "\(zone)"
            start = \(start)
            reminders = ["1 working day before", "1 working day after"]
            """,
            from: "2027-12-01T00:00:00Z",
            to: "2027-12-31T00:00:00Z"
        )
        #expect(due == ["m 1 working day before \(before)", "m 1 working day after \(after)"])
    }

    @Test(arguments: [
        ("before", ["m at start 2027-12-23T09:00:00+00:00", "m 1 day after 2027-12-23T09:00:00+00:00"]),
        ("after", ["m at start 2027-12-27T09:00:00+00:00", "m 1 day after 2027-12-28T09:00:00+00:00"]),
        ("skip", []),
        ("keep", ["m at start 2027-12-25T09:00:00+00:00", "m 1 day after 2027-12-26T09:00:00+00:00"]),
    ])
    func movesOccurrencesAndRemindersOffNonWorkingDays(rule: String, expected: [String]) throws {
        let due = try dues(
            """
            [defaults]
            on_non_working_day = "\(rule)"
            holidays = ["office"]
            \(Self.holidays)
            [[milestone]]
            id = "m"
            title = "M"
            start = 2027-12-25
            reminders = ["at start", "1 day after"]
            """,
            from: "2027-12-01T00:00:00Z",
            to: "2028-01-31T00:00:00Z"
        )
        #expect(due == expected)
    }

    @Test func aMoveSaysFromWhereAndWhyAndKeepsTheInstanceKey() throws {
        let schedule = Schedule(
            config: try load(
                """
                [[milestone]]
                id = "m"
                title = "M"
                start = 2027-12-24
                holidays = ["office"]
                on_non_working_day = "after"
                reminders = ["at start", "1 working day before"]
                \(Self.holidays)
                """
            )
        )
        let instances = schedule.instances(from: utc("2027-12-01T00:00:00Z"), through: utc("2028-01-31T00:00:00Z"))
        #expect(instances.count == 2)
        let atStart = try #require(instances.first { schedule.reminder(of: $0).text == "at start" })
        #expect(atStart.due == utc("2027-12-27T09:00:00Z"))
        #expect(schedule.move(of: atStart) == NonWorkingDayMove(from: utc("2027-12-24T09:00:00Z"), reason: "office"))
        #expect(schedule.key(of: atStart) == "m|2027-12-24T00:00:00|at start")
        #expect(schedule.instance(forKey: schedule.key(of: atStart)) == atStart)
        // Counted from the moved occurrence (Monday the 27th): the working day before is the 23rd.
        let before = try #require(instances.first { schedule.reminder(of: $0).text == "1 working day before" })
        #expect(before.due == utc("2027-12-23T09:00:00Z"))
        // Where it would have been without the move too (1 working day before the 24th): no move to report.
        #expect(schedule.move(of: before) == nil)
    }

    @Test func movesKeepTheDueQueueInFiringOrder() throws {
        // A weekly Saturday meeting moved to Monday fires after a Sunday one-off that it preceded unmoved.
        let text = """
            [[milestone]]
            id = "weekly"
            title = "Weekly"
            start = 2027-12-04T10:00:00Z
            rrule = "FREQ=WEEKLY;COUNT=3"
            on_non_working_day = "after"
            reminders = ["at start"]
            [[milestone]]
            id = "sunday"
            title = "Sunday"
            start = 2027-12-12T10:00:00Z
            reminders = ["at start"]
            """
        let schedule = Schedule(config: try load(text))
        var queue = DueQueue(schedule: schedule, after: utc("2027-12-06T12:00:00Z"))
        var order: [String] = []
        while let instance = queue.pop() {
            order.append("\(schedule.milestone(of: instance).id) \(instance.due)")
        }
        #expect(order == ["sunday 2027-12-12T10:00:00Z", "weekly 2027-12-13T10:00:00Z", "weekly 2027-12-20T10:00:00Z"])
        // Seeking past the first moved occurrence's original date still finds it.
        let next = schedule.next(after: utc("2027-12-05T00:00:00Z"), count: 1)
        #expect(next.map(\.due) == [utc("2027-12-06T10:00:00Z")])
    }

    @Test func occurrencesAreListedWhereTheyMovedTo() throws {
        let schedule = Schedule(
            config: try load(
                """
                [[milestone]]
                id = "m"
                title = "M"
                start = 2027-12-11
                on_non_working_day = "before"
                """
            )
        )
        // Saturday the 11th moved to Friday the 10th: inside a window ending on the 10th.
        let occurrences = schedule.occurrences(from: utc("2027-12-10T00:00:00Z"), through: utc("2027-12-10T23:00:00Z"))
        #expect(occurrences.map(\.at) == [utc("2027-12-10T00:00:00Z")])
        #expect(occurrences.map(\.start.date) == [day("2027-12-11")])
    }

    @Test func milestoneCalendarOverridesTheDefaultsKeyByKey() throws {
        let config = try load(
            """
            [defaults]
            holidays = ["office"]
            on_non_working_day = "before"
            \(Self.holidays)
            [[milestone]]
            id = "a"
            title = "A"
            start = 2028-01-04
            [[milestone]]
            id = "b"
            title = "B"
            start = 2028-01-04
            working_days = ["SU", "MO", "TU", "WE", "TH"]
            on_non_working_day = "keep"
            """
        )
        #expect(config.milestones[0].workingCalendar == config.defaults.workingCalendar)
        #expect(config.milestones[0].onNonWorkingDay == .before)
        let b = config.milestones[1]
        #expect(b.workingCalendar.workingDays == [.monday, .tuesday, .wednesday, .thursday, .sunday])
        #expect(b.workingCalendar.holiday(on: day("2028-01-03")) == "Bridge day")
        #expect(b.onNonWorkingDay == .keep)
    }
}
