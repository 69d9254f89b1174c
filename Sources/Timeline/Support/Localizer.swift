/// Where the words people read come from: a message catalog looked up by its English text (gettext's msgid).
///
/// A value, not a global: the core formats with the localizer it is handed, so it keeps no locale of its own.
/// ``english`` (the default everywhere) gives the English text back, the sentences the tests compare; the
/// shipped binary hands in the gettext one (the `Gettext` target), which follows the process's locale.
/// Strings marked with ``tr(_:)`` and ``trn(_:_:_:)`` are what `make pot` extracts into po/sse-timeline.pot.
public struct Localizer: Sendable {
    private let singular: @Sendable (String) -> String
    private let plural: @Sendable (String, String, Int) -> String
    private let languageCode: @Sendable () -> String
    private let calendarName: @Sendable (CalendarName) -> String

    /// A name the calendar gives: a weekday's or a month's, as the language writes it (glibc's locale data in
    /// the shipped binary: `nl_langinfo`'s DAY_n, ABDAY_n and MON_n).
    public enum CalendarName: Hashable, Sendable {
        /// A weekday's full name, 0 Monday ... 6 Sunday: "Monday", French "lundi".
        case weekday(Int)
        /// A weekday's abbreviated name, 0 Monday ... 6 Sunday: "Mon", French "lun.".
        case abbreviatedWeekday(Int)
        /// A month's name, 1 January ... 12 December: "July", French "juillet".
        case month(Int)
    }

    /// A localizer from a lookup of one message, of a message with a plural by count, of the language code the
    /// lookups answer in ("fr"), which picks a milestone's own texts in that language, and of the calendar's
    /// names in that language.
    public init(
        singular: @escaping @Sendable (String) -> String,
        plural: @escaping @Sendable (String, String, Int) -> String,
        language: @escaping @Sendable () -> String = { "en" },
        calendarName: @escaping @Sendable (CalendarName) -> String = Localizer.englishName
    ) {
        self.singular = singular
        self.plural = plural
        self.languageCode = language
        self.calendarName = calendarName
    }

    /// The untranslated English text, with English's plural rule (one, other).
    public static let english = Localizer(singular: { $0 }, plural: { one, other, n in n == 1 ? one : other })

    /// The language it speaks: "en", "fr", "es".
    public var language: String { languageCode() }

    /// The name of `name` in the language: `name(.month(7))` is "July", French "juillet".
    public func name(_ name: CalendarName) -> String { calendarName(name) }

    /// The English names, as glibc's C locale gives them (the default, and what the tests compare).
    public static func englishName(_ name: CalendarName) -> String {
        let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        switch name {
        case .weekday(let day): return weekdays[day]
        case .abbreviatedWeekday(let day): return String(weekdays[day].prefix(3))
        case .month(let month): return months[month - 1]
        }
    }

    /// The translation of `message`, a `%s` template filled with `arguments` in order (`%1$s` by position).
    public func tr(_ message: String, _ arguments: String...) -> String {
        Self.format(singular(message), arguments)
    }

    /// The form of `one`/`other` that `count` takes in the language, its `%d` filled with `count` and any
    /// `%s` with `arguments`: "1 day", "2 days"; French "0 jour", "2 jours".
    public func trn(_ one: String, _ other: String, _ count: Int, _ arguments: String...) -> String {
        Self.format(plural(one, other, count), [String(count)] + arguments)
    }

    /// The translation of `message` filled with `arguments`: ``tr(_:_:)`` with an array.
    func translate(_ message: String, _ arguments: [String]) -> String {
        Self.format(singular(message), arguments)
    }

    /// The form of `one`/`other` for `count`, filled: ``trn(_:_:_:_:)`` with an array.
    func translate(_ one: String, _ other: String, _ count: Int, _ arguments: [String]) -> String {
        Self.format(plural(one, other, count), [String(count)] + arguments)
    }

    /// Fills `template`'s `%s` and `%d` with `arguments` in order, `%N$s` with the Nth; `%%` is a percent sign.
    /// A translation may reorder its arguments only by position, as printf allows.
    static func format(_ template: String, _ arguments: [String]) -> String {
        guard template.contains("%") else { return template }
        var result = ""
        var next = 0
        var rest = Substring(template)
        while let percent = rest.firstIndex(of: "%") {
            result += rest[..<percent]
            rest = rest[rest.index(after: percent)...]
            if rest.first == "%" {
                result.append("%")
                rest = rest.dropFirst()
                continue
            }
            var index = next
            let digits = rest.prefix(while: \.isNumber)
            if !digits.isEmpty, rest.dropFirst(digits.count).first == "$", let position = Int(digits), position > 0 {
                index = position - 1
                rest = rest.dropFirst(digits.count + 1)
            } else {
                next += 1
            }
            guard let conversion = rest.first, conversion == "s" || conversion == "d" else {
                result.append("%")
                continue
            }
            rest = rest.dropFirst()
            result += index < arguments.count ? arguments[index] : ""
        }
        return result + rest
    }
}
