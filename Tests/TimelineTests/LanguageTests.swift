import Testing

@testable import Timeline

/// A French catalog as gettext would read one, for the views and the export: French's plural rule (one for 0
/// and 1), a few messages, and names the calendar takes from it (the shipped binary reads glibc's locale).
let frenchForViews = Localizer(
    singular: {
        [
            "all day": "toute la journée", "day %s/%s": "jour %s/%s", "Today, %s": "Aujourd’hui, %s",
            "Tomorrow, %s": "Demain, %s", "%s before": "%s avant", "Wk": "Sm",
            "nothing on the timeline from %s to %s (%s)": "rien sur la chronologie du %s au %s (%s)",
            "Date known to the year only: %s (shown on its first day).": "Date connue à l’année près : %s.",
        ][$0] ?? $0
    },
    plural: { one, other, n in
        let forms = ["%d day": ("%d jour", "%d jours")][one]
        guard let forms else { return n == 1 ? one : other }
        return n > 1 ? forms.1 : forms.0
    },
    language: { "fr" },
    calendarName: { name in
        switch name {
        case .weekday(let day): ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"][day]
        case .abbreviatedWeekday(let day): ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."][day]
        case .month(let month): month == 7 ? "juillet" : "mois \(month)"
        }
    }
)

/// The views, `validate --languages` and the iCalendar files in the reader's language (issue 24).
@Suite("Languages")
struct LanguageTests {
    static let timeline = """
        [defaults]
        timezone = "UTC"

        [[milestone]]
        id = "coop-day"
        title = "International Day of Cooperatives"
        title_fr = "Journée internationale des coopératives"
        location = "worldwide"
        location_fr = "dans le monde entier"
        start = 2027-07-03
        reminders = ["2 days before"]

        [[milestone]]
        id = "academy"
        title = "SSE Academy"
        description = "Held in 2027."
        start = 2027-07-05
        end = 2027-07-06
        precision = "year"
        reminders = ["at start"]
        """

    @Test func theAgendaSpeaksTheLocalizersLanguageWithItsWeekdayNames() throws {
        let agenda = Agenda(
            config: try load(Self.timeline),
            now: utc("2027-07-01T18:00:00Z"),
            dayCount: 6,
            viewerZone: .utc,
            localizer: frenchForViews
        )
        #expect(
            agenda.render(TextStyle(color: false)) == [
                "Aujourd’hui, jeudi 2027-07-01",
                "  + 09:00      Journée internationale des coopératives: 2 jours avant",
                "samedi 2027-07-03",
                "  * toute la journée Journée internationale des coopératives (dans le monde entier)",
                "lundi 2027-07-05",
                "  * jour 1/2   SSE Academy",
                "  + 09:00      SSE Academy: at start",
                "mardi 2027-07-06",
                "  * jour 2/2   SSE Academy",
            ]
        )
        let empty = Agenda(
            config: try load(Self.timeline),
            now: utc("2027-08-01T00:00:00Z"),
            dayCount: 1,
            viewerZone: .utc,
            localizer: frenchForViews
        )
        #expect(
            empty.render(TextStyle(color: false)) == ["rien sur la chronologie du 2027-08-01 au 2027-08-01 (1 jour)"]
        )
    }

    @Test func theCalendarTakesMonthAndWeekdayNamesFromTheLocalizer() throws {
        let grid = CalendarGrid(
            config: try load(Self.timeline),
            months: [YearMonth(year: 2027, month: 7)!],
            now: utc("2027-07-01T00:00:00Z"),
            viewerZone: .utc,
            localizer: frenchForViews
        )
        let lines = grid.render(CalendarGrid.Layout(width: 80, style: TextStyle(color: false), weekNumbers: true))
        #expect(lines[0] == "     juillet 2027")
        #expect(lines[1] == "Sm lu ma me je ve sa di")
        #expect(
            lines.contains(
                "sa 2027-07-03  * toute la journée Journée internationale des coopératives (dans le monde entier)"
            )
        )
        #expect(YearMonth(year: 2027, month: 7)!.name() == "July 2027")
    }

    @Test func validateListsEachMilestoneMissingATranslationAtItsId() throws {
        var loader = ConfigLoader(zones: ZoneDatabase(), systemZone: .utc)
        loader.requiredLanguages = ["fr", "es"]
        let config = try loader.load([ConfigSource(name: "t.toml", text: Self.timeline)])
        #expect(
            config.warnings.map(\.description) == [
                "t.toml:5:6: warning: milestone[0].id = \"coop-day\": no translation in es: title_es, location_es "
                    + "missing; add them to the milestone, with source_es = the page they were taken from",
                "t.toml:14:6: warning: milestone[1].id = \"academy\": no translation in fr: title_fr, description_fr "
                    + "missing; add them to the milestone, with source_fr = the page they were taken from",
                "t.toml:14:6: warning: milestone[1].id = \"academy\": no translation in es: title_es, description_es "
                    + "missing; add them to the milestone, with source_es = the page they were taken from",
            ]
        )
        #expect(try load(Self.timeline).warnings.isEmpty)
    }

    @Test func anICalendarEventsTextsArePerLanguageTheUntaggedOneTheTitle() {
        let result = ICalendarImportTests.read(
            ICalendarImportTests.calendar(
                """
                BEGIN:VEVENT
                UID:ilc@example.org
                DTSTART;VALUE=DATE:20270607
                SUMMARY;LANGUAGE=fr-CH:Conférence internationale du Travail
                SUMMARY:International Labour Conference
                SUMMARY;LANGUAGE=es:Conferencia Internacional del Trabajo
                LOCATION;LANGUAGE=fr:Genève
                LOCATION;LANGUAGE=en-GB:Geneva
                DESCRIPTION;LANGUAGE=de:Jährlich
                END:VEVENT
                BEGIN:VEVENT
                UID:only-fr@example.org
                DTSTART;VALUE=DATE:20270608
                SUMMARY;LANGUAGE=fr:Journée
                END:VEVENT
                """
            )
        )
        #expect(result.diagnostics.isEmpty)
        let ilc = result.milestones[0]
        #expect(ilc.title == "International Labour Conference")
        #expect(ilc.location == "Geneva")
        #expect(ilc.description == "Jährlich")
        #expect(
            ilc.translations["fr"] == MilestoneTexts(title: "Conférence internationale du Travail", location: "Genève")
        )
        #expect(ilc.translations["es"] == MilestoneTexts(title: "Conferencia Internacional del Trabajo"))
        #expect(result.milestones[1].title == "Journée")
        #expect(result.milestones[1].translations["fr"]?.title == "Journée")
    }

    @Test func theExportWritesItsLanguageAndTheOthersOnlyWhenAsked() throws {
        let config = try load(Self.timeline)
        func texts(_ export: ICalendarExport) -> [String] {
            // Unfolded: a folded line goes on after CRLF and a space.
            String(decoding: export.bytes(), as: UTF8.self).replacing("\r\n ", with: "").split(separator: "\r\n")
                .map(String.init).filter {
                    $0.hasPrefix("SUMMARY") || $0.hasPrefix("LOCATION") || $0.hasPrefix("DESCRIPTION")
                }
        }
        let stamp = utc("2027-01-01T00:00:00Z")
        #expect(
            texts(ICalendarExport(config: config, dtstamp: stamp, localizer: frenchForViews)) == [
                "SUMMARY;LANGUAGE=fr:Journée internationale des coopératives",
                "LOCATION;LANGUAGE=fr:dans le monde entier",
                "DESCRIPTION:Journée internationale des coopératives (2 jours avant)",
                "SUMMARY;LANGUAGE=fr:SSE Academy",
                "DESCRIPTION;LANGUAGE=fr:Held in 2027.\\n\\nDate connue à l’année près : 2027.",
                "DESCRIPTION:SSE Academy (at start)",
            ]
        )
        let all = texts(ICalendarExport(config: config, dtstamp: stamp, localizer: frenchForViews, alternatives: true))
        #expect(
            all.prefix(4) == [
                "SUMMARY;LANGUAGE=fr:Journée internationale des coopératives",
                "LOCATION;LANGUAGE=fr:dans le monde entier",
                "SUMMARY;LANGUAGE=en:International Day of Cooperatives",
                "LOCATION;LANGUAGE=en:worldwide",
            ]
        )
        #expect(
            texts(ICalendarExport(config: config, dtstamp: stamp)).first == "SUMMARY:International Day of Cooperatives"
        )
    }
}
