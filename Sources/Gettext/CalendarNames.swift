import Glibc
import Timeline

/// Weekday and month names from glibc's locale data (`nl_langinfo_l`), not from tables of our own.
///
/// The names of a language come from the process's LC_TIME locale when it is of that language (fr_CA's for a
/// reader in Quebec), else from the language's usual locale (fr_FR.UTF-8, es_ES.UTF-8) when it is installed.
/// Without any locale of the language (a system instance with `language = "fr"` on a machine that generated no
/// French locale) the names are English, as the C locale's.
enum CalendarNames {
    /// The locale each language's names are read from when the process's is of another language.
    static let usualLocale = ["fr": "fr_FR.UTF-8", "es": "es_ES.UTF-8"]

    /// `name` in `language`.
    static func name(_ name: Localizer.CalendarName, language: String) -> String {
        guard language != "en", let locale = timeLocale(language) else { return Localizer.englishName(name) }
        defer { freelocale(locale) }
        // glibc counts weekdays from Sunday (DAY_1), the core from Monday.
        let item: Int
        switch name {
        case .weekday(let day): item = DAY_1 + (day + 1) % 7
        case .abbreviatedWeekday(let day): item = ABDAY_1 + (day + 1) % 7
        case .month(let month): item = MON_1 + month - 1
        }
        guard let text = nl_langinfo_l(nl_item(item), locale) else { return Localizer.englishName(name) }
        return String(cString: text)
    }

    /// A locale object whose LC_TIME is `language`'s, or nil when none is installed; the caller frees it.
    static func timeLocale(_ language: String) -> locale_t? {
        var candidates: [String] = []
        if let current = setlocale(LC_TIME, nil).map({ String(cString: $0) }), current.hasPrefix(language + "_") {
            candidates.append(current)
        }
        if let usual = usualLocale[language] { candidates.append(usual) }
        for candidate in candidates {
            if let locale = newlocale(LC_TIME_MASK, candidate, nil) { return locale }
        }
        return nil
    }
}
