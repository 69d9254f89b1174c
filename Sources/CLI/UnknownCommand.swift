import ArgumentParser
import Gettext
import Glibc
import Timeline

/// `sse-timeline lsit`: a first word that names no command is refused as one, with the nearest command, as
/// `systemctl` and `git` do. Without this, ArgumentParser would hand the word to the default command (`next`)
/// and answer "Unexpected argument 'lsit'" with `next`'s usage.
enum UnknownCommand {
    /// The exit status of a misspelt command: EX_USAGE, as ArgumentParser's own usage errors.
    static let exitCode: Int32 = 64

    /// A command name this many edits away is suggested: two, so that a swap of two letters (`lsit`) is one.
    static let maximumDistance = 2

    /// The names a first word may take: the commands and ArgumentParser's `help`.
    static var commandNames: [String] {
        SSETimeline.configuration.subcommands.flatMap { command in
            [command._commandName] + command.configuration.aliases
        } + ["help"]
    }

    /// The commands `--help` lists, in its order.
    static var listedCommands: [String] {
        SSETimeline.configuration.subcommands.filter { $0.configuration.shouldDisplay }.map { $0._commandName }
    }

    /// The first word of `arguments` when it is meant as a command and names none; nil otherwise. The first
    /// argument (the root's `--user` aside) is in the command's place: a word there, not an option, can only be
    /// meant as a command, since the default command (`next`) takes no words.
    static func word(in arguments: [String]) -> String? {
        guard let first = arguments.first(where: { $0 != "--user" }), !first.hasPrefix("-") else { return nil }
        return commandNames.contains(first) ? nil : first
    }

    /// What to say about `word`: that it is no command, the nearest command if one is near, and where the list is.
    static func message(for word: String) -> String {
        let commands = listedCommands
        let l10n = Gettext.localizer
        var text = l10n.tr("sse-timeline: '%s' is not a command.", word)
        if let near = Suggestion.closest(to: word, among: commands, maximumDistance: maximumDistance) {
            text += " " + l10n.tr("Did you mean '%s'?", near)
        }
        text += "\n" + l10n.tr("The commands: %s; see 'sse-timeline --help'.", commands.joined(separator: ", "))
        return text
    }

    /// Exits with `exitCode` after saying so on standard error, when `arguments` start with an unknown command.
    static func refuse(_ arguments: [String]) {
        guard let word = word(in: arguments) else { return }
        Output.err(message(for: word))
        exit(exitCode)
    }
}
