/// Which days are working days, and the holidays that are not.
///
/// Built from `working_days` and the holiday sets named by `holidays` (`[defaults]` or a milestone; see
/// docs/configuration.md). Dates are civil dates: a day is a working day or not as a wall calendar shows it, in
/// whatever zone the caller reads the day in (a milestone's own). Copies share one allocation, so that every
/// milestone using the defaults' calendar costs one pointer.
public struct WorkingCalendar: Hashable, Sendable {
    private struct Storage: Hashable, Sendable {
        /// Bit `n` set: `Weekday(rawValue: n)` is a working day.
        var workingDays: UInt8
        /// The holidays by day since 1970-01-01, with their names.
        var holidays: [Int: String]
        /// The holiday sets, in the order they were given.
        var holidaySets: [HolidaySet]
    }

    private let storage: SharedBox<Storage>

    /// Monday to Friday, no holidays.
    public static let standard = WorkingCalendar(
        workingDays: [.monday, .tuesday, .wednesday, .thursday, .friday],
        holidays: []
    )

    /// A calendar whose working days are `workingDays`, minus the days of `holidays` (the first set naming a
    /// day gives its name).
    public init(workingDays: Set<Weekday>, holidays: [HolidaySet]) {
        var days: [Int: String] = [:]
        for set in holidays {
            for (day, name) in set.days where days[day] == nil { days[day] = name }
        }
        let mask = workingDays.reduce(UInt8(0)) { $0 | 1 << UInt8($1.rawValue) }
        storage = SharedBox(Storage(workingDays: mask, holidays: days, holidaySets: holidays))
    }

    /// The weekdays that are working days (holidays aside), Monday first.
    public var workingDays: [Weekday] {
        Weekday.allCases.filter { storage.value.workingDays & 1 << UInt8($0.rawValue) != 0 }
    }

    /// The holiday sets it uses, in order.
    public var holidays: [HolidaySet] { storage.value.holidaySets }

    /// Whether `date` is a working day (its weekday is a working day and it is no holiday).
    public func isWorkingDay(_ date: CivilDate) -> Bool {
        isWorkingDay(daysSinceEpoch: date.daysSinceEpoch)
    }

    /// The name of the holiday `date` is in, if any (e.g. the holiday set's name, or the holiday's own name when
    /// the source gives one).
    public func holiday(on date: CivilDate) -> String? {
        storage.value.holidays[date.daysSinceEpoch]
    }

    /// Why `date` is not a working day: the holiday's name, or "weekend" for a Saturday or Sunday that is not a
    /// working day, or the weekday's name ("Friday") for another weekday that is not; nil for a working day.
    public func reasonNotWorking(_ date: CivilDate) -> String? {
        if let name = holiday(on: date) { return name }
        let weekday = date.weekday
        guard storage.value.workingDays & 1 << UInt8(weekday.rawValue) == 0 else { return nil }
        return weekday >= .saturday ? "weekend" : weekday.name
    }

    /// The date `count` working days after `date` (before it when negative), counted as Remind counts a `--N` or
    /// `++N` delta over OMITted days: each step goes to the next working day, so the date itself need not be one
    /// and the result always is one (for a nonzero count). Nil when there is no working day in the years 1 to 9999,
    /// or none at all.
    public func adding(workingDays count: Int, to date: CivilDate) -> CivilDate? {
        guard count != 0 else { return date }
        guard storage.value.workingDays != 0 else { return nil }
        let step = count < 0 ? -1 : 1
        var day = date.daysSinceEpoch
        var left = abs(count)
        while left > 0 {
            day += step
            guard Self.dayRange.contains(day) else { return nil }
            if isWorkingDay(daysSinceEpoch: day) { left -= 1 }
        }
        return CivilDate(daysSinceEpoch: day)
    }

    /// `date` when it is a working day, else the nearest working day before it (`forward` false) or after it
    /// (`forward` true); nil when there is none in the years 1 to 9999.
    public func workingDay(onOrNear date: CivilDate, forward: Bool) -> CivilDate? {
        var day = date.daysSinceEpoch
        guard storage.value.workingDays != 0 else { return nil }
        while !isWorkingDay(daysSinceEpoch: day) {
            day += forward ? 1 : -1
            guard Self.dayRange.contains(day) else { return nil }
        }
        return CivilDate(daysSinceEpoch: day)
    }

    /// 0001-01-01 ... 9999-12-31 in days since 1970-01-01.
    static let dayRange = -719_162...2_932_896

    private func isWorkingDay(daysSinceEpoch day: Int) -> Bool {
        let weekday = ((day % 7) + 7 + 3) % 7  // 1970-01-01 was a Thursday
        return storage.value.workingDays & 1 << UInt8(weekday) != 0 && storage.value.holidays[day] == nil
    }
}

/// A named set of holidays (`[holidays.NAME]`): days, each with the name it is shown with.
public struct HolidaySet: Hashable, Sendable {
    /// The set's name, as `holidays = ["NAME"]` refers to it.
    public var name: String
    /// The days (since 1970-01-01) and each one's name: the holiday's own (an `.ics` SUMMARY, a `name` in
    /// `dates`), else the set's.
    public var days: [Int: String]

    /// A set named `name` of `days`.
    public init(name: String, days: [Int: String] = [:]) {
        self.name = name
        self.days = days
    }

    /// Adds the days `first` through `last`, named `holiday` (the set's name when nil); a day already in the set
    /// keeps its name.
    public mutating func add(_ first: CivilDate, through last: CivilDate, named holiday: String? = nil) {
        guard first <= last else { return }
        for day in first.daysSinceEpoch...last.daysSinceEpoch where days[day] == nil {
            days[day] = holiday ?? name
        }
    }
}

/// What happens to an occurrence or a reminder that falls on a day that is not a working day
/// (`on_non_working_day`).
public enum NonWorkingDayRule: String, Hashable, Sendable, CaseIterable {
    /// It stays where it is (the default).
    case keep
    /// It moves to the working day before, at the same time of day (Remind's `OMIT ... BEFORE`).
    case before
    /// It moves to the working day after, at the same time of day (Remind's `OMIT ... AFTER`).
    case after
    /// It is dropped (Remind's `OMIT ... SKIP`).
    case skip
}

extension Weekday {
    /// The English name: "Monday".
    public var name: String {
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][rawValue]
    }
}
