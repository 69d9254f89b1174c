/// One problem found in a config: where it is, which key, the offending value, and what is accepted.
///
/// Errors make a config invalid; warnings (a local time that falls into a DST gap, a rule that never
/// occurs) are reported by `validate` but do not stop the timeline from loading.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// How bad it is.
    public enum Severity: String, Hashable, Sendable {
        case error, warning
    }

    /// Error or warning.
    public var severity: Severity
    /// Where the offending value (or key) sits.
    public var location: SourceLocation
    /// The key path, such as `milestone[2].start` (empty for file-level problems).
    public var key: String
    /// The offending value as written, if any.
    public var value: String?
    /// What is wrong, in a sentence.
    public var message: String
    /// What would be accepted, or a "did you mean ...?" suggestion.
    public var hint: String?
    /// For the line that closes a capped list ("and 40 more problems not shown"): how many errors it stands for.
    /// 0 for every other diagnostic.
    public var errorsNotShown = 0

    /// `file:line:column: error: key = value: message (hint)`, one line, as compilers print.
    public var description: String {
        var text = "\(location): \(severity.rawValue): "
        if !key.isEmpty { text += key }
        if let value { text += key.isEmpty ? "\(Diagnostic.quoted(value))" : " = \(Diagnostic.quoted(value))" }
        if !key.isEmpty || value != nil { text += ": " }
        text += message
        if let hint { text += "; \(hint)" }
        return text
    }

    /// Shortens and quotes a value for a one-line message.
    static func quoted(_ value: String) -> String {
        var shown = value.count > 80 ? String(value.prefix(77)) + "..." : value
        shown = shown.replacing("\n", with: "\\n")
        return "\"\(shown)\""
    }
}

extension Diagnostic {
    /// A diagnostic at `location`.
    public init(
        _ severity: Severity,
        at location: SourceLocation,
        key: String,
        value: String? = nil,
        message: String,
        hint: String? = nil
    ) {
        self.init(severity: severity, location: location, key: key, value: value, message: message, hint: hint)
    }

    /// The line that closes a capped list, at `location`: `count` more problems not shown, `errors` of them errors.
    static func notShown(_ count: Int, errors: Int, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            severity: errors > 0 ? .error : .warning,
            location: location,
            key: "",
            message: "and \(count) more \(errors > 0 ? "problems" : "warnings") not shown",
            hint: "fix the ones above and run validate again",
            errorsNotShown: errors
        )
    }
}

/// The diagnostics of a config that could not be loaded: at least one error, all of them reported.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// Every problem found, errors and warnings, in file and line order.
    public var diagnostics: [Diagnostic]

    /// Wraps the diagnostics of a failed load.
    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sorted { $0.location < $1.location }
    }

    /// Only the errors.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// How many errors were found, those a capped list leaves out included.
    public var errorCount: Int {
        errors.reduce(0) { $0 + ($1.errorsNotShown > 0 ? $1.errorsNotShown : 1) }
    }

    /// One diagnostic per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
