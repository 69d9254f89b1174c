extension VTimeZone {
    /// A VTIMEZONE as read from a file; observances whose DTSTART or offsets cannot be read are left out.
    init(component: ICalendarComponent) {
        var observances: [Observance] = []
        for sub in component.components where sub.name == "STANDARD" || sub.name == "DAYLIGHT" {
            guard let startValue = sub.property("DTSTART").flatMap({ ICalendarValue.time($0.value) }),
                let from = sub.property("TZOFFSETFROM").flatMap({ ICalendarValue.utcOffset($0.value) }),
                let to = sub.property("TZOFFSETTO").flatMap({ ICalendarValue.utcOffset($0.value) })
            else { continue }
            let start: CivilDateTime
            switch startValue {
            case .date(let date): start = CivilDateTime(date: date, secondOfDay: 0)
            case .local(let time), .utc(let time): start = time
            }
            let rule = sub.property("RRULE").flatMap { try? RecurrenceRule(parsing: $0.value) }
            var dates: [CivilDateTime] = []
            for rdate in sub.properties("RDATE") {
                for raw in rdate.value.split(separator: ",") {
                    switch ICalendarValue.time(String(raw)) {
                    case .local(let time)?, .utc(let time)?: dates.append(time)
                    case .date(let date)?: dates.append(CivilDateTime(date: date, secondOfDay: start.secondOfDay))
                    case nil: continue
                    }
                }
            }
            observances.append(
                Observance(
                    isDaylight: sub.name == "DAYLIGHT",
                    start: start,
                    offsetFrom: from,
                    offsetTo: to,
                    name: sub.property("TZNAME").map { ICalendarValue.text($0.value) },
                    rule: rule,
                    dates: dates
                )
            )
        }
        self.init(identifier: component.property("TZID")?.value ?? "", observances: observances)
    }

    /// Every onset up to `end`, ascending: the instant and the offset and name from then on.
    func onsets(through end: Instant) -> [(at: Int64, offset: Int, name: String?)] {
        var result: [(at: Int64, offset: Int, name: String?)] = []
        for observance in observances {
            let localEnd = CivilDateTime(secondsSinceEpoch: end.secondsSinceEpoch + Int64(observance.offsetFrom))
            var starts = [observance.start] + observance.dates.filter { $0 <= localEnd }
            if let rule = observance.rule {
                let untilLocal = rule.until?.localBound {
                    CivilDateTime(secondsSinceEpoch: $0.secondsSinceEpoch + Int64(observance.offsetFrom))
                }
                for onset in rule.occurrences(from: observance.start, untilLocal: untilLocal) {
                    if onset > localEnd || starts.count > 20_000 { break }
                    starts.append(onset)
                }
            }
            for start in Set(starts) where start <= localEnd {
                result.append(
                    (start.secondsSinceEpoch - Int64(observance.offsetFrom), observance.offsetTo, observance.name)
                )
            }
        }
        return result.sorted { $0.at < $1.at }
    }
}

/// Finds the system zone whose offsets a VTIMEZONE gives, for a TZID that is not a tz database name
/// (Outlook's `W. Europe Standard Time`, a custom name).
struct VTimeZoneMatcher {
    let zones: ZoneDatabase

    /// The first zone (by preference: the same abbreviations, then a region's zone, then by name) whose offset
    /// equals the VTIMEZONE's at every onset of either in `years`; nil when none does.
    func match(_ definition: VTimeZone, years: ClosedRange<Int>) -> Zone? {
        let start = Int64(daysSinceEpochOf(year: years.lowerBound, month: 1, day: 1)) * 86400
        let end = Int64(daysSinceEpochOf(year: years.upperBound + 1, month: 1, day: 1)) * 86400
        let onsets = definition.onsets(through: Instant(secondsSinceEpoch: end))
        guard !onsets.isEmpty else { return nil }
        let initial = definition.observances.first?.offsetFrom ?? onsets[0].offset
        func offset(at t: Int64) -> Int {
            var low = 0
            var high = onsets.count
            while low < high {
                let middle = (low + high) / 2
                if onsets[middle].at <= t { low = middle + 1 } else { high = middle }
            }
            return low == 0 ? initial : onsets[low - 1].offset
        }
        var samples = [start]
        for onset in onsets where onset.at > start && onset.at < end { samples += [onset.at - 1, onset.at] }
        let names = Set(definition.observances.compactMap(\.name))
        var best: (zone: Zone, score: Int)?
        for identifier in zones.knownIdentifiers() {
            guard let zone = try? zones.zone(identifier) else { continue }
            var points = samples
            var cursor = Instant(secondsSinceEpoch: start)
            while let next = zone.nextTransition(after: cursor), next.secondsSinceEpoch < end, points.count < 100_000 {
                points += [next.secondsSinceEpoch - 1, next.secondsSinceEpoch]
                cursor = next
            }
            guard points.allSatisfy({ zone.offset(at: Instant(secondsSinceEpoch: $0)).seconds == offset(at: $0) })
            else { continue }
            let abbreviations = Set(points.map { zone.offset(at: Instant(secondsSinceEpoch: $0)).abbreviation })
            let regions = [
                "Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific",
            ]
            var score = names.isEmpty ? 0 : abbreviations.intersection(names).count * 10
            if regions.contains(where: { identifier.hasPrefix($0 + "/") }) { score += 5 }
            // A TZID that names the city (`custom_America/New_York`, `(UTC+01:00) Paris`) picks it.
            let city = identifier.split(separator: "/").last.map { $0.replacing("_", with: " ").lowercased() } ?? ""
            if !city.isEmpty, definition.identifier.replacing("_", with: " ").lowercased().contains(city) {
                score += 20
            }
            if best == nil || score > best!.score { best = (zone, score) }
        }
        return best?.zone
    }
}
