/// A loaded, validated timeline: the defaults and every milestone of the main file and its drop-ins.
public struct TimelineConfig: Sendable {
    /// Settings that apply to every milestone unless it says otherwise.
    public var defaults: Defaults
    /// Every milestone, in file order (main file first, then drop-ins in lexical order).
    public var milestones: [Milestone]
    /// The `[[calendar]]` tables, in file order; their items are among `milestones` once the daemon's
    /// config-file reading has read them (the core reads no directory).
    public var calendars: [CalendarConfig]
    /// The names of the files read, in order.
    public var sources: [String]
    /// Problems that do not stop the timeline from loading (DST gaps and overlaps, rules that never occur).
    public var warnings: [Diagnostic]

    /// A config from its parts.
    public init(
        defaults: Defaults = Defaults(),
        milestones: [Milestone],
        calendars: [CalendarConfig] = [],
        sources: [String],
        warnings: [Diagnostic] = []
    ) {
        self.defaults = defaults
        self.milestones = milestones
        self.calendars = calendars
        self.sources = sources
        self.warnings = warnings
    }
}

/// The `[defaults]` table: what applies to every milestone unless it says otherwise.
///
/// Keys: `timezone` (IANA name; default: the system's zone), `all_day_time` (time of day at which
/// reminders of all-day milestones come due; default 09:00), `reminders` (default
/// `["7 days before", "1 day before", "at start"]`), `priority` (journal priority of reminders; default
/// `notice`), `catch_up_window` (how old a reminder missed during downtime may be and still be sent at
/// start; default `7 days`), `notify`, `snooze` and `repeat` (where reminders go and how they are followed up;
/// default: the journal only, snoozes of 10 minutes and 1 hour, no repeat; see `Delivery`), `working_days`
/// (default Monday to Friday) and `holidays` (names of `[holidays.NAME]` sets; default none), which make
/// `workingCalendar`, `on_non_working_day` (default `keep`), and `language` (the daemon's messages; default: the
/// locale's, `LANG`/`LC_MESSAGES`; one of `Defaults.languages`).
public struct Defaults: Hashable, Sendable {
    /// The zone of milestones without `timezone`.
    public var zone: Zone
    /// Seconds after local midnight at which reminders of all-day milestones come due.
    public var allDayTime: Int
    /// Reminders of milestones without their own.
    public var reminders: [Reminder]
    /// Journal priority of reminders without their own.
    public var priority: Priority
    /// How old (seconds) a reminder missed during downtime may be and still be sent at start.
    public var catchUpWindow: Int64
    /// Where reminders go and how they are followed up, for milestones that do not say.
    public var delivery: Delivery = .standard
    /// Which days are working days, for milestones that do not say (`working_days`, `holidays`).
    public var workingCalendar: WorkingCalendar = .standard
    /// What happens to occurrences and reminders on non-working days, for milestones that do not say.
    public var onNonWorkingDay: NonWorkingDayRule = .keep
    /// Every `[holidays.NAME]` set of every file, by name.
    public var holidaySets: [String: HolidaySet] = [:]
    /// The language of the daemon's messages (`language`), instead of its locale's; nil: the locale's.
    public var language: String?
    /// Every `[channel.NAME]` of every file, by name.
    public var channels: [String: Channel] = [:]
    /// The addresses iCalendar `ACTION:EMAIL` alarms may send to (`mail_allow`): `name@domain`, or `*@domain`.
    public var mailAllow: [String] = []

    /// The languages `language` accepts: English and those po/ has a catalog for.
    public static let languages = ["en", "es", "fr"]

    /// The built-in defaults, in `zone`.
    public init(
        zone: Zone = .utc,
        allDayTime: Int = 9 * 3600,
        reminders: [Reminder] = Defaults.builtInReminders,
        priority: Priority = .notice,
        catchUpWindow: Int64 = 7 * 86400
    ) {
        self.zone = zone
        self.allDayTime = allDayTime
        self.reminders = reminders
        self.priority = priority
        self.catchUpWindow = catchUpWindow
    }

    /// "7 days before", "1 day before", "at start".
    public static let builtInReminders: [Reminder] = ["7 days before", "1 day before", "at start"].map {
        Reminder(offset: ReminderOffset(parsing: $0)!, text: $0)
    }
}
