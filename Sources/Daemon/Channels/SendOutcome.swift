/// What became of one attempt, and the exit status `sse-timeline deliver` ends with (the template unit's
/// result tells the daemon): 0 handed over, 75 (EX_TEMPFAIL) for anything a retry may fix, 78 (EX_CONFIG)
/// for a request or credential that no retry fixes by itself.
public struct SendOutcome: Sendable, Equatable {
    /// The exit status for a message handed over.
    public static let sentStatus: Int32 = 0
    /// EX_TEMPFAIL (sysexits.h): the mailer or the service may take it later.
    public static let temporaryFailureStatus: Int32 = 75
    /// EX_CONFIG (sysexits.h): a missing or unreadable credential, a malformed environment file.
    public static let configurationStatus: Int32 = 78

    /// The exit status.
    public var status: Int32
    /// For a failure: the mailer's or Apprise's own words, or what could not be read.
    public var reason: String?

    /// Handed over.
    public static let sent = SendOutcome(status: sentStatus, reason: nil)

    /// A failure a retry may fix.
    public static func temporaryFailure(_ reason: String) -> SendOutcome {
        SendOutcome(status: temporaryFailureStatus, reason: reason)
    }

    /// A failure of the configuration.
    public static func configurationFailure(_ reason: String) -> SendOutcome {
        SendOutcome(status: configurationStatus, reason: reason)
    }

    /// Whether it was handed over.
    public var isSent: Bool { status == Self.sentStatus }

    /// The outcome of a finished program `name`: sent when it exited 0, else its ending and output as the reason.
    static func of(_ run: ProgramRun, name: String) -> SendOutcome {
        guard !run.succeeded else { return .sent }
        // The journal keeps one line: the program's lines joined, the total bounded.
        let words = run.output.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " / ")
        let output = words.count > 2000 ? String(words.prefix(2000)) + "..." : words
        return .temporaryFailure("\(name) ended with \(run.ending)" + (output.isEmpty ? "" : ": \(output)"))
    }
}
