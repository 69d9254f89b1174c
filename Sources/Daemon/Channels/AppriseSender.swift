import Timeline

/// Sends a push through the `apprise` command (Debian's package `apprise`, or PyPI's) to the URLs of a
/// credential: `apprise -n TYPE -t TITLE --config FILE`, the body on its standard input.
///
/// The URLs hold tokens, so they never stand in the arguments (anyone may read a process's arguments in
/// /proc): Apprise reads them from the credential file itself, in its TEXT configuration format (one URL a
/// line, `#` comments).
public struct AppriseSender: Sendable {
    /// The command, a path or a name looked up in `$PATH`.
    public var program: String

    /// A sender through `program`.
    public init(program: String = "apprise") {
        self.program = program
    }

    /// Apprise's notification type for a journal priority: emerg to err `failure`, warning `warning`, notice
    /// to debug `info` (Apprise's `success` stands for nothing a reminder says).
    public static func notificationType(priority: String?) -> String {
        guard let priority = priority.flatMap(Priority.init(name:)) else { return "info" }
        switch priority {
        case .emergency, .alert, .critical, .error: return "failure"
        case .warning: return "warning"
        case .notice, .info, .debug: return "info"
        }
    }

    /// Sends `body` titled `title` to the URLs in `configuration` (a file path): sent when Apprise exited 0
    /// (every service took it); otherwise its exit status and what it wrote are the reason.
    public func send(title: String, body: String, type: String, configuration: String) -> SendOutcome {
        let arguments = ["-n", type, "-t", title, "--config", configuration]
        do {
            return .of(try ProgramRun.run(program, arguments, input: Array(body.utf8)), name: "apprise")
        } catch {
            return .temporaryFailure("\(program) could not be run: \(error) (install the package apprise)")
        }
    }
}
