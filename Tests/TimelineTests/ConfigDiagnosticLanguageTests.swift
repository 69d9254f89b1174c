import Testing

@testable import Timeline

/// A config's diagnostics keep their marked templates and values down from the readers, the RRULE parser and the
/// TOML parser, so that `validate` prints them in the reader's language.
@Suite struct ConfigDiagnosticLanguageTests {
    /// A small French catalog: the templates of the four problems below and the words they name.
    let french = Localizer(
        singular: {
            [
                "error": "erreur",
                "unknown key \"%s\"": "clé inconnue « %s »",
                "did you mean \"%s\"?": "vouliez-vous dire « %s » ?",
                "not a valid date: %s %s has %s days": "date non valide : %s %s a %s jours",
                "February": "février",
                "accepted: a date %s, a date-time %s (optionally with Z or an offset such as %s), a time %s":
                    "accepté : une date %s, une date-heure %s (éventuellement avec Z ou un décalage tel que %s), une heure %s",
                "%s: %s": "%s : %s",
                "%s value \"%s\" is not a weekday; %s": "la valeur %s « %s » n’est pas un jour de la semaine ; %s",
                "%s takes %s, each optionally after an ordinal %s or %s (%s)":
                    "%s prend %s, chacun éventuellement précédé d’un ordinal %s ou %s (%s)",
                "TOML syntax: %s": "syntaxe TOML : %s",
                "expected %s, found %s": "attendu : %s, trouvé : %s",
                "'=' after the key": "'=' après la clé",
                "the end of the line": "la fin de la ligne",
                "write key = value": "écrivez clé = valeur",
                "%s (see %s)": "%s (voir %s)",
            ][$0] ?? $0
        },
        plural: { one, other, n in n == 1 ? one : other }
    )

    let config = """
        [[milestone]]
        id = "a"
        title = "A"
        titl = "typo"
        start = 2027-02-30

        [[milestone]]
        id = "b"
        title = "B"
        start = 2027-03-01
        rrule = "FREQ=WEEKLY;BYDAY=XX"
        oops

        """

    @Test func typicalProblemsReadInFrenchAndUnchangedInEnglish() {
        let found = errors(config)
        #expect(
            found.map(\.description) == [
                #"t.toml:4:1: error: milestone[0].titl: unknown key "titl"; did you mean "title"?"#,
                #"t.toml:5:9: error: milestone[0].start = "2027-02-30": not a valid date: February 2027 has 28 days; accepted: a date 2027-06-10, a date-time 2027-06-10T13:00:00 (optionally with Z or an offset such as +02:00), a time 13:00:00"#,
                #"t.toml:11:28: error: milestone[1].rrule = "XX": BYDAY: BYDAY value "XX" is not a weekday; BYDAY takes MO, TU, WE, TH, FR, SA, SU, each optionally after an ordinal -53...-1 or 1...53 (1MO, -1FR)"#,
                #"t.toml:12:5: error: TOML syntax: expected '=' after the key, found the end of the line; write key = value (see https://toml.io/en/v1.0.0)"#,
            ]
        )
        #expect(
            found.map { $0.description(in: french) } == [
                #"t.toml:4:1: erreur: milestone[0].titl: clé inconnue « titl »; vouliez-vous dire « title » ?"#,
                #"t.toml:5:9: erreur: milestone[0].start = "2027-02-30": date non valide : février 2027 a 28 jours; accepté : une date 2027-06-10, une date-heure 2027-06-10T13:00:00 (éventuellement avec Z ou un décalage tel que +02:00), une heure 13:00:00"#,
                #"t.toml:11:28: erreur: milestone[1].rrule = "XX": BYDAY : la valeur BYDAY « XX » n’est pas un jour de la semaine ; BYDAY prend MO, TU, WE, TH, FR, SA, SU, chacun éventuellement précédé d’un ordinal -53...-1 ou 1...53 (1MO, -1FR)"#,
                #"t.toml:12:5: erreur: syntaxe TOML : attendu : '=' après la clé, trouvé : la fin de la ligne; écrivez clé = valeur (voir https://toml.io/en/v1.0.0)"#,
            ]
        )
    }

    @Test func keyNamesAndValuesStayAsWritten() {
        // A catalog that brackets every template it translates: the key suggested, the values and the RRULE words
        // are arguments, outside the brackets of the sentences that name them.
        let bracketing = Localizer(singular: { "[\($0)]" }, plural: { one, other, n in n == 1 ? one : other })
        let lines = errors(config).map { $0.description(in: bracketing) }
        #expect(lines[0].hasSuffix(#"[unknown key "titl"]; [did you mean "title"?]"#))
        #expect(
            lines[2].hasSuffix(
                #"[BYDAY: [BYDAY value "XX" is not a weekday; [BYDAY takes MO, TU, WE, TH, FR, SA, SU, each optionally after an ordinal -53...-1 or 1...53 (1MO, -1FR)]]]"#
            )
        )
        #expect(
            lines[3].hasSuffix(
                "[TOML syntax: [expected ['=' after the key], found [the end of the line]]]; [[write key = value] (see https://toml.io/en/v1.0.0)]"
            )
        )
    }
}
