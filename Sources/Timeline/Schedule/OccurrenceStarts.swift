/// The local start times of a milestone's occurrences, ascending, generated lazily.
///
/// A one-off milestone has one; a recurring one has its start (RFC 5545: DTSTART always counts as the
/// first occurrence), the rule's occurrences and its RDATEs, minus its EXDATEs.
public struct OccurrenceStarts: Sequence, Sendable {
    let milestone: Milestone

    /// The occurrences of `milestone`.
    public init(_ milestone: Milestone) { self.milestone = milestone }

    public func makeIterator() -> Iterator {
        guard let recurrence = milestone.recurrence else { return Iterator(single: milestone.start) }
        let set = RecurrenceSet(
            start: milestone.start,
            rule: recurrence.rule,
            untilLocal: recurrence.untilLocal,
            dates: recurrence.rdates + [milestone.start],
            exceptions: recurrence.exdates
        )
        return Iterator(set: set.makeIterator())
    }

    /// Yields occurrence starts in ascending order.
    public struct Iterator: IteratorProtocol, Sendable {
        private var single: CivilDateTime?
        private var set: RecurrenceSet.Iterator?

        init(single: CivilDateTime) { self.single = single }
        init(set: RecurrenceSet.Iterator) { self.set = set }

        /// Skips the starts before `time` without generating them.
        public mutating func seek(to time: CivilDateTime) {
            if let value = single, value < time { single = nil }
            set?.seek(to: time)
        }

        public mutating func next() -> CivilDateTime? {
            if let value = single {
                single = nil
                return value
            }
            return set?.next()
        }
    }
}
