import CGettext
import Glibc
import Timeline

/// glibc's gettext for sse-timeline's messages: the text domain, where its catalogs are, and the language.
///
/// The lookups read the process's locale (LC_MESSAGES, and LANGUAGE): that state belongs to the process, set
/// once by the command line's start-up (``setUp()``) and, for the daemon, by the config's `language` key
/// (``use(language:)``). Nothing here keeps a copy, so every ``localizer`` lookup follows the current locale.
public enum Gettext {
    /// The text domain: the catalogs are LOCALEDIR/LANG/LC_MESSAGES/sse-timeline.mo.
    public static let domain = "sse-timeline"

    /// The localizer whose lookups go through glibc's `dgettext` and `dcngettext` in ``domain``, in the
    /// process's language (``currentLanguage()``), its weekday and month names from that language's locale.
    public static let localizer = Localizer(
        singular: { lookUp($0) },
        plural: { lookUp($0, $1, $2) },
        language: { currentLanguage() },
        calendarName: { CalendarNames.name($0, language: currentLanguage()) }
    )

    /// The localizer of `language` ("fr") whatever the process's language is: what a channel or recipient that
    /// reads another language than the instance formats its messages with. Each lookup switches the messages'
    /// language for its own duration (``use(language:)``) and back, so the process's language stays as it was;
    /// since that is the process's environment and locale, lookups belong on one thread (the daemon's loop).
    /// "en" is ``Localizer/english``.
    public static func localizer(for language: String) -> Localizer {
        if language == "en" { return .english }
        return Localizer(
            singular: { message in speaking(language) { lookUp(message) } },
            plural: { one, other, count in speaking(language) { lookUp(one, other, count) } },
            language: { language },
            calendarName: { CalendarNames.name($0, language: language) }
        )
    }

    // Without a translation gettext returns the msgid pointer it was given: it is read inside `withCString`,
    // while that pointer is still valid.
    private static func lookUp(_ message: String) -> String {
        message.withCString { String(cString: dgettext(domain, $0)) }
    }

    private static func lookUp(_ one: String, _ other: String, _ count: Int) -> String {
        one.withCString { one in
            other.withCString { other in
                String(cString: dcngettext(domain, one, other, UInt(max(0, count)), LC_MESSAGES))
            }
        }
    }

    /// `body` run with the messages in `language`, then the process's `LANGUAGE` and LC_MESSAGES as they were.
    private static func speaking<T>(_ language: String, _ body: () -> T) -> T {
        if currentLanguage() == language { return body() }
        let savedLanguage = getenv("LANGUAGE").map { String(cString: $0) }
        let savedMessages = setlocale(LC_MESSAGES, nil).map { String(cString: $0) } ?? "C"
        use(language: language)
        defer {
            if let savedLanguage { setenv("LANGUAGE", savedLanguage, 1) } else { unsetenv("LANGUAGE") }
            // Setting the locale again also drops gettext's cache of the lookups made in `language`.
            setlocale(LC_MESSAGES, savedMessages)
        }
        return body()
    }

    /// The language the lookups answer in, as gettext picks it: the first of `LANGUAGE` that has a catalog (or
    /// English), unless LC_MESSAGES is "C"; else LC_MESSAGES's language ("fr" of fr_FR.UTF-8); "en" for C.
    public static func currentLanguage() -> String {
        let messages = setlocale(LC_MESSAGES, nil).map { String(cString: $0) } ?? "C"
        guard messages != "C", messages != "POSIX" else { return "en" }
        var candidates: [Substring] = []
        if let list = getenv("LANGUAGE").map({ String(cString: $0) }) {
            candidates = list.split(separator: ":")
        }
        candidates.append(Substring(messages))
        for candidate in candidates {
            let code = String(candidate.prefix { $0 != "_" && $0 != "." && $0 != "@" })
            if code == "en" || code == "C" { return "en" }
            if Defaults.languages.contains(code) { return code }
        }
        return "en"
    }

    /// The localizer of `language` (the config's `language`) when given, made the process's messages'
    /// language (``use(language:)``) if it is not already; else of the locale. English is the untranslated text.
    public static func localizer(language: String?) -> Localizer {
        guard let language else { return localizer }
        if language == "en" { return .english }
        if getenv("LANGUAGE").map({ String(cString: $0) }) != language { use(language: language) }
        return localizer
    }

    /// Takes the locale from the environment (`setlocale(LC_ALL, "")`) and binds ``domain`` to
    /// ``localeDirectory()`` in UTF-8, whatever the locale's own character set.
    public static func setUp() {
        setlocale(LC_ALL, "")
        bindtextdomain(domain, localeDirectory())
        bind_textdomain_codeset(domain, "UTF-8")
    }

    /// Where the catalogs are: `$SSE_TIMELINE_LOCALEDIR` when set, else `share/locale` beside the binary's
    /// directory (PREFIX/bin/sse-timeline reads PREFIX/share/locale; `make locale` writes a development build's
    /// catalogs to .build/TRIPLE/share/locale, beside .build/TRIPLE/debug), else /usr/share/locale.
    public static func localeDirectory() -> String {
        if let directory = getenv("SSE_TIMELINE_LOCALEDIR"), directory.pointee != 0 {
            return String(cString: directory)
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 {
            let executable = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let bin = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast(2)
            let candidate = bin.joined(separator: "/") + "/share/locale"
            if access(candidate, F_OK) == 0 { return candidate }
        }
        return "/usr/share/locale"
    }

    /// Makes `language` ("fr", "es") the messages' language whatever the environment's locale says: the config's
    /// `language` for the system instance, whose environment is the system's. gettext reads the `LANGUAGE`
    /// variable only when LC_MESSAGES is not "C", so a "C" locale becomes C.UTF-8 (always present in glibc);
    /// setting the locale again also clears gettext's cache of earlier lookups.
    public static func use(language: String) {
        setenv("LANGUAGE", language, 1)
        let current = setlocale(LC_MESSAGES, nil).map { String(cString: $0) } ?? "C"
        let messages = current == "C" || current == "POSIX" ? "C.UTF-8" : current
        setlocale(LC_MESSAGES, messages)
    }
}
