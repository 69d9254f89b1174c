import Testing

@testable import Timeline

@Suite struct LocalizedTextTests {
    /// A catalog of two French messages, French's plural rule (one for 0 and 1).
    let french = Localizer(
        singular: { ["unknown key \"%s\"": "clé inconnue « %s »", "error": "erreur", "in %s": "dans %s"][$0] ?? $0 },
        plural: { one, other, n in
            one == "%d day" ? (n > 1 ? "%d jours" : "%d jour") : (n == 1 ? one : other)
        }
    )

    @Test func markedTextIsReadInTheReadersLanguageAndEnglishByDefault() {
        let text = LocalizedText.tr("unknown key \"%s\"", "tilte")
        #expect(text.description == "unknown key \"tilte\"")
        #expect(text.text(in: french) == "clé inconnue « tilte »")
    }

    @Test func argumentsThatAreTextsAreReadInTheSameLanguage() {
        let text = LocalizedText.tr("in %s", LocalizedText.trn("%d day", "%d days", 0))
        #expect(text.description == "in 0 days")
        #expect(text.text(in: french) == "dans 0 jour")
    }

    @Test func literalsAndInterpolationsStayVerbatim() {
        let value = "%s"
        let text: LocalizedText = "error \(value)"
        #expect(text.text(in: french) == "error %s")
        #expect((LocalizedText.tr("error") + " (x)").text(in: french) == "erreur (x)")
    }

    @Test func diagnosticPrintsItsSeverityAndMessageInTheLanguage() {
        let diagnostic = Diagnostic(
            .error, at: SourceLocation(file: "t.toml", line: 3, column: 1), key: "tilte",
            message: .tr("unknown key \"%s\"", "tilte")
        )
        #expect(diagnostic.description == "t.toml:3:1: error: tilte: unknown key \"tilte\"")
        #expect(diagnostic.description(in: french) == "t.toml:3:1: erreur: tilte: clé inconnue « tilte »")
        #expect(diagnostic.message == "unknown key \"tilte\"")
    }
}
