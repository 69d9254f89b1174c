/// Durations as the config writes them ("10 minutes", "1 hour 30 minutes", "7 days"), for every place that
/// reads one: the config's `catch_up_window`, the command line's `snooze`.
public enum DurationText {
    /// The seconds `text` spells, or nil when it is not a duration: amounts with units (weeks, days, hours,
    /// minutes, seconds), as reminder offsets are written without "before"/"after". A day counts 86,400 s.
    public static func seconds(parsing text: String) -> Int64? {
        guard let offset = ReminderOffset(parsing: text + " after"), offset.anchor == .start else { return nil }
        return Int64(offset.days) * 86400 + offset.seconds
    }

    /// What `seconds(parsing:)` accepts, for error messages.
    public static let accepted =
        "amounts with units (weeks, days, hours, minutes, seconds), e.g. \"10 minutes\" or \"1 hour 30 minutes\""
}
