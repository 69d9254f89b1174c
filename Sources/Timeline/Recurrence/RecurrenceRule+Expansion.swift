extension RecurrenceRule {
    /// The rule's occurrences from `start` (DTSTART), in floating local time, ascending and lazily.
    ///
    /// The semantics are RFC 5545 section 3.8.5.3 with python-dateutil's conventions where the RFC is
    /// loose:
    /// - `start` is not an occurrence unless it matches the rule; nothing before it is produced, and
    ///   `COUNT` counts only what is produced.
    /// - Missing parts come from `start`: `YEARLY` without `BYWEEKNO`, `BYYEARDAY`, `BYMONTHDAY` or
    ///   `BYDAY` uses `start`'s day of the month (and month, without `BYMONTH`); `MONTHLY` its day of
    ///   the month; `WEEKLY` its weekday; hour, minute and second default to `start`'s.
    /// - Dates that do not exist (30 February, the 31st of a 30-day month) are skipped, not moved.
    /// - `BYDAY` ordinals count within the month for `MONTHLY` and for `YEARLY` with `BYMONTH`, within
    ///   the year otherwise; with `WEEKLY` or `DAILY` they are ignored (only a hand-built rule has them).
    /// - `BYSETPOS` picks from each whole period (year, month, week from `WKST`, or day).
    /// - Week numbers follow ISO 8601 with weeks starting on `WKST`; a `YEARLY` period is the calendar
    ///   year, so it includes days of that year that fall in week 1 of the next or the last week of the
    ///   previous.
    ///
    /// Iteration ends with `COUNT`, after `untilLocal`, or after 9999-12-31. Periods that cannot match
    /// (months outside `BYMONTH`) are skipped without looking at their days, and nothing beyond the
    /// current period is ever held, so an endless rule or `COUNT=1000000000` costs only what is read.
    /// A rule that ``neverOccursReason(from:untilLocal:)`` shows never occurs ends at once; one that
    /// never matches some other way ends after one 400-year calendar cycle of periods without a candidate,
    /// since the calendar repeats after that. ``OccurrenceIterator/seek(to:)`` starts
    /// later without producing what comes before.
    ///
    /// - Parameters:
    ///   - start: DTSTART; use 00:00 for all-day events.
    ///   - untilLocal: the inclusive end as local civil time. This is the only end-date the expander
    ///     uses: pass ``until`` converted with ``Until/localBound(localTimeForUTC:)``, or nil when the rule
    ///     has no `UNTIL`.
    public func occurrences(from start: CivilDateTime, untilLocal: CivilDateTime?) -> Occurrences {
        Occurrences(plan: RecurrenceExpansionPlan(rule: self, start: start, untilLocal: untilLocal))
    }

    /// The rule's occurrences from `start`, with its ``until`` converted to local time; a UTC `UNTIL` goes
    /// through `localTimeForUTC`. See ``occurrences(from:untilLocal:)``.
    public func occurrences(
        from start: CivilDateTime,
        localTimeForUTC: (CivilDateTime) -> CivilDateTime
    ) -> Occurrences {
        occurrences(from: start, untilLocal: until?.localBound(localTimeForUTC: localTimeForUTC))
    }

    /// The lazily generated occurrences of a rule from one DTSTART.
    public struct Occurrences: Sequence, Sendable {
        let plan: RecurrenceExpansionPlan

        /// An iterator starting from DTSTART.
        public func makeIterator() -> OccurrenceIterator { OccurrenceIterator(plan: plan) }

        /// The first occurrence at or after `time`, or nil when there is none.
        public func first(onOrAfter time: CivilDateTime) -> CivilDateTime? {
            var iterator = makeIterator()
            iterator.seek(to: time)
            return iterator.next()
        }
    }
}
