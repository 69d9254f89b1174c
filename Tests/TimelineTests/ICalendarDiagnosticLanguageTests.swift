import Testing

@testable import Timeline

/// The problems of an iCalendar file keep their template and values, so `validate`, `import` and the daemon
/// print them in the reader's language.
@Suite struct ICalendarDiagnosticLanguageTests {
    /// A catalog of the few messages these files need, in French.
    let french = Localizer(
        singular: {
            [
                "warning": "avertissement",
                "skipped": "ignorée",
                "END:%s does not close BEGIN:%s of line %s": "END:%s ne ferme pas le BEGIN:%s de la ligne %s",
                "unknown time zone, and the file has no VTIMEZONE for it":
                    "fuseau horaire inconnu, et le fichier n’a pas de VTIMEZONE pour lui",
                " (the %s of line %s is skipped)": " (le %s de la ligne %s est ignoré)",
                "did you mean \"%s\"?": "vouliez-vous dire « %s » ?",
                "skipped what a reminder has no use for: %s": "ignoré ce qui ne sert pas à un rappel : %s",
                "components %s": "composants %s",
                "only VEVENT with its dates, texts and VALARMs become milestones":
                    "seuls les VEVENT, avec leurs dates, textes et VALARM, deviennent des jalons",
            ][$0] ?? $0
        },
        plural: { one, other, n in n == 1 ? one : other }
    )

    let file = ICalendarImportTests.calendar(
        """
        BEGIN:VEVENT
        UID:a
        SUMMARY:Bad zone
        DTSTART;TZID=Europe/Pariss:20270607T090000
        END:VEVENT
        END:VTODO
        BEGIN:VJOURNAL
        UID:j
        END:VJOURNAL
        """
    )

    @Test func aParserProblemKeepsItsTemplateAndValues() throws {
        let problem = try #require(ICalendarParser(file).problems.first)
        #expect(problem.message == "END:VTODO does not close BEGIN:VCALENDAR of line 1")
        #expect(problem.text.text(in: french) == "END:VTODO ne ferme pas le BEGIN:VCALENDAR de la ligne 1")
    }

    @Test func anImportedFilesProblemsAreReadInTheReadersLanguage() {
        let diagnostics = ICalendarImportTests.read(file).diagnostics
        #expect(
            diagnostics.map { $0.description(in: french) } == [
                "t.ics:1:1: avertissement: ignoré ce qui ne sert pas à un rappel : composants VJOURNAL (1); "
                    + "seuls les VEVENT, avec leurs dates, textes et VALARM, deviennent des jalons",
                "t.ics:7:1: avertissement: TZID = \"Europe/Pariss\": fuseau horaire inconnu, et le fichier n’a pas "
                    + "de VTIMEZONE pour lui (le VEVENT de la ligne 4 est ignoré); vouliez-vous dire « Europe/Paris » ?",
                "t.ics:9:5: avertissement: END:VTODO ne ferme pas le BEGIN:VCALENDAR de la ligne 1; ignorée",
            ]
        )
        // English is computed from the same texts, as before.
        #expect(
            diagnostics.map(\.description) == [
                "t.ics:1:1: warning: skipped what a reminder has no use for: components VJOURNAL (1); "
                    + "only VEVENT with its dates, texts and VALARMs become milestones",
                "t.ics:7:1: warning: TZID = \"Europe/Pariss\": unknown time zone, and the file has no VTIMEZONE "
                    + "for it (the VEVENT of line 4 is skipped); did you mean \"Europe/Paris\"?",
                "t.ics:9:5: warning: END:VTODO does not close BEGIN:VCALENDAR of line 1; skipped",
            ]
        )
    }
}
