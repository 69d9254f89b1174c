import Testing

@testable import Timeline

/// A catalog as gettext would read one, with French's plural rule (one for 0 and 1).
private let french = Localizer(
    singular: { ["%s before": "%s avant", "at start": "au début", "in %s": "dans %s"][$0] ?? $0 },
    plural: { one, other, n in
        let forms = ["%d day": ("%d jour", "%d jours"), "%d hour": ("%d heure", "%d heures")][one]
        guard let forms else { return n == 1 ? one : other }
        return n > 1 ? forms.1 : forms.0
    }
)

@Suite("Localizer")
struct LocalizerTests {
    @Test(arguments: [
        ("%s starts in %s", ["A", "10 minutes"], "A starts in 10 minutes"),
        ("%2$s, %1$s", ["first", "second"], "second, first"),
        ("100%% of %s", ["it"], "100% of it"),
        ("no placeholder", ["ignored"], "no placeholder"),
        ("%s and %s", ["only one"], "only one and "),
        ("%x stays", [], "%x stays"),
    ])
    func formatFillsPlaceholdersInOrderAndByPosition(template: String, arguments: [String], expected: String) {
        #expect(Localizer.format(template, arguments) == expected)
    }

    @Test(arguments: [(0, "0 days"), (1, "1 day"), (2, "2 days"), (21, "21 days")])
    func englishPluralIsOneAndOther(count: Int, expected: String) {
        #expect(Localizer.english.trn("%d day", "%d days", count) == expected)
    }

    @Test(arguments: [(0, "0 jour avant"), (1, "1 jour avant"), (2, "2 jours avant"), (21, "21 jours avant")])
    func offsetsTakeTheLanguagesPluralRule(days: Int, expected: String) {
        let offset = ReminderOffset(days: -days)
        // Zero days is the anchor itself: "at start", in the language too.
        #expect(offset.text(french) == (days == 0 ? "au début" : expected))
        #expect(ReminderOffset(days: -days, seconds: -3600).text(french).hasSuffix("1 heure avant"))
    }

    @Test func englishOffsetTextIsTheCanonicalDescription() {
        for text in ["at start", "at end", "30 days before", "1 day 2 hours after end", "3 working days before"] {
            let offset = ReminderOffset(parsing: text)!
            #expect(offset.text(.english) == text)
            #expect(offset.description == text)
        }
    }

    @Test func relativeTimesAreTranslated() {
        #expect(ReminderMath.relative(3 * 86400, french) == "dans 3 jours")
        #expect(ReminderMath.relative(3 * 86400) == "in 3 days")
    }
}
