/// A date or time on the command line that ``TimeArgument`` does not read: which option, the text given, and
/// the forms it accepts.
public struct TimeArgumentError: Error, Equatable, CustomStringConvertible {
    /// The option the text was given to, e.g. `--from`.
    public var option: String
    /// The text given.
    public var text: String

    /// `--from: "tomorrow" is not a date or time; accepted: now, 2026-06-10, ...`, with every accepted form.
    public var description: String {
        "\(option): \"\(text)\" is not a date or time; accepted: now, 2026-06-10, 2026-06-10T09:30, "
            + "2026-06-10T09:30:00Z, 2026-06-10T09:30:00+02:00"
    }
}
