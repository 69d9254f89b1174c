import Gettext

/// The commands' `--help` in the reader's language. Every abstract, paragraph of a discussion and argument help
/// is a message marked with ``tr(_:)`` (extracted by `make pot`), looked up when ArgumentParser first reads a
/// command's `configuration` or makes its arguments: both happen after `SSETimeline.main()` has set up gettext.
/// The library's own words ("USAGE:", "OPTIONS:", "Show help information.") stay English.
enum HelpText {
    /// `message` in the reader's language. It is a template: a percent sign in it is written `%%`.
    static func tr(_ message: String) -> String {
        Gettext.localizer.tr(message)
    }

    /// `message` in the reader's language, its `%s` filled with `value`: a format such as `Z|±HH:MM`, which is
    /// not translated and keeps the template ASCII (xgettext drops what is not, as it writes no header).
    static func tr(_ message: String, _ value: String) -> String {
        Gettext.localizer.tr(message, value)
    }

    /// A discussion of several paragraphs, each marked on its own, separated by a blank line.
    static func paragraphs(_ paragraphs: String...) -> String {
        paragraphs.joined(separator: "\n\n")
    }

    /// "Examples:" (or "Example:", or `heading`) over `commands`, one a line, indented by two spaces; the
    /// commands as written, untranslated. A line that starts with a space continues the command above it.
    static func examples(_ commands: String..., heading: String? = nil) -> String {
        let count = commands.filter { !$0.hasPrefix(" ") }.count
        let title = heading ?? Gettext.localizer.trn("Example:", "Examples:", count)
        return ([title] + commands.map { "  " + $0 }).joined(separator: "\n")
    }
}
