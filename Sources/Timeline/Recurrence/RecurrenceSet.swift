/// The dates an event happens on: a rule's occurrences plus extra dates (RDATE), minus exceptions
/// (EXDATE), ascending and without repeats, generated lazily.
///
/// As in python-dateutil's `rruleset`, DTSTART is not added by itself: it is what the rule is expanded
/// from, and an occurrence only when the rule produces it. Add it to ``dates`` to always include it, as
/// RFC 5545 counts DTSTART as the first instance.
public struct RecurrenceSet: Sequence, Sendable {
    /// DTSTART, from which ``rule`` is expanded.
    public let start: CivilDateTime
    /// The rule, if any.
    public let rule: RecurrenceRule?
    /// The rule's inclusive end in local civil time (see ``RecurrenceRule/occurrences(from:untilLocal:)``).
    public let untilLocal: CivilDateTime?
    /// The extra dates (RDATE), ascending and without repeats.
    public let dates: [CivilDateTime]
    /// The excluded dates (EXDATE); they win over both the rule and ``dates``.
    public let exceptions: Set<CivilDateTime>

    /// A set expanding `rule` from `start` up to `untilLocal`, with `dates` added and `exceptions` removed.
    ///
    /// - Parameter untilLocal: the rule's `UNTIL` converted to local time, or nil when it has none; see
    ///   ``RecurrenceRule/Until/localBound(localTimeForUTC:)``.
    public init(
        start: CivilDateTime,
        rule: RecurrenceRule? = nil,
        untilLocal: CivilDateTime? = nil,
        dates: [CivilDateTime] = [],
        exceptions: [CivilDateTime] = []
    ) {
        self.start = start
        self.rule = rule
        self.untilLocal = untilLocal
        self.dates = Array(Set(dates)).sorted()
        self.exceptions = Set(exceptions)
    }

    /// An iterator from the earliest date.
    public func makeIterator() -> Iterator {
        Iterator(ruleDates: rule?.occurrences(from: start, untilLocal: untilLocal).makeIterator(), set: self)
    }

    /// The first date at or after `time`, or nil when there is none.
    public func first(onOrAfter time: CivilDateTime) -> CivilDateTime? {
        var iterator = makeIterator()
        iterator.seek(to: time)
        return iterator.next()
    }

    /// The first date strictly after `time`, or nil when there is none.
    public func first(after time: CivilDateTime) -> CivilDateTime? {
        var iterator = makeIterator()
        iterator.seek(to: time)
        while let date = iterator.next() {
            if date > time { return date }
        }
        return nil
    }

    /// Merges the rule's occurrences with the extra dates.
    public struct Iterator: IteratorProtocol, Sendable {
        private var ruleDates: RecurrenceRule.OccurrenceIterator?
        private var nextRuleDate: CivilDateTime?
        private let dates: [CivilDateTime]
        private var dateIndex = 0
        private let exceptions: Set<CivilDateTime>
        private var last: CivilDateTime?

        init(ruleDates: RecurrenceRule.OccurrenceIterator?, set: RecurrenceSet) {
            self.ruleDates = ruleDates
            self.nextRuleDate = self.ruleDates?.next()
            self.dates = set.dates
            self.exceptions = set.exceptions
        }

        /// Skips the dates before `time`, so that ``next()`` returns the first at or after it; the rule
        /// seeks without producing what it skips (see ``RecurrenceRule/OccurrenceIterator/seek(to:)``).
        public mutating func seek(to time: CivilDateTime) {
            if let ruleDate = nextRuleDate, ruleDate < time {
                ruleDates?.seek(to: time)
                nextRuleDate = ruleDates?.next()
            }
            while dateIndex < dates.count, dates[dateIndex] < time { dateIndex += 1 }
        }

        /// The next date, or nil when both the rule and the extra dates are exhausted.
        public mutating func next() -> CivilDateTime? {
            while true {
                let extra = dateIndex < dates.count ? dates[dateIndex] : nil
                let candidate: CivilDateTime
                if let ruleDate = nextRuleDate, extra.map({ ruleDate <= $0 }) ?? true {
                    candidate = ruleDate
                    nextRuleDate = ruleDates?.next()
                    if extra == ruleDate { dateIndex += 1 }
                } else if let extra {
                    candidate = extra
                    dateIndex += 1
                } else {
                    return nil
                }
                guard candidate != last else { continue }
                last = candidate
                if !exceptions.contains(candidate) { return candidate }
            }
        }
    }
}
