import TOML

extension LocalizedText {
    /// A TOML parser's text: its marked template translated through the catalog (the parser's `tr` marks it for
    /// `make pot`), its values kept as written.
    init(_ text: TOMLText) {
        self =
            text.isMarked
            ? .tr(text.template, arguments: text.arguments.map(LocalizedText.init))
            : LocalizedText(verbatim: text.template)
    }
}

extension TOMLNode.Value {
    /// ``typeName`` ("a string", "an offset date-time") to be read in any language.
    var localizedType: LocalizedText { LocalizedText(typeText) }
}
