import Testing

@testable import Timeline

/// An instant from an ISO 8601 UTC text such as `2030-06-10T07:00:00Z`.
func utc(_ text: String) -> Instant {
    let parts = text.dropLast().split(separator: "T")
    let d = parts[0].split(separator: "-").map { Int($0)! }
    let t = parts[1].split(separator: ":").map { Int($0)! }
    let local = CivilDateTime(
        date: CivilDate(year: d[0], month: d[1], day: d[2])!,
        hour: t[0],
        minute: t[1],
        second: t[2]
    )!
    return Instant(secondsSinceEpoch: local.secondsSinceEpoch)
}

@Suite("Schedule")
struct ScheduleTests {
    @Test func allDayRemindersComeDueAtTheConfiguredLocalTime() throws {
        let config = try load(
            """
            [defaults]
            all_day_time = "09:00"
            [[milestone]]
            id = "a"
            title = "A"
            start = 2030-04-01
            timezone = "Europe/Paris"
            reminders = ["7 days before", "1 day before", "at start", "2 hours before", "1 day after end"]
            end = 2030-04-03
            """
        )
        let schedule = Schedule(config: config)
        let due = schedule.instances(from: utc("2030-01-01T00:00:00Z"), through: utc("2031-01-01T00:00:00Z"))
            .map { ReminderMath.iso8601($0.due, in: schedule.milestone(of: $0).zone) }
        // 7 days before crosses the DST change of 2030-03-31 and keeps 09:00 local time.
        #expect(
            due == [
                "2030-03-25T09:00:00+01:00", "2030-03-31T09:00:00+02:00", "2030-04-01T07:00:00+02:00",
                "2030-04-01T09:00:00+02:00", "2030-04-04T09:00:00+02:00",
            ]
        )
    }

    @Test func remindersDueAtTheSameInstantFireInConfigOrder() throws {
        let config = try load(
            """
            [defaults]
            reminders = ["at start", "1 hour before"]
            [[milestone]]
            id = "b"
            title = "B"
            start = 2030-01-01T10:00:00Z
            [[milestone]]
            id = "a"
            title = "A"
            start = 2030-01-01T10:00:00Z
            [[milestone]]
            id = "c"
            title = "C"
            start = 2030-01-01T11:00:00Z
            """
        )
        let schedule = Schedule(config: config)
        let order = schedule.next(after: utc("2029-12-31T00:00:00Z"), count: 10).map {
            "\(schedule.milestone(of: $0).id) \(schedule.reminder(of: $0).text)"
        }
        #expect(
            order == [
                "b 1 hour before", "a 1 hour before", "b at start", "a at start", "c 1 hour before", "c at start",
            ]
        )
    }

    @Test func infiniteRulesAreGeneratedLazily() throws {
        let config = try load(
            """
            [[milestone]]
            id = "daily"
            title = "Daily"
            start = 2020-01-01T08:00:00Z
            rrule = "FREQ=DAILY"
            reminders = ["at start"]
            """
        )
        let schedule = Schedule(config: config)
        var queue = DueQueue(schedule: schedule, after: utc("2099-12-31T12:00:00Z"))
        #expect(queue.pendingCount == 1)
        let first = queue.pop()!
        let second = queue.pop()!
        #expect(first.due == utc("2100-01-01T08:00:00Z"))
        #expect(second.due == utc("2100-01-02T08:00:00Z"))
        #expect(queue.pendingCount == 1)
    }

    @Test func dueQueueDrainsOneOffMilestonesInOrder() throws {
        var text = "[defaults]\nreminders = [\"at start\", \"1 day before\"]\n"
        // Written in reverse order, so config order and due order differ.
        for i in (0..<500).reversed() {
            let at = Instant(secondsSinceEpoch: utc("2030-01-01T00:00:00Z").secondsSinceEpoch + Int64(i) * 3600)
            text += "[[milestone]]\nid = \"m\(i)\"\ntitle = \"M\"\nstart = \(at.utc)Z\n"
        }
        let schedule = Schedule(config: try load(text))
        var queue = DueQueue(schedule: schedule, after: utc("2029-01-01T00:00:00Z"))
        #expect(queue.pendingCount == 1000)
        var previous: ReminderInstance?
        var count = 0
        while let next = queue.pop() {
            if let previous { #expect(!ReminderInstance.firesBefore(next, previous)) }
            previous = next
            count += 1
        }
        #expect(count == 1000)
    }

    @Test func keysIdentifyMilestoneOccurrenceAndOffset() throws {
        let config = try load(
            """
            [[milestone]]
            id = "coop"
            title = "Co-op day"
            start = 2030-07-06
            rrule = "FREQ=YEARLY;BYMONTH=7;BYDAY=1SA"
            reminders = ["30 d before"]
            """
        )
        let schedule = Schedule(config: config)
        let next = schedule.next(after: utc("2030-01-01T00:00:00Z"), count: 2)
        #expect(
            next.map(schedule.key(of:)) == [
                "coop|2030-07-06T00:00:00|30 days before", "coop|2031-07-05T00:00:00|30 days before",
            ]
        )
    }

    /// DST transitions, by zone: a daily 02:30 (or 00:00 in Apia) milestone around each transition.
    @Test(arguments: [
        // Europe/Paris: 02:30 does not exist on 2030-03-31 (moves forward to 03:30 CEST); on 2030-10-27 it
        // happens twice (the first, CEST, is taken).
        (
            "Europe/Paris", "2030-03-30T02:30:00",
            ["2030-03-30T02:30:00+01:00", "2030-03-31T03:30:00+02:00", "2030-04-01T02:30:00+02:00"]
        ),
        (
            "Europe/Paris", "2030-10-26T02:30:00",
            ["2030-10-26T02:30:00+02:00", "2030-10-27T02:30:00+02:00", "2030-10-28T02:30:00+01:00"]
        ),
        (
            "America/New_York", "2030-03-09T02:30:00",
            ["2030-03-09T02:30:00-05:00", "2030-03-10T03:30:00-04:00", "2030-03-11T02:30:00-04:00"]
        ),
        (
            "America/New_York", "2030-11-02T01:30:00",
            ["2030-11-02T01:30:00-04:00", "2030-11-03T01:30:00-04:00", "2030-11-04T01:30:00-05:00"]
        ),
        // Lord Howe: 30-minute DST; 02:15 does not exist on 2030-10-06 (+10:30 → +11:00).
        (
            "Australia/Lord_Howe", "2030-10-05T02:15:00",
            ["2030-10-05T02:15:00+10:30", "2030-10-06T02:45:00+11:00", "2030-10-07T02:15:00+11:00"]
        ),
        // Lord Howe falls back at 02:00 to 01:30 on 2030-04-07: 01:45 happens twice, the first (+11:00) is taken.
        (
            "Australia/Lord_Howe", "2030-04-06T01:45:00",
            ["2030-04-06T01:45:00+11:00", "2030-04-07T01:45:00+11:00", "2030-04-08T01:45:00+10:30"]
        ),
    ])
    func dailyTimedMilestonesAcrossDST(zone: String, start: String, expected: [String]) throws {
        let config = try load(
            """
            [[milestone]]
            id = "d"
            title = "D"
            start = \(start)
            timezone = "\(zone)"
            rrule = "FREQ=DAILY;COUNT=3"
            reminders = ["at start"]
            """
        )
        let schedule = Schedule(config: config)
        let due = schedule.next(after: Instant(secondsSinceEpoch: 0), count: 5).map {
            ReminderMath.iso8601($0.due, in: schedule.milestone(of: $0).zone)
        }
        #expect(due == expected)
    }

    @Test func apiaSkippedTheThirtiethOfDecember2011() throws {
        let config = try load(
            """
            [[milestone]]
            id = "d"
            title = "D"
            start = 2011-12-28
            timezone = "Pacific/Apia"
            rrule = "FREQ=DAILY;COUNT=4"
            reminders = ["at start"]
            """
        )
        let schedule = Schedule(config: config)
        let due = schedule.next(after: Instant(secondsSinceEpoch: 0), count: 5).map {
            ReminderMath.iso8601($0.due, in: schedule.milestone(of: $0).zone)
        }
        // 2011-12-30 does not exist in Samoa: its 09:00 moves forward by the 24-hour gap.
        #expect(
            due == [
                "2011-12-28T09:00:00-10:00", "2011-12-29T09:00:00-10:00", "2011-12-31T09:00:00+14:00",
                "2011-12-31T09:00:00+14:00",
            ]
        )
    }

    /// Every reminder instance due after `after`, found the slow way: each stream walked from DTSTART.
    static func walkedFromStart(_ schedule: Schedule, after: Instant, limit: Int) -> [String] {
        var found: [(Instant, Int, Int, CivilDateTime)] = []
        for (m, milestone) in schedule.milestones.enumerated() {
            for (r, reminder) in milestone.reminders.enumerated() {
                var produced = 0
                for start in OccurrenceStarts(milestone) {
                    let occurrence = Occurrence(start: start, milestone: milestone)
                    guard
                        let due = ReminderMath.due(
                            of: reminder.offset,
                            occurrence: occurrence,
                            milestone: milestone,
                            allDayTime: schedule.config.defaults.allDayTime
                        )
                    else { break }
                    if due > after {
                        found.append((due, m, r, start))
                        produced += 1
                        if produced == limit { break }
                    }
                }
            }
        }
        return found.sorted { ($0.0, $0.1, $0.2, $0.3) < ($1.0, $1.1, $1.2, $1.3) }.prefix(limit)
            .map { "\($0.0.secondsSinceEpoch) \($0.1) \($0.2) \($0.3)" }
    }

    /// The schedule seeks each stream close to "now" instead of walking from DTSTART; it must find exactly what
    /// walking finds, for reminders long before or after their occurrence, anchored at the end, all-day, across
    /// DST and Samoa's skipped day, with COUNT, UNTIL, RDATE and EXDATE.
    @Test(arguments: [
        "1930-01-01T00:00:00Z", "2011-12-25T00:00:00Z", "2011-12-30T09:00:00Z", "2030-03-31T00:59:59Z",
        "2030-03-31T01:00:00Z", "2030-10-27T00:30:00Z", "2031-06-15T12:00:00Z", "2044-02-29T08:00:00Z",
        "2100-01-01T00:00:00Z",
    ])
    func seekingFindsWhatWalkingFromStartFinds(now: String) throws {
        let config = try load(
            """
            [defaults]
            all_day_time = "09:00"
            [[milestone]]
            id = "weekly-paris"
            title = "W"
            start = 2001-01-01T02:30:00
            timezone = "Europe/Paris"
            rrule = "FREQ=WEEKLY;BYDAY=SU,MO"
            reminders = ["at start", "3 days before", "1 hour after", "2 weeks 3 hours before"]
            [[milestone]]
            id = "apia"
            title = "A"
            start = 2011-12-20
            end = 2011-12-22
            timezone = "Pacific/Apia"
            rrule = "FREQ=DAILY;INTERVAL=3"
            exdate = [2011-12-26]
            rdate = [2011-12-30, 2011-12-31]
            reminders = ["at start", "1 day after end", "10 days before end"]
            [[milestone]]
            id = "leap"
            title = "L"
            start = 1904-02-29T08:00:00
            timezone = "America/New_York"
            rrule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=1,8"
            reminders = ["at start", "400 days before", "30 days after"]
            [[milestone]]
            id = "counted"
            title = "C"
            start = 1990-01-01T09:00:00
            end = 1990-01-01T10:30:00
            timezone = "Australia/Lord_Howe"
            rrule = "FREQ=DAILY;BYHOUR=9,21;COUNT=40000"
            reminders = ["at end", "1 day before", "5 minutes after end"]
            [[milestone]]
            id = "until"
            title = "U"
            start = 2020-01-31T23:00:00
            rrule = "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20310101T000000Z"
            reminders = ["at start", "31 days before"]
            """
        )
        let schedule = Schedule(config: config)
        let after = utc(now)
        let expected = Self.walkedFromStart(schedule, after: after, limit: 60)
        let found = schedule.next(after: after, count: 60).map {
            "\($0.due.secondsSinceEpoch) \($0.milestoneIndex) \($0.reminderIndex) \($0.occurrenceStart)"
        }
        #expect(found == expected)
        #expect(found.count == 60 || now == "2100-01-01T00:00:00Z")

        // The occurrences in a window (what `list` shows) seek too.
        let to = after.adding(seconds: 400 * 86400)
        var walked: [(at: Int64, index: Int, start: CivilDateTime)] = []
        for (index, milestone) in schedule.milestones.enumerated() {
            for start in OccurrenceStarts(milestone) {
                let at = milestone.zone.instant(for: start)
                if at > to { break }
                if at >= after { walked.append((at.secondsSinceEpoch, index, start)) }
            }
        }
        walked.sort { ($0.at, $0.index) < ($1.at, $1.index) }
        let listed = schedule.occurrences(from: after, through: to)
        #expect(listed.map(\.start) == walked.map(\.start))
        #expect(listed.map(\.milestoneIndex) == walked.map(\.index))
    }

    @Test func scheduleFromAndToTheEndsOfTime() throws {
        let config = try load(
            """
            [[milestone]]
            id = "daily"
            title = "D"
            start = 2030-01-01T09:00:00
            timezone = "Pacific/Kiritimati"
            rrule = "FREQ=DAILY;COUNT=3"
            reminders = ["at start"]
            """
        )
        let schedule = Schedule(config: config)
        #expect(schedule.next(after: Instant(secondsSinceEpoch: .min), count: 5).count == 3)
        #expect(schedule.next(after: Instant(secondsSinceEpoch: .max), count: 5).isEmpty)
        #expect(
            schedule.occurrences(from: Instant(secondsSinceEpoch: .min), through: Instant(secondsSinceEpoch: .max))
                .count == 3
        )
        #expect(
            schedule.occurrences(from: Instant(secondsSinceEpoch: .max), through: Instant(secondsSinceEpoch: .max))
                .isEmpty
        )
    }
}
