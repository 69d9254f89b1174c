/// Why a snooze or dismissal was refused; `description` says it for a person, `name` for programs (the D-Bus
/// error name `io.github.ssetimeline.Timeline1.Error.<name>`).
public struct FollowUpError: Error, Equatable, CustomStringConvertible {
    private enum Code: String {
        case unknownKey = "UnknownKey"
        case notDueYet = "NotDueYet"
        case invalidDuration = "InvalidDuration"
        case noTimeline = "NoTimeline"
    }

    private let code: Code
    /// What went wrong and what would be accepted.
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// The error's short name: `UnknownKey`, `NotDueYet`, `InvalidDuration`, `NoTimeline`.
    public var name: String { code.rawValue }

    /// No reminder of the timeline has the key.
    static func unknownKey(_ key: String) -> FollowUpError {
        FollowUpError(
            .unknownKey,
            "no reminder \"\(key)\" in the timeline; `sse-timeline pending` lists the keys of the reminders to come"
        )
    }

    /// The reminder comes due after the snooze would end.
    static func notDueYet(_ key: String, due: String) -> FollowUpError {
        FollowUpError(
            .notDueYet,
            "the reminder \"\(key)\" comes due at \(due), after the snooze would end; snooze it once it is due, or dismiss it"
        )
    }

    /// The duration is not a positive number of seconds up to a year.
    static func invalidDuration(_ seconds: Int64) -> FollowUpError {
        FollowUpError(
            .invalidDuration,
            "cannot snooze for \(seconds) seconds; accepted: 1 second to 366 days"
        )
    }

    /// The scheduler has not loaded a timeline yet.
    static let noTimeline = FollowUpError(.noTimeline, "no timeline is loaded")
}
