/// A sentence of the parser's, kept as its English template and the values that fill it, so that a program
/// with a message catalog can print it in the reader's language (the parser itself has none).
///
/// ``tr(_:_:)`` makes one: its template is a string literal that xgettext's `--keyword=tr` extracts, each `%s`
/// filled in order by an argument. An argument that is a `TOMLText` is itself a sentence to translate; any
/// other is kept as written (a key, a character, a number). ``description`` is the English text.
public struct TOMLText: Hashable, Sendable, CustomStringConvertible {
    /// The English template, one `%s` per argument (`%%` a percent sign); for a verbatim text, the text itself.
    public let template: String
    /// The values that fill `template`, in order.
    public let arguments: [TOMLText]
    /// Whether `template` is marked for translation; false for a value as written, which no catalog translates.
    public let isMarked: Bool

    /// `text` as it is, in every language.
    public init(verbatim text: String) {
        template = text
        arguments = []
        isMarked = false
    }

    init(marked template: String, _ arguments: [TOMLText]) {
        self.template = template
        self.arguments = arguments
        isMarked = true
    }

    /// The English text: `template` with its `%s` filled.
    public var description: String {
        guard isMarked else { return template }
        var result = ""
        var next = arguments.makeIterator()
        var rest = Substring(template)
        while let percent = rest.firstIndex(of: "%") {
            result += rest[..<percent]
            let spec = rest[rest.index(after: percent)...].prefix(1)
            result += spec == "s" ? next.next()?.description ?? "" : spec == "%" ? "%" : "%" + spec
            rest = rest[rest.index(after: percent)...].dropFirst(spec.count)
        }
        return result + rest
    }
}

/// `template` marked for translation, its `%s` filled with `arguments` in order.
func tr(_ template: String, _ arguments: any CustomStringConvertible...) -> TOMLText {
    TOMLText(marked: template, arguments.map { $0 as? TOMLText ?? TOMLText(verbatim: $0.description) })
}
