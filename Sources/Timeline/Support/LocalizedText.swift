/// A sentence for a person, kept as its English template and the values that fill it until someone reads it,
/// so that the same value can be read in any language: a config diagnostic is made once by the core and
/// printed by `validate` in the reader's language, or logged by the daemon in the instance's.
///
/// ``tr(_:_:)`` and ``trn(_:_:_:_:)`` mark their template for translation (`make pot` extracts them, as it
/// does ``Localizer``'s); a string literal or interpolation is kept verbatim, a text no catalog translates
/// (a file name, a value as written).
public struct LocalizedText: Hashable, Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private indirect enum Form: Hashable, Sendable {
        case verbatim(String)
        case message(String, [LocalizedText])
        case plural(String, String, Int, [LocalizedText])
        case joined([LocalizedText])
    }

    private let form: Form

    private init(form: Form) { self.form = form }

    /// `text` as it is, in every language.
    public init(verbatim text: String) { form = .verbatim(text) }

    /// A literal, kept verbatim.
    public init(stringLiteral value: String) { form = .verbatim(value) }

    /// An interpolation, kept verbatim.
    public init(stringInterpolation: DefaultStringInterpolation) {
        form = .verbatim(String(stringInterpolation: stringInterpolation))
    }

    /// The translation of `template`, its `%s` filled with `arguments` in order (`%1$s` by position). An
    /// argument that is itself a ``LocalizedText`` is read in the same language; any other is its description.
    public static func tr(_ template: String, _ arguments: any CustomStringConvertible...) -> LocalizedText {
        LocalizedText(form: .message(template, arguments.map(Self.argument)))
    }

    /// The form of `one`/`other` that `count` takes in the reader's language, its `%d` filled with `count` and
    /// any `%s` with `arguments`.
    public static func trn(
        _ one: String,
        _ other: String,
        _ count: Int,
        _ arguments: any CustomStringConvertible...
    ) -> LocalizedText {
        LocalizedText(form: .plural(one, other, count, arguments.map(Self.argument)))
    }

    /// ``tr(_:_:)`` with the arguments in an array: for a template marked elsewhere (a parser's own `tr`).
    public static func tr(_ template: String, arguments: [any CustomStringConvertible]) -> LocalizedText {
        LocalizedText(form: .message(template, arguments.map(Self.argument)))
    }

    private static func argument(_ value: any CustomStringConvertible) -> LocalizedText {
        value as? LocalizedText ?? LocalizedText(verbatim: value.description)
    }

    /// The text in `localizer`'s language.
    public func text(in localizer: Localizer) -> String {
        switch form {
        case .verbatim(let text): text
        case .message(let template, let arguments):
            localizer.translate(template, arguments.map { $0.text(in: localizer) })
        case .plural(let one, let other, let count, let arguments):
            localizer.translate(one, other, count, arguments.map { $0.text(in: localizer) })
        case .joined(let parts): parts.map { $0.text(in: localizer) }.joined()
        }
    }

    /// The English text.
    public var description: String { text(in: .english) }

    /// This text followed by `suffix`, each read in the reader's language.
    public static func + (text: LocalizedText, suffix: LocalizedText) -> LocalizedText {
        LocalizedText(form: .joined([text, suffix]))
    }
}
