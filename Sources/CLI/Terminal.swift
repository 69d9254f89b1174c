import Daemon
import Glibc
import Timeline

/// What the views need to know about the terminal they write to: its width, and whether to colour.
struct Terminal {
    /// Whether standard output is a terminal.
    var isTerminal: Bool
    /// Columns: the terminal's own (TIOCGWINSZ), else `$COLUMNS`, else 80.
    var width: Int
    /// Colour only on a terminal and without `NO_COLOR` (https://no-color.org: set and not empty).
    var style: TextStyle

    /// Standard output's terminal, read now.
    static func standardOutput(environment: [String: String] = ProcessEnvironment.current()) -> Terminal {
        let isTerminal = isatty(STDOUT_FILENO) == 1
        var size = winsize()
        var width = 0
        if isTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 { width = Int(size.ws_col) }
        if width <= 0, let columns = environment["COLUMNS"].flatMap({ Int($0) }), columns > 0 { width = columns }
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        return Terminal(
            isTerminal: isTerminal,
            width: width > 0 ? width : 80,
            style: TextStyle(color: isTerminal && !noColor)
        )
    }
}
