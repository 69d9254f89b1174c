/// Which days are working days: the week's working days and the holidays.
///
/// Placeholder until the working-days branch is merged: Monday to Friday, no holidays.
public struct WorkingCalendar: Hashable, Sendable {
    /// Monday to Friday, no holidays.
    public static let standard = WorkingCalendar()

    /// Whether `date` is a working day: Monday to Friday.
    public func isWorkingDay(_ date: CivilDate) -> Bool {
        date.weekday < .saturday
    }

    /// The name of the holiday on `date`, if any: none in this placeholder.
    public func holiday(on date: CivilDate) -> String? {
        nil
    }
}
