/// How the views mark things on a terminal: ANSI SGR colours, or nothing when colour is off (`NO_COLOR`, a pipe).
public struct TextStyle: Hashable, Sendable {
    /// What a piece of text is, which decides its colour.
    public enum Role: Hashable, Sendable {
        /// A day or line with an occurrence of a milestone: bold red.
        case occurrence
        /// A day or line with a reminder: cyan.
        case reminder
        /// A holiday: magenta.
        case holiday
        /// A non-working day (a weekend): dim.
        case nonWorking
        /// Today: reverse video, on top of any other role.
        case today
        /// A heading (month names, day headings of the agenda): bold.
        case heading
    }

    /// Whether to write colours at all.
    public var color: Bool

    /// A style with colour on or off.
    public init(color: Bool) { self.color = color }

    /// `text` in the colours of `roles` (none when colour is off or `roles` is empty).
    public func apply(_ roles: [Role], to text: String) -> String {
        guard color, !roles.isEmpty else { return text }
        let codes = roles.map { role in
            switch role {
            case .occurrence: "1;31"
            case .reminder: "36"
            case .holiday: "35"
            case .nonWorking: "2"
            case .today: "7"
            case .heading: "1"
            }
        }
        return "\u{1B}[\(codes.joined(separator: ";"))m\(text)\u{1B}[0m"
    }
}
