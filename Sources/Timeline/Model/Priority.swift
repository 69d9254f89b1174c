/// A syslog/journal priority, 0 (emerg) to 7 (debug).
public enum Priority: Int, Hashable, Sendable, CaseIterable, Comparable {
    case emergency = 0, alert, critical, error, warning, notice, info, debug

    /// The names accepted in config files, as `journalctl -p` takes them.
    public static let names = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"]

    /// The journalctl name: `notice`, `warning`...
    public var name: String { Priority.names[rawValue] }

    /// Parses a name (`warning`, also `warn`, `error`, `crit`...) or a digit 0...7.
    public init?(name: String) {
        let lower = name.lowercased()
        if let index = Priority.names.firstIndex(of: lower) {
            self.init(rawValue: index)
            return
        }
        switch lower {
        case "emergency", "panic": self = .emergency
        case "critical": self = .critical
        case "error": self = .error
        case "warn": self = .warning
        case "information", "informational": self = .info
        default:
            guard lower.count == 1, let digit = Int(lower), let p = Priority(rawValue: digit) else { return nil }
            self = p
        }
    }

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }
}
