/// One dated entry of the timeline, as configured: a one-off or recurring event with its reminders.
public struct Milestone: Hashable, Sendable {
    /// Where a milestone was defined: the TOML config, or an iCalendar file (`timeline.d/*.ics`), whose events
    /// come from other people's calendars and must not trigger anything beyond a reminder.
    public enum Origin: String, Hashable, Sendable {
        case config, iCalendar
    }

    /// How precisely the start date is known (the facts behind some milestones give only a month or a year).
    public enum Precision: String, Hashable, Sendable, CaseIterable {
        case day, month, year
    }

    /// Unique, stable identifier, `[a-z0-9-]`.
    public var id: String
    /// Human title.
    public var title: String
    /// Longer text.
    public var description: String? {
        get { extras?.value.description }
        set { modifyExtras { $0.description = newValue } }
    }
    /// Where it happens ("Geneva", "online").
    public var location: String? {
        get { extras?.value.location }
        set { modifyExtras { $0.location = newValue } }
    }
    /// Source address of the facts.
    public var source: String? {
        get { extras?.value.source }
        set { modifyExtras { $0.source = newValue } }
    }
    /// Its title, description and location in other languages, by language code ("fr", "es"): the config's
    /// `title_fr`, `description_es`, ... keys.
    public var translations: [String: MilestoneTexts] {
        get { extras?.value.translations ?? [:] }
        set { modifyExtras { $0.translations = newValue } }
    }
    /// The title in `language` when it has one, else the title as configured.
    public func title(in language: String) -> String {
        translations[language]?.title ?? title
    }
    /// The location in `language` when it has one, else as configured.
    public func location(in language: String) -> String? {
        translations[language]?.location ?? location
    }
    /// Free tags for filtering.
    public var tags: [String] {
        get { extras?.value.tags ?? [] }
        set { modifyExtras { $0.tags = newValue } }
    }
    /// Start, in floating local time of `zone` (00:00 for all-day milestones).
    public var start: CivilDateTime
    /// End, in floating local time of `zone`; for all-day milestones the last day (inclusive) at 00:00.
    public var end: CivilDateTime? {
        get { extras?.value.end }
        set { modifyExtras { $0.end = newValue } }
    }
    /// True when `start` was a date without a time.
    public var isAllDay: Bool
    /// How precisely `start` is known.
    public var precision: Precision
    /// The zone the local times are in.
    public var zone: Zone
    /// The recurrence, if the milestone repeats.
    public var recurrence: Recurrence? {
        get { extras?.value.recurrence }
        set { modifyExtras { $0.recurrence = newValue } }
    }
    /// The reminders (the defaults' when the milestone has none of its own).
    public var reminders: [Reminder]
    /// Journal priority of this milestone's reminders unless a reminder says otherwise.
    public var priority: Priority
    /// Where it was defined; features that act on milestones (beyond reminding) must refuse `.iCalendar`.
    public var origin: Origin
    /// Where its reminders go and how they can be followed up (`notify`, `snooze`, `repeat`), `[defaults]`
    /// applied; a reminder's own table may override it (`Reminder.delivery`). One shared box (`Delivery`).
    public var delivery: Delivery
    /// The fields many milestones leave out, in one shared box (nil when all are absent): a milestone costs
    /// about 120 bytes instead of 424, which matters at 100,000 milestones (issue 12).
    private var extras: SharedBox<Extras>?
    /// What its reminders start when due (`on_due`), if anything.
    public var onDue: DueAction? = nil
    /// Which days are working days for it: its own `working_days` and `holidays`, else the defaults'.
    public var workingCalendar: WorkingCalendar = .standard
    /// What happens to its occurrences and reminders that fall on non-working days: its own
    /// `on_non_working_day`, else the defaults'.
    public var onNonWorkingDay: NonWorkingDayRule = .keep

    /// A milestone; see the properties for the meaning of each field.
    public init(
        id: String,
        title: String,
        description: String? = nil,
        location: String? = nil,
        source: String? = nil,
        tags: [String] = [],
        start: CivilDateTime,
        end: CivilDateTime? = nil,
        isAllDay: Bool,
        precision: Precision = .day,
        zone: Zone,
        recurrence: Recurrence? = nil,
        reminders: [Reminder],
        priority: Priority = .notice,
        origin: Origin = .config,
        delivery: Delivery = .standard
    ) {
        self.id = id
        self.title = title
        self.start = start
        self.isAllDay = isAllDay
        self.precision = precision
        self.zone = zone
        self.reminders = reminders
        self.priority = priority
        self.origin = origin
        self.delivery = delivery
        let extras = Extras(
            description: description,
            location: location,
            source: source,
            tags: tags,
            end: end,
            recurrence: recurrence
        )
        self.extras = extras.isEmpty ? nil : SharedBox(extras)
    }

    /// The delivery of its reminder number `index`: its own, with the reminder's overrides.
    public func delivery(ofReminder index: Int) -> Delivery {
        delivery.applying(reminders[index].delivery)
    }

    private mutating func modifyExtras(_ change: (inout Extras) -> Void) {
        var value = extras?.value ?? Extras()
        change(&value)
        extras = value.isEmpty ? nil : SharedBox(value)
    }

    private struct Extras: Hashable, Sendable {
        var description: String?
        var location: String?
        var source: String?
        var tags: [String] = []
        var end: CivilDateTime?
        var recurrence: Recurrence?
        var translations: [String: MilestoneTexts] = [:]

        var isEmpty: Bool {
            description == nil && location == nil && source == nil && tags.isEmpty && end == nil && recurrence == nil
                && translations.isEmpty
        }
    }
}

/// A milestone's texts in one language other than the config's (`title_fr`, `description_fr`, `location_fr`,
/// `source_fr`: where the translation comes from); nil where that language has none.
public struct MilestoneTexts: Hashable, Sendable {
    /// The title.
    public var title: String?
    /// The longer text.
    public var description: String?
    /// Where it happens.
    public var location: String?
    /// The page the translation was taken from (the organisation's own name for it).
    public var source: String?

    /// Texts in one language.
    public init(title: String? = nil, description: String? = nil, location: String? = nil, source: String? = nil) {
        self.title = title
        self.description = description
        self.location = location
        self.source = source
    }

    /// The config keys of `language`'s texts: `title_fr`, `description_fr`, `location_fr`, `source_fr`.
    static func keys(_ language: String) -> [String] {
        ["title", "description", "location", "source"].map { "\($0)_\(language)" }
    }

    /// The languages a milestone may carry texts in: every language sse-timeline speaks but English.
    public static let languages = Defaults.languages.filter { $0 != "en" }
}

/// One reminder of a milestone: when, relative to it, and at which journal priority.
public struct Reminder: Hashable, Sendable {
    /// The offset from the milestone's start or end (`at start` for an absolute reminder).
    public var offset: ReminderOffset
    /// The offset as configured ("30 days before"), written into the journal's `REMINDER` field.
    public var text: String
    /// Priority of this reminder, overriding the milestone's.
    public var priority: Priority?
    /// An absolute reminder's instant (`{ at = 2027-05-01T09:00:00Z }`, an iCalendar alarm's
    /// `TRIGGER;VALUE=DATE-TIME`): it comes due once, then, for the milestone's first occurrence.
    public var absolute: Instant?
    /// Instances due at or before this instant were already dealt with (an iCalendar alarm's
    /// `ACKNOWLEDGED`) and are not sent.
    public var acknowledged: Instant?
    /// What its table changes of the milestone's delivery (`notify`, `snooze`, `repeat`), if anything.
    public var delivery: DeliveryOverride?
    /// For an iCalendar alarm: which VALARM of its component it is, counted from 0 in file order (what a
    /// dismissal is written back into); nil for reminders of the config.
    public var alarmIndex: Int?

    /// A reminder at `offset`.
    public init(offset: ReminderOffset, text: String? = nil, priority: Priority? = nil) {
        self.offset = offset
        self.text = text ?? offset.description
        self.priority = priority
    }

    /// An absolute reminder at `instant`.
    public init(absolute instant: Instant, priority: Priority? = nil) {
        self.offset = ReminderOffset(anchor: .start)
        self.text = "at \(instant)"
        self.priority = priority
        self.absolute = instant
    }

    /// What identifies the reminder within its milestone: the canonical offset, or `at <instant>`.
    public var identity: String { absolute.map { "at \($0)" } ?? offset.description }
}

/// How a milestone repeats: an RFC 5545 rule plus extra dates (RDATE) and excluded dates (EXDATE).
public struct Recurrence: Hashable, Sendable {
    /// The RRULE, if any (a milestone may repeat by RDATEs alone).
    public var rule: RecurrenceRule?
    /// The rule as written in the config.
    public var ruleText: String?
    /// The rule's UNTIL converted to the milestone's local time, inclusive.
    public var untilLocal: CivilDateTime?
    /// Extra occurrences, local time.
    public var rdates: [CivilDateTime]
    /// Excluded occurrences, local time.
    public var exdates: [CivilDateTime]

    /// A recurrence.
    public init(
        rule: RecurrenceRule?,
        ruleText: String?,
        untilLocal: CivilDateTime?,
        rdates: [CivilDateTime],
        exdates: [CivilDateTime]
    ) {
        self.rule = rule
        self.ruleText = ruleText
        self.untilLocal = untilLocal
        self.rdates = rdates
        self.exdates = exdates
    }
}
