extension RecurrenceRule {
    /// The rule as RFC 5545 section 3.3.10 reads it beside a start that is a date (an all-day milestone):
    /// BYHOUR, BYMINUTE and BYSECOND "MUST be ignored", and UNTIL is a date too, a UTC one taken as its
    /// date in `zone`.
    ///
    /// Both the TOML decoder and the iCalendar importer read all-day rules through this, so the same rule
    /// gives the same dates from either. `warning` says which parts were dropped; nil when none were.
    func readBesideDateStart(in zone: Zone) -> (rule: RecurrenceRule, warning: DateStartWarning?) {
        var rule = self
        if case .utc(let until)? = until {
            rule.until = .date(zone.localTime(at: Instant(secondsSinceEpoch: until.secondsSinceEpoch)).date)
        }
        var dropped: [String] = []
        func drop(_ name: String, _ values: inout [Int]) {
            guard !values.isEmpty else { return }
            dropped.append("\(name)=" + values.map(String.init).joined(separator: ","))
            values = []
        }
        drop("BYHOUR", &rule.byHour)
        drop("BYMINUTE", &rule.byMinute)
        drop("BYSECOND", &rule.bySecond)
        guard !dropped.isEmpty else { return (rule, nil) }
        return (
            rule,
            DateStartWarning(
                text: .tr(
                    "%s ignored: the start is a date, and RFC 5545 section 3.3.10 ignores %s then",
                    dropped.joined(separator: ";"),
                    "BYHOUR, BYMINUTE and BYSECOND"
                ),
                hintText: .tr("give the start a time of day to repeat at several times a day")
            )
        )
    }

    /// What ``readBesideDateStart(in:)`` dropped, and what to do instead.
    struct DateStartWarning {
        /// The parts ignored, in any language.
        var text: LocalizedText
        /// What to do instead, in any language.
        var hintText: LocalizedText
        /// ``text`` in English.
        var message: String { text.description }
        /// ``hintText`` in English.
        var hint: String { hintText.description }
    }
}
