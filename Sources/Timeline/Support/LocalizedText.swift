/// A sentence for a person, kept as its English template and the values that fill it until someone reads it,
/// so that the same value can be read in any language: a config diagnostic is made once by the core and
/// printed by `validate` in the reader's language, or logged by the daemon in the instance's.
///
/// ``tr(_:_:)`` and ``trn(_:_:_:_:)`` mark their template for translation (`make pot` extracts them, as it
/// does ``Localizer``'s); a string literal or interpolation is kept verbatim, a text no catalog translates
/// (a file name, a value as written).
public struct LocalizedText: Hashable, Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    // Plain stored properties, not an indirect enum: an indirect enum's case tag lives in its box pointer's spare
    // bits, where LeakSanitizer cannot recognise the pointer, so a text held by a `static let` was reported as
    // leaked by the fuzz targets.
    private enum Kind: Hashable, Sendable {
        case verbatim, message, plural, joined
    }

    private let kind: Kind
    /// The text (verbatim), the template (message), or the singular (plural).
    private let template: String
    /// The plural's other form.
    private let other: String
    private let count: Int
    /// The arguments (message, plural), or the parts (joined).
    private let parts: [LocalizedText]

    private init(_ kind: Kind, _ template: String, other: String = "", count: Int = 0, _ parts: [LocalizedText] = []) {
        self.kind = kind
        self.template = template
        self.other = other
        self.count = count
        self.parts = parts
    }

    /// `text` as it is, in every language.
    public init(verbatim text: String) { self.init(.verbatim, text) }

    /// A literal, kept verbatim.
    public init(stringLiteral value: String) { self.init(.verbatim, value) }

    /// An interpolation, kept verbatim.
    public init(stringInterpolation: DefaultStringInterpolation) {
        self.init(.verbatim, String(stringInterpolation: stringInterpolation))
    }

    /// The translation of `template`, its `%s` filled with `arguments` in order (`%1$s` by position). An
    /// argument that is itself a ``LocalizedText`` is read in the same language; any other is its description.
    public static func tr(_ template: String, _ arguments: any CustomStringConvertible...) -> LocalizedText {
        LocalizedText(.message, template, arguments.map(Self.argument))
    }

    /// The form of `one`/`other` that `count` takes in the reader's language, its `%d` filled with `count` and
    /// any `%s` with `arguments`.
    public static func trn(
        _ one: String,
        _ other: String,
        _ count: Int,
        _ arguments: any CustomStringConvertible...
    ) -> LocalizedText {
        LocalizedText(.plural, one, other: other, count: count, arguments.map(Self.argument))
    }

    /// ``tr(_:_:)`` with the arguments in an array: for a template marked elsewhere (a parser's own `tr`).
    public static func tr(_ template: String, arguments: [any CustomStringConvertible]) -> LocalizedText {
        LocalizedText(.message, template, arguments.map(Self.argument))
    }

    private static func argument(_ value: any CustomStringConvertible) -> LocalizedText {
        value as? LocalizedText ?? LocalizedText(verbatim: value.description)
    }

    /// The text in `localizer`'s language.
    public func text(in localizer: Localizer) -> String {
        switch kind {
        case .verbatim: template
        case .message: localizer.translate(template, parts.map { $0.text(in: localizer) })
        case .plural: localizer.translate(template, other, count, parts.map { $0.text(in: localizer) })
        case .joined: parts.map { $0.text(in: localizer) }.joined()
        }
    }

    /// The English text.
    public var description: String { text(in: .english) }

    /// This text followed by `suffix`, each read in the reader's language.
    public static func + (text: LocalizedText, suffix: LocalizedText) -> LocalizedText {
        LocalizedText(.joined, "", [text, suffix])
    }
}
