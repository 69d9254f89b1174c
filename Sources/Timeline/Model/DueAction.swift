/// What a milestone's reminders do besides being written into the journal (`on_due` in the config): start a
/// unit, or run a command as a transient service. Only from config files the instance's owner controls, never
/// from `.ics` files (`Milestone.origin`): the daemon checks both before it acts.
public struct DueAction: Hashable, Sendable {
    /// What to start.
    public enum Kind: Hashable, Sendable {
        /// A unit: a template (`name@.service`) gets the reminder's escaped key as its instance.
        case unit(String)
        /// A command, its absolute path first, run as a transient service.
        case exec([String])
    }

    /// The prefix of the units the system instance may start (its polkit rule allows no others).
    public static let systemUnitPrefix = "sse-timeline-action-"

    /// What to start.
    public var kind: Kind
    /// The config file that says so, for the daemon's check of who controls it.
    public var file: String

    /// An action of `kind` defined in `file`.
    public init(_ kind: Kind, file: String) {
        self.kind = kind
        self.file = file
    }
}

extension Milestone {
    /// This milestone with `action` as its `on_due` (the config decoder's hook).
    func with(onDue action: DueAction?) -> Milestone {
        guard let action else { return self }
        var copy = self
        copy.onDue = action
        return copy
    }
}
