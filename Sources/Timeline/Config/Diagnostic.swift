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
    /// What is wrong, in a sentence, in any language.
    public var text: LocalizedText
    /// What would be accepted, or a "did you mean ...?" suggestion, in any language.
    public var hintText: LocalizedText?
    /// For the line that closes a capped list ("and 40 more problems not shown"): how many errors it stands for.
    /// 0 for every other diagnostic.
    public var errorsNotShown = 0

    /// What is wrong, in English.
    public var message: String { text.description }
    /// What would be accepted, in English.
    public var hint: String? { hintText?.description }

    /// A diagnostic of `severity` at `location`.
    public init(
        severity: Severity,
        location: SourceLocation,
        key: String,
        value: String? = nil,
        message: LocalizedText,
        hint: LocalizedText? = nil,
        errorsNotShown: Int = 0
    ) {
        self.severity = severity
        self.location = location
        self.key = key
        self.value = value
        self.text = message
        self.hintText = hint
        self.errorsNotShown = errorsNotShown
    }

    /// `file:line:column: error: key = value: message (hint)`, one line, as compilers print, in English.
    public var description: String { description(in: .english) }

    /// The one line in `localizer`'s language: "error" and "warning" too, as compilers translate them.
    public func description(in localizer: Localizer) -> String {
        let severityName =
            switch severity {
            case .error: localizer.tr("error")
            case .warning: localizer.tr("warning")
            }
        var line = "\(location): \(severityName): "
        if !key.isEmpty { line += key }
        if let value { line += key.isEmpty ? "\(Diagnostic.quoted(value))" : " = \(Diagnostic.quoted(value))" }
        if !key.isEmpty || value != nil { line += ": " }
        line += text.text(in: localizer)
        if let hintText { line += "; " + hintText.text(in: localizer) }
        return line
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
        message: LocalizedText,
        hint: LocalizedText? = nil
    ) {
        self.init(severity: severity, location: location, key: key, value: value, message: message, hint: hint)
    }

    /// The line that closes a capped list, at `location`: `count` more problems not shown, `errors` of them errors.
    static func notShown(_ count: Int, errors: Int, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            severity: errors > 0 ? .error : .warning,
            location: location,
            key: "",
            message: errors > 0
                ? .trn("and %d more problem not shown", "and %d more problems not shown", count)
                : .trn("and %d more warning not shown", "and %d more warnings not shown", count),
            hint: .tr("fix the ones above and run validate again"),
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

    /// One diagnostic per line, in English.
    public var description: String { description(in: .english) }

    /// One diagnostic per line, in `localizer`'s language.
    public func description(in localizer: Localizer) -> String {
        diagnostics.map { $0.description(in: localizer) }.joined(separator: "\n")
    }
}
