/// A VTIMEZONE component (RFC 5545 section 3.6.5): a TZID and its STANDARD and DAYLIGHT observances, each
/// an onset in local time with the offsets before and after, repeated by an RRULE or RDATEs.
///
/// The export builds one from a ``Zone`` (``init(zone:identifier:years:)``); the import reads one from a
/// file and matches it against the system's zones by the offsets it gives (``offset(at:)``).
public struct VTimeZone: Sendable, Hashable {
    /// One STANDARD or DAYLIGHT sub-component.
    public struct Observance: Sendable, Hashable {
        /// `STANDARD` or `DAYLIGHT`.
        public var isDaylight: Bool
        /// DTSTART: the first onset, in the local time in effect before it (``offsetFrom``).
        public var start: CivilDateTime
        /// TZOFFSETFROM, seconds east of UTC.
        public var offsetFrom: Int
        /// TZOFFSETTO, seconds east of UTC.
        public var offsetTo: Int
        /// TZNAME, if any.
        public var name: String?
        /// RRULE, if the onset repeats by rule.
        public var rule: RecurrenceRule?
        /// RDATE: further onsets, in the same local time as ``start``.
        public var dates: [CivilDateTime] = []

        /// The onsets as instants, ascending, that are at or before `instant`; the last of them (the only one
        /// kept) is the latest onset of this observance not after `instant`.
        func latestOnset(atOrBefore instant: Instant) -> Int64? {
            let localBound = CivilDateTime(secondsSinceEpoch: instant.secondsSinceEpoch + Int64(offsetFrom))
            guard start <= localBound else { return nil }
            var latest = start
            if let rule {
                // UNTIL in an observance is UTC (RFC 5545): compare in local time of offsetFrom.
                let untilLocal = rule.until?.localBound {
                    CivilDateTime(secondsSinceEpoch: $0.secondsSinceEpoch + Int64(offsetFrom))
                }
                var iterator = rule.occurrences(from: start, untilLocal: untilLocal).makeIterator()
                // Seek a little before the bound: yearly rules have one onset a year.
                iterator.seek(to: CivilDateTime(secondsSinceEpoch: localBound.secondsSinceEpoch - 400 * 86400))
                while let onset = iterator.next(), onset <= localBound { latest = max(latest, onset) }
            }
            for date in dates where date <= localBound { latest = max(latest, date) }
            return latest.secondsSinceEpoch - Int64(offsetFrom)
        }
    }

    /// TZID.
    public var identifier: String
    /// The observances, in the order written.
    public var observances: [Observance]

    /// A VTIMEZONE from its parts.
    public init(identifier: String, observances: [Observance]) {
        self.identifier = identifier
        self.observances = observances
    }

    /// The offset (seconds east of UTC) and name in effect at `instant`: those of the observance with the
    /// latest onset at or before it; before every onset, the first observance's TZOFFSETFROM.
    public func offset(at instant: Instant) -> (seconds: Int, name: String?) {
        var best: (onset: Int64, observance: Observance)?
        for observance in observances {
            guard let onset = observance.latestOnset(atOrBefore: instant) else { continue }
            if best == nil || onset > best!.onset { best = (onset, observance) }
        }
        if let best { return (best.observance.offsetTo, best.observance.name) }
        let earliest = observances.min {
            $0.start.secondsSinceEpoch - Int64($0.offsetFrom) < $1.start.secondsSinceEpoch - Int64($1.offsetFrom)
        }
        return (earliest?.offsetFrom ?? 0, nil)
    }

    /// Writes the component.
    public func write(to writer: inout ICalendarWriter) {
        writer.begin("VTIMEZONE")
        writer.line("TZID", value: identifier)
        for observance in observances {
            let kind = observance.isDaylight ? "DAYLIGHT" : "STANDARD"
            writer.begin(kind)
            writer.line("DTSTART", value: ICalendarFormat.local(observance.start))
            if let rule = observance.rule { writer.line("RRULE", value: rule.rfcString) }
            if !observance.dates.isEmpty {
                writer.line("RDATE", value: observance.dates.map(ICalendarFormat.local).joined(separator: ","))
            }
            writer.line("TZOFFSETFROM", value: ICalendarFormat.offset(observance.offsetFrom))
            writer.line("TZOFFSETTO", value: ICalendarFormat.offset(observance.offsetTo))
            if let name = observance.name { writer.line("TZNAME", value: ICalendarWriter.text(name)) }
            writer.end(kind)
        }
        writer.end("VTIMEZONE")
    }
}
