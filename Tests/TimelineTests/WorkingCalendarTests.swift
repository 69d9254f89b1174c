import Testing

@testable import Timeline

/// A date from `YYYY-MM-DD`.
func day(_ text: String) -> CivilDate { CivilDate(iso: text)! }

@Suite("WorkingCalendar")
struct WorkingCalendarTests {
    /// Christmas and Boxing Day 2027 (a Saturday and a Sunday), New Year 2028 (a Saturday), 2028-01-03 (Monday).
    static let office: WorkingCalendar = {
        var set = HolidaySet(name: "office")
        set.add(day("2027-12-25"), through: day("2027-12-26"), named: "Christmas")
        set.add(day("2028-01-01"), through: day("2028-01-01"), named: "New Year")
        set.add(day("2028-01-03"), through: day("2028-01-03"))
        return WorkingCalendar(workingDays: [.monday, .tuesday, .wednesday, .thursday, .friday], holidays: [set])
    }()

    @Test func standardIsMondayToFridayWithoutHolidays() {
        let calendar = WorkingCalendar.standard
        #expect(calendar.workingDays == [.monday, .tuesday, .wednesday, .thursday, .friday])
        #expect(calendar.isWorkingDay(day("2027-12-24")))  // a Friday
        #expect(!calendar.isWorkingDay(day("2027-12-25")))  // a Saturday
        #expect(calendar.holiday(on: day("2027-12-25")) == nil)
        #expect(calendar.reasonNotWorking(day("2027-12-26")) == "weekend")
        #expect(calendar.reasonNotWorking(day("2027-12-27")) == nil)
    }

    @Test func holidaysOnWeekendsAreNamedByTheHoliday() {
        #expect(Self.office.holiday(on: day("2027-12-25")) == "Christmas")
        #expect(Self.office.reasonNotWorking(day("2027-12-25")) == "Christmas")
        #expect(Self.office.reasonNotWorking(day("2028-01-03")) == "office")
        #expect(!Self.office.isWorkingDay(day("2028-01-03")))
    }

    @Test(arguments: [
        // Back over a weekend: Monday minus 1 is Friday (Remind's `REM ... -1 OMIT Sat Sun`).
        ("2027-12-13", -1, "2027-12-10"),
        ("2027-12-12", -1, "2027-12-10"),  // from a Sunday: the day itself does not count
        ("2027-12-11", 1, "2027-12-13"),  // from a Saturday forward: Monday
        // Over a holiday on a Monday, a weekend and a Saturday holiday, across the year boundary.
        ("2028-01-04", -1, "2027-12-31"),
        ("2028-01-04", -5, "2027-12-27"),
        ("2028-01-04", -6, "2027-12-24"),
        ("2027-12-24", 1, "2027-12-27"),
        ("2027-12-31", 1, "2028-01-04"),
        ("2027-12-31", 0, "2027-12-31"),
        ("2027-12-20", 10, "2028-01-04"),
    ])
    func countsWorkingDaysAsRemindCountsOverOmittedDays(from: String, count: Int, expected: String) {
        #expect(Self.office.adding(workingDays: count, to: day(from)) == day(expected))
    }

    @Test func nearestWorkingDayBeforeAndAfter() {
        #expect(Self.office.workingDay(onOrNear: day("2028-01-01"), forward: false) == day("2027-12-31"))
        #expect(Self.office.workingDay(onOrNear: day("2028-01-01"), forward: true) == day("2028-01-04"))
        #expect(Self.office.workingDay(onOrNear: day("2027-12-31"), forward: true) == day("2027-12-31"))
    }

    @Test func otherWorkingWeeksNameTheWeekdayThatIsOff() {
        // A Sunday-to-Thursday week.
        let calendar = WorkingCalendar(workingDays: [.sunday, .monday, .tuesday, .wednesday, .thursday], holidays: [])
        #expect(calendar.reasonNotWorking(day("2027-12-24")) == "Friday")
        #expect(calendar.reasonNotWorking(day("2027-12-25")) == "weekend")
        #expect(calendar.isWorkingDay(day("2027-12-26")))
        #expect(calendar.adding(workingDays: 1, to: day("2027-12-23")) == day("2027-12-26"))
    }

    @Test func noWorkingDayAtAllGivesNothingInsteadOfLooping() {
        let calendar = WorkingCalendar(workingDays: [], holidays: [])
        #expect(calendar.adding(workingDays: 1, to: day("2027-12-23")) == nil)
        #expect(calendar.workingDay(onOrNear: day("2027-12-23"), forward: true) == nil)
    }

    @Test func theFirstSetNamingADayGivesItsName() {
        var a = HolidaySet(name: "a")
        a.add(day("2027-05-01"), through: day("2027-05-01"))
        var b = HolidaySet(name: "b")
        b.add(day("2027-05-01"), through: day("2027-05-03"), named: "May Day")
        let calendar = WorkingCalendar(workingDays: Set(Weekday.allCases), holidays: [a, b])
        #expect(calendar.holiday(on: day("2027-05-01")) == "a")
        #expect(calendar.holiday(on: day("2027-05-03")) == "May Day")
        #expect(calendar.holidays.map(\.name) == ["a", "b"])
    }
}

@Suite("ReminderOffset working days")
struct ReminderOffsetWorkingDayTests {
    @Test(arguments: [
        ("3 working days before", "3 working days before", -3, ReminderOffset.Anchor.start),
        ("1 working day after end", "1 working day after end", 1, .end),
        ("1 Working Days before start", "1 working day before", -1, .start),
    ])
    func parsesAndPrintsWorkingDays(text: String, canonical: String, workingDays: Int, anchor: ReminderOffset.Anchor) {
        let offset = ReminderOffset(parsing: text)
        #expect(offset?.workingDays == workingDays)
        #expect(offset?.days == 0)
        #expect(offset?.anchor == anchor)
        #expect(offset?.description == canonical)
    }

    @Test func workingDaysWithHoursKeepTheirDirection() {
        let offset = ReminderOffset(parsing: "2 working days 3 hours before")
        #expect(offset?.workingDays == -2)
        #expect(offset?.seconds == -3 * 3600)
        #expect(offset?.description == "2 working days 3 hours before")
    }

    @Test(arguments: [
        "2 working days 1 day before", "working days before", "2 working before", "2 working weeks before",
    ])
    func refusesWorkingDaysMixedWithCalendarDaysOrMalformed(text: String) {
        #expect(ReminderOffset(parsing: text) == nil)
    }
}
