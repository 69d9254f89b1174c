/// The `agenda` view: the coming days grouped by day, as khal's agenda: a heading for each day that has
/// something (`Today, Sunday 2026-12-06`), then its all-day occurrences and its entries in time order, with the
/// times in the viewer's zone and the milestone's own when that differs. A pure function of the timeline, now
/// and the number of days.
public struct Agenda: Sendable {
    /// The first day (today in the viewer's zone).
    public let today: CivilDate
    /// How many days, today included.
    public let dayCount: Int
    /// What is on each of the days.
    public let days: DayEntries
    /// Which days are working days, and the holidays.
    public let workingCalendar: WorkingCalendar

    /// The `dayCount` days of `config` from the viewer's today at `now` in `viewerZone`, in `localizer`'s
    /// language (its words, weekday names and the milestones' translated texts).
    public init(
        config: TimelineConfig,
        now: Instant,
        dayCount: Int,
        viewerZone: Zone,
        localizer: Localizer = .english
    ) {
        today = viewerZone.localTime(at: now).date
        self.dayCount = max(dayCount, 1)
        workingCalendar = config.defaults.workingCalendar
        days = DayEntries(
            schedule: Schedule(config: config),
            first: today,
            last: today.adding(days: self.dayCount - 1),
            viewerZone: viewerZone,
            localizer: localizer
        )
    }

    /// The days with something on them, in order: the dates with entries or a holiday.
    public var shownDays: [CivilDate] {
        (0..<dayCount).map { today.adding(days: $0) }.filter {
            !days.entries(on: $0).isEmpty || workingCalendar.holiday(on: $0) != nil
        }
    }

    /// The whole view, line by line; one line saying so when the days hold nothing.
    public func render(_ style: TextStyle) -> [String] {
        let shown = shownDays
        guard !shown.isEmpty else {
            let l10n = days.localizer
            let count = l10n.trn("%d day", "%d days", dayCount)
            return [l10n.tr("nothing on the timeline from %s to %s (%s)", "\(today)", "\(days.last)", count)]
        }
        var lines: [String] = []
        for day in shown {
            lines.append(heading(of: day, style: style))
            for entry in days.entries(on: day) {
                lines.append("  " + days.line(entry, style: style))
            }
        }
        return lines
    }

    /// `Today, Sunday 2026-12-06`, `Tomorrow, ...`, or `Friday 2026-12-25 (holiday: Christmas Day)`; French
    /// `Aujourd’hui, dimanche 2026-12-06`, the weekday's name from the locale.
    public func heading(of day: CivilDate, style: TextStyle) -> String {
        let l10n = days.localizer
        var text = "\(l10n.name(.weekday(day.weekday.rawValue))) \(day)"
        switch day.daysSinceEpoch - today.daysSinceEpoch {
        case 0: text = l10n.tr("Today, %s", text)
        case 1: text = l10n.tr("Tomorrow, %s", text)
        default: break
        }
        var roles: [TextStyle.Role] = [.heading]
        if !workingCalendar.isWorkingDay(day) { roles.append(.nonWorking) }
        var line = style.apply(roles, to: text)
        if let holiday = workingCalendar.holiday(on: day) {
            line += " " + style.apply([.holiday], to: "\(DayEntries.holidayMark) \(holiday)")
        }
        return line
    }
}
