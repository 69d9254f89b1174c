extension RecurrenceRule {
    /// The rule as RFC 5545 section 3.3.10 reads it beside a start that is a date (an all-day milestone):
    /// BYHOUR, BYMINUTE and BYSECOND "MUST be ignored", and UNTIL is a date too, a UTC one taken as its
    /// date in `zone`.
    ///
    /// Both the TOML decoder and the iCalendar importer read all-day rules through this, so the same rule
    /// gives the same dates from either. `warning` says which parts were dropped; nil when none were.
    func readBesideDateStart(in zone: Zone) -> (rule: RecurrenceRule, warning: (message: String, hint: String)?) {
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
            (
                "\(dropped.joined(separator: ";")) ignored: the start is a date, and RFC 5545 section 3.3.10 ignores"
                    + " BYHOUR, BYMINUTE and BYSECOND then",
                "give the start a time of day to repeat at several times a day"
            )
        )
    }
}
