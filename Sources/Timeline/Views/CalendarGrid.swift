/// The `calendar` view: month grids side by side as wide as the terminal allows (as `cal -3`), days with
/// occurrences, reminders and holidays marked, non-working days and today coloured, and the marked days listed
/// under the grids. A pure function of the timeline, the months, today and the terminal's width.
public struct CalendarGrid: Sendable {
    /// How the grid is laid out.
    public struct Layout: Hashable, Sendable {
        /// The terminal's width in columns.
        public var width: Int
        /// Colours on or off.
        public var style: TextStyle
        /// ISO 8601 week numbers before each week.
        public var weekNumbers: Bool
        /// At most this many months side by side, however wide the terminal (`cal` shows three).
        public var maximumMonthsPerRow: Int

        /// A layout `width` columns wide.
        public init(width: Int, style: TextStyle, weekNumbers: Bool = false, maximumMonthsPerRow: Int = 3) {
            self.width = width
            self.style = style
            self.weekNumbers = weekNumbers
            self.maximumMonthsPerRow = maximumMonthsPerRow
        }

        /// The columns one month takes: seven days of three columns (two digits and a mark), and the week number.
        public var monthWidth: Int { 21 + (weekNumbers ? 3 : 0) }

        /// How many months fit side by side, two spaces apart; at least one.
        public var monthsPerRow: Int {
            max(1, min(maximumMonthsPerRow, (width + 2) / (monthWidth + 2)))
        }
    }

    /// The months shown, in order.
    public let months: [YearMonth]
    /// Today, in the viewer's zone.
    public let today: CivilDate
    /// What is on each day of the months.
    public let days: DayEntries
    /// Which days are working days, and the holidays.
    public let workingCalendar: WorkingCalendar

    /// The months `months` of `config`, seen from `viewerZone` at `now`, in `localizer`'s language (month and
    /// weekday names from its locale, its words, the milestones' translated texts).
    public init(
        config: TimelineConfig,
        months: [YearMonth],
        now: Instant,
        viewerZone: Zone,
        localizer: Localizer = .english
    ) {
        let months = months.sorted()
        self.months = months
        today = viewerZone.localTime(at: now).date
        workingCalendar = config.defaults.workingCalendar
        days = DayEntries(
            schedule: Schedule(config: config),
            first: (months.first ?? YearMonth(today)).firstDay,
            last: (months.last ?? YearMonth(today)).lastDay,
            viewerZone: viewerZone,
            localizer: localizer
        )
    }

    /// The grids, a blank line, and the list of marked days: the whole view, line by line.
    public func render(_ layout: Layout) -> [String] {
        let list = listing(layout.style)
        return grid(layout) + (list.isEmpty ? [] : [""] + list)
    }

    /// The month grids, `layout.monthsPerRow` side by side, a blank line between rows of months.
    public func grid(_ layout: Layout) -> [String] {
        var lines: [String] = []
        var index = 0
        while index < months.count {
            let row = months[index..<min(index + layout.monthsPerRow, months.count)]
            if index > 0 { lines.append("") }
            let blocks = row.map { block(of: $0, layout) }
            for lineIndex in 0..<blocks[0].count {
                var line = ""
                for (b, block) in blocks.enumerated() {
                    let cell = block[lineIndex]
                    line += cell.text
                    if b < blocks.count - 1 {
                        line += String(repeating: " ", count: layout.monthWidth - cell.width + 2)
                    }
                }
                lines.append(Self.trimmingTrailingSpaces(line))
            }
            // Months of five weeks or fewer leave empty week lines at the bottom of the row.
            while lines.last == "" { lines.removeLast() }
            index += layout.monthsPerRow
        }
        return lines
    }

    /// The marked days of the months, one line per entry: `Sa 2027-07-03  * all day    International Day of ...`
    /// (an all-day span once, on its first day shown); holidays as `# Christmas Day`.
    public func listing(_ style: TextStyle) -> [String] {
        var lines: [String] = []
        guard let first = months.first?.firstDay, let last = months.last?.lastDay else { return lines }
        var day = first
        while day <= last {
            let heading = "\(weekdayName(day.weekday.rawValue)) \(day)  "
            let holiday = workingCalendar.holiday(on: day)
            if let holiday {
                lines.append(heading + style.apply([.holiday], to: "\(Self.holidayMark) \(holiday)"))
            }
            // A span is listed once, on its first day shown; the grid marks the rest.
            let listed = days.entries(on: day).filter { $0.spanIndex == 1 || day == first }
            for (index, entry) in listed.enumerated() {
                let headsTheDay = index == 0 && holiday == nil
                lines.append(
                    (headsTheDay ? heading : String(repeating: " ", count: heading.count))
                        + days.line(entry, style: style)
                )
            }
            day = day.adding(days: 1)
        }
        return lines
    }

    /// A weekday's two-letter name, 0 Monday: "Mo", French "lu", as `cal` cuts the locale's abbreviations.
    public func weekdayName(_ weekday: Int) -> String {
        let abbreviated = days.localizer.name(.abbreviatedWeekday(weekday))
        let two = String(abbreviated.prefix(2))
        return two.count < 2 ? two + " " : two
    }
    static let holidayMark = DayEntries.holidayMark

    /// Text with its width in columns (its colours take none).
    struct Cell {
        var text = ""
        var width = 0

        mutating func append(_ plain: String, styled: String? = nil) {
            text += styled ?? plain
            width += plain.count
        }
    }

    /// One month: its name centred, the weekday names, and six week lines.
    func block(of month: YearMonth, _ layout: Layout) -> [Cell] {
        let style = layout.style
        var lines: [Cell] = []
        let name = month.name(days.localizer)
        var title = Cell()
        let left = (layout.monthWidth - 1 - name.count) / 2
        title.append(String(repeating: " ", count: max(left, 0)))
        title.append(name, styled: style.apply([.heading], to: name))
        lines.append(title)

        var header = Cell()
        if layout.weekNumbers { header.append(String(days.localizer.tr("Wk").prefix(2)).padding(to: 2)) }
        for weekday in 0..<7 { header.append(weekdayName(weekday) + " ") }
        lines.append(header)

        let first = month.firstDay
        var monday = first.adding(days: -first.weekday.rawValue)
        for _ in 0..<6 {
            var line = Cell()
            if layout.weekNumbers {
                line.append(monday <= month.lastDay ? Self.pad2(Self.isoWeek(of: monday), filler: " ") + " " : "   ")
            }
            for offset in 0..<7 {
                let day = monday.adding(days: offset)
                guard day >= first, day <= month.lastDay else {
                    line.append("   ")
                    continue
                }
                let (mark, roles) = appearance(of: day)
                let digits = Self.pad2(day.day, filler: " ")
                let shown = mark == " " ? digits : digits + String(mark)
                line.append(shown, styled: style.apply(roles, to: shown))
                if mark == " " { line.append(" ") }
            }
            lines.append(line)
            monday = monday.adding(days: 7)
        }
        return lines
    }

    /// A day's mark (`*` occurrence, `+` reminder, `#` holiday, or a space) and its colours.
    func appearance(of day: CivilDate) -> (mark: Character, roles: [TextStyle.Role]) {
        let entries = days.entries(on: day)
        var mark: Character = " "
        var roles: [TextStyle.Role] = []
        if entries.contains(where: { $0.kind == .occurrence }) {
            mark = DayEntries.mark(.occurrence)
            roles.append(.occurrence)
        } else if !entries.isEmpty {
            mark = DayEntries.mark(.reminder)
            roles.append(.reminder)
        } else if workingCalendar.holiday(on: day) != nil {
            mark = Self.holidayMark
        }
        if workingCalendar.holiday(on: day) != nil, roles.isEmpty {
            roles.append(.holiday)
        } else if roles.isEmpty, !workingCalendar.isWorkingDay(day) {
            roles.append(.nonWorking)
        }
        if day == today { roles.append(.today) }
        return (mark, roles)
    }

    /// The ISO 8601 week number of the week starting on `monday`: the week of its Thursday.
    public static func isoWeek(of monday: CivilDate) -> Int {
        let thursday = monday.adding(days: 3 - monday.weekday.rawValue)
        return (thursday.dayOfYear - 1) / 7 + 1
    }

    static func pad2(_ n: Int, filler: Character = "0") -> String { n < 10 ? "\(filler)\(n)" : "\(n)" }

    static func trimmingTrailingSpaces(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }
}
