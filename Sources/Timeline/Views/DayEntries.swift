/// What the timeline holds on each day of a range, as a person in `viewerZone` sees it: the occurrences of
/// milestones (every day of an all-day span) and the reminders that come due. Below `calendar` and `agenda`.
public struct DayEntries: Sendable {
    /// One occurrence or reminder on one day.
    public struct Entry: Hashable, Sendable {
        /// An occurrence of a milestone, or a reminder of one.
        public enum Kind: String, Hashable, Sendable {
            case occurrence, reminder
        }

        /// Occurrence or reminder.
        public var kind: Kind
        /// The day it is on, in the viewer's zone (an all-day occurrence: its own date).
        public var day: CivilDate
        /// Index of the milestone in the schedule.
        public var milestoneIndex: Int
        /// The local start of the occurrence, in the milestone's zone.
        public var occurrenceStart: CivilDateTime
        /// When it starts (an occurrence) or comes due (a reminder).
        public var at: Instant
        /// The reminder, for `.reminder`.
        public var instance: ReminderInstance?
        /// True for an occurrence of an all-day milestone: it has a date, not a time.
        public var isAllDay: Bool
        /// For an all-day occurrence: which of its days this is (1-based), and how many it spans.
        public var spanIndex = 1
        /// For an all-day occurrence: how many days it spans (1 for other entries).
        public var spanCount = 1
    }

    /// The schedule the entries come from.
    public let schedule: Schedule
    /// The language of the words around the milestones' own texts, and of those texts where translated.
    public let localizer: Localizer
    /// The zone the days are counted in.
    public let viewerZone: Zone
    /// The first day of the range.
    public let first: CivilDate
    /// The last day of the range, inclusive.
    public let last: CivilDate
    /// Every entry on the days `first...last`, by day; in a day all-day occurrences first, then by instant,
    /// occurrences before reminders at the same instant, then config order.
    public let entries: [Entry]

    /// The entries of `schedule` on the days `first...last` of `viewerZone`, told in `localizer`'s language.
    public init(
        schedule: Schedule,
        first: CivilDate,
        last: CivilDate,
        viewerZone: Zone,
        localizer: Localizer = .english
    ) {
        self.schedule = schedule
        self.localizer = localizer
        self.viewerZone = viewerZone
        self.first = first
        self.last = last
        let from = viewerZone.instant(for: CivilDateTime(date: first, secondOfDay: 0))
        let to = viewerZone.instant(for: CivilDateTime(date: last.adding(days: 1), secondOfDay: 0)).adding(seconds: -1)
        var entries: [Entry] = []
        // All-day dates are the milestone's own, whatever the viewer's zone, and a span may have started before
        // the range: look wider and keep the days inside.
        let lookBehind = Int64(Self.longestSpanDays(schedule) + 2) * 86400
        for occurrence in schedule.occurrences(
            from: from.adding(seconds: -lookBehind),
            through: to.adding(seconds: 2 * 86400)
        ) {
            let milestone = schedule.milestones[occurrence.milestoneIndex]
            if milestone.isAllDay {
                let span = Occurrence(start: occurrence.start, milestone: milestone)
                let count = span.end.date.daysSinceEpoch - span.start.date.daysSinceEpoch + 1
                // On the day `on_non_working_day` moved it to, if it did.
                let firstDay = milestone.zone.localTime(at: occurrence.at).date
                for index in 0..<max(count, 1) {
                    let day = firstDay.adding(days: index)
                    guard day >= first, day <= last else { continue }
                    var entry = Entry(
                        kind: .occurrence,
                        day: day,
                        milestoneIndex: occurrence.milestoneIndex,
                        occurrenceStart: occurrence.start,
                        at: occurrence.at,
                        instance: nil,
                        isAllDay: true
                    )
                    entry.spanIndex = index + 1
                    entry.spanCount = max(count, 1)
                    entries.append(entry)
                }
            } else if occurrence.at >= from, occurrence.at <= to {
                entries.append(
                    Entry(
                        kind: .occurrence,
                        day: viewerZone.localTime(at: occurrence.at).date,
                        milestoneIndex: occurrence.milestoneIndex,
                        occurrenceStart: occurrence.start,
                        at: occurrence.at,
                        instance: nil,
                        isAllDay: false
                    )
                )
            }
        }
        for instance in schedule.instances(from: from, through: to) {
            entries.append(
                Entry(
                    kind: .reminder,
                    day: viewerZone.localTime(at: instance.due).date,
                    milestoneIndex: Int(instance.milestoneIndex),
                    occurrenceStart: instance.occurrenceStart,
                    at: instance.due,
                    instance: instance,
                    isAllDay: false
                )
            )
        }
        self.entries = entries.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.day != y.day { return x.day < y.day }
            if x.isAllDay != y.isAllDay { return x.isAllDay }
            if x.at != y.at { return x.at < y.at }
            if x.kind != y.kind { return x.kind == .occurrence }
            return (x.milestoneIndex, a.offset) < (y.milestoneIndex, b.offset)
        }.map(\.element)
    }

    /// The entries of one day, in order.
    public func entries(on day: CivilDate) -> ArraySlice<Entry> {
        // The entries are sorted by day: two binary searches, so that a year of a large timeline stays cheap.
        let start = firstIndex { $0.day >= day }
        let end = firstIndex { $0.day > day }
        return entries[start..<end]
    }

    /// The first index whose entry satisfies `isAtOrPast`, which holds for every entry after it too.
    private func firstIndex(where isAtOrPast: (Entry) -> Bool) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if isAtOrPast(entries[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The milestone of an entry.
    public func milestone(of entry: Entry) -> Milestone { schedule.milestones[entry.milestoneIndex] }

    /// How many days the longest all-day milestone of `schedule` spans.
    private static func longestSpanDays(_ schedule: Schedule) -> Int {
        schedule.milestones.reduce(0) { longest, milestone in
            guard milestone.isAllDay, let end = milestone.end else { return longest }
            return max(longest, end.date.daysSinceEpoch - milestone.start.date.daysSinceEpoch)
        }
    }
}
