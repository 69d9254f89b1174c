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

    /// The localizer whose lookups go through glibc's `dgettext` and `dcngettext` in ``domain``.
    public static let localizer = Localizer(
        singular: { message in String(cString: dgettext(domain, message)) },
        plural: { one, other, count in
            String(cString: dcngettext(domain, one, other, UInt(max(0, count)), LC_MESSAGES))
        }
    )

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
