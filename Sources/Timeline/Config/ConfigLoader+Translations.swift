/// `validate --languages`: which milestones lack a text in a language their readers need.
extension ConfigLoader {
    /// The keys `milestone` lacks in `language`: `title_fr` always, `description_fr` and `location_fr` when it
    /// has a description or a location to translate.
    public static func missingTranslations(of milestone: Milestone, in language: String) -> [String] {
        let texts = milestone.translations[language] ?? MilestoneTexts()
        var missing: [String] = []
        if texts.title == nil { missing.append("title_\(language)") }
        if milestone.description != nil, texts.description == nil { missing.append("description_\(language)") }
        if milestone.location != nil, texts.location == nil { missing.append("location_\(language)") }
        return missing
    }

    /// One warning per language of `requiredLanguages` that `milestone` (at `path` of file `source`) lacks
    /// texts in, located at its `id`.
    func checkTranslations(_ milestone: Milestone, source: Int, path: String, context: inout DecodeContext) {
        for language in requiredLanguages {
            let missing = Self.missingTranslations(of: milestone, in: language)
            guard !missing.isEmpty else { continue }
            context.warning(
                source,
                "\(path).id",
                value: milestone.id,
                .tr("no translation in %s: %s missing", language, missing.joined(separator: ", ")),
                hint: .tr("add them to the milestone, with %s = the page they were taken from", "source_\(language)")
            )
        }
    }
}
