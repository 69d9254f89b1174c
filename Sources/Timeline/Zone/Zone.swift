/// A time zone: the rules that map instants to wall-clock time in one place ("Europe/Paris"), read from the
/// system's tzdata (see ``ZoneDatabase``), or a fixed offset from UTC.
///
/// Lookups are a binary search over the zone's transitions; after the last one, the POSIX TZ rule from the TZif
/// footer computes daylight-saving switches year by year, so dates far in the future keep following the rule.
/// Copies share one immutable storage.
public struct Zone: Sendable, Hashable, CustomStringConvertible {
    /// The tz database identifier (`Europe/Paris`, `UTC`), `+01:00` for a fixed offset, `localtime` for an
    /// unnamed system zone, or the TZ string for a zone given as a POSIX rule.
    public let identifier: String
    let storage: Storage

    /// Coordinated Universal Time.
    public static let utc = Zone(
        identifier: "UTC",
        storage: Storage(fixed: ZoneOffset(seconds: 0, abbreviation: "UTC"))
    )

    /// The largest offset from UTC a zone may have, in seconds: 25:59:59, as RFC 8536 allows.
    public static let maximumOffsetSeconds = 93599

    init(identifier: String, storage: Storage) {
        self.identifier = identifier
        self.storage = storage
    }

    /// A zone that is always `offsetSeconds` east of UTC, for date-times written with an explicit offset.
    ///
    /// The identifier and abbreviation are the offset in ISO 8601 form (`+01:00`, `-05:30`, `+05:45:30`);
    /// `fixed(offsetSeconds: 0)` is ``utc``. Offsets beyond ±``maximumOffsetSeconds`` are clamped to it.
    public static func fixed(offsetSeconds: Int) -> Zone {
        let seconds = min(max(offsetSeconds, -maximumOffsetSeconds), maximumOffsetSeconds)
        if seconds == 0 { return .utc }
        let magnitude = abs(seconds)
        var name = (seconds < 0 ? "-" : "+") + pad(magnitude / 3600, 2) + ":" + pad(magnitude / 60 % 60, 2)
        if magnitude % 60 != 0 { name += ":" + pad(magnitude % 60, 2) }
        return Zone(identifier: name, storage: Storage(fixed: ZoneOffset(seconds: seconds, abbreviation: name)))
    }

    /// A zone given by a POSIX TZ string (`CET-1CEST,M3.5.0,M10.5.0/3`), as the `TZ` variable may hold.
    public init(identifier: String, posixTZ: String) throws(ZoneError) {
        let rule = try PosixTimeZoneRule(posixTZ, identifier: identifier)
        self.init(identifier: identifier, storage: Storage(rule: rule))
    }

    /// The identifier.
    public var description: String { identifier }

    /// Whether the zone's offset never changes (UTC, a fixed offset, or a single-type zone without a rule).
    public var isFixed: Bool { storage.fixedOffset != nil }

    /// The offset from UTC, abbreviation and daylight-saving flag in effect at `instant`.
    public func offset(at instant: Instant) -> ZoneOffset {
        storage.offset(at: instant.secondsSinceEpoch)
    }

    /// The wall-clock time in this zone at `instant`.
    public func localTime(at instant: Instant) -> CivilDateTime {
        let local = saturating(instant.secondsSinceEpoch, plus: offset(at: instant).seconds)
        // CivilDateTime's floor division overflows within a day of Int64.min.
        return CivilDateTime(secondsSinceEpoch: max(local, Int64.min + 86400))
    }

    /// The first instant after `instant` at which the offset (seconds, abbreviation or DST flag) changes, or nil
    /// if it never changes again. A daemon can sleep until then and re-evaluate wall-clock schedules.
    public func nextTransition(after instant: Instant) -> Instant? {
        storage.nextTransition(after: instant.secondsSinceEpoch).map(Instant.init(secondsSinceEpoch:))
    }

    /// The instant(s) at which the wall clock in this zone shows `local`.
    ///
    /// A local time skipped by a forward jump is a ``LocalTimeResolution/gap(_:skippedSeconds:)`` whose instant
    /// uses the offset before the gap (RFC 5545 §3.3.5): 02:30 on the spring-forward night in Europe/Paris is read
    /// as 02:30 CET, which the clock shows as 03:30 CEST. A local time repeated by a backward jump is an
    /// ``LocalTimeResolution/overlap(first:second:)``.
    public func resolve(_ local: CivilDateTime) -> LocalTimeResolution {
        let wall = local.secondsSinceEpoch
        if let fixed = storage.fixedOffset {
            return .unique(Instant(secondsSinceEpoch: saturating(wall, plus: -fixed.seconds)))
        }
        // Any instant showing `wall` lies within the largest offset of it: walk the offset segments there.
        let windowEnd = saturating(wall, plus: Zone.maximumOffsetSeconds + 1)
        var segmentStart = Int64.min
        var probe = saturating(wall, plus: -Zone.maximumOffsetSeconds - 1)
        var current = storage.offset(at: probe)
        var found: [Int64] = []
        var gap: (instant: Int64, skipped: Int)?
        while true {
            let next = storage.nextTransition(after: probe)
            let candidate = saturating(wall, plus: -current.seconds)
            if candidate >= segmentStart, next.map({ candidate < $0 }) ?? true {
                found.append(candidate)
            }
            guard let next, next <= windowEnd else { break }
            let following = storage.offset(at: next)
            // The wall clock jumps from next + current to next + following: `wall` is skipped if in between.
            if gap == nil, saturating(next, plus: current.seconds) <= wall,
                wall < saturating(next, plus: following.seconds)
            {
                gap = (candidate, following.seconds - current.seconds)
            }
            segmentStart = next
            probe = next
            current = following
        }
        switch found.count {
        case 0:
            if let gap {
                return .gap(Instant(secondsSinceEpoch: gap.instant), skippedSeconds: gap.skipped)
            }
            // Unreachable for consistent data; answer something sensible rather than trap.
            return .unique(Instant(secondsSinceEpoch: saturating(wall, plus: -offset(at: local.asUTC).seconds)))
        case 1:
            return .unique(Instant(secondsSinceEpoch: found[0]))
        default:
            return .overlap(first: Instant(secondsSinceEpoch: found[0]), second: Instant(secondsSinceEpoch: found[1]))
        }
    }

    /// The instant for `local` by the RFC 5545 rule: a skipped time moves forward by the gap, a repeated time takes
    /// its first occurrence.
    public func instant(for local: CivilDateTime) -> Instant {
        resolve(local).instant
    }

    public static func == (lhs: Zone, rhs: Zone) -> Bool {
        lhs.identifier == rhs.identifier && (lhs.storage === rhs.storage || lhs.storage == rhs.storage)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(identifier)
    }
}

/// The offset from UTC in effect at some instant in some zone, with its abbreviation.
public struct ZoneOffset: Sendable, Hashable, CustomStringConvertible {
    /// Seconds east of UTC (Paris in winter: 3600; New York in winter: -18000).
    public let seconds: Int
    /// The abbreviation, e.g. `CET`, `EDT`, `+1030` (numeric where the tz database has no letters).
    public let abbreviation: String
    /// Whether this is daylight-saving time.
    public let isDST: Bool

    /// An offset `seconds` east of UTC.
    public init(seconds: Int, abbreviation: String, isDST: Bool = false) {
        self.seconds = seconds
        self.abbreviation = abbreviation
        self.isDST = isDST
    }

    /// ISO 8601 offset: `+01:00`, `-04:00`, `+05:45`, with `:ss` when not whole minutes.
    public var iso8601: String {
        let magnitude = abs(seconds)
        let hhmm = (seconds < 0 ? "-" : "+") + pad(magnitude / 3600, 2) + ":" + pad(magnitude / 60 % 60, 2)
        return magnitude % 60 == 0 ? hhmm : hhmm + ":" + pad(magnitude % 60, 2)
    }

    /// `+01:00 CET`, with ` DST` appended during daylight saving.
    public var description: String {
        "\(iso8601) \(abbreviation)" + (isDST ? " DST" : "")
    }
}

/// How a wall-clock time maps to instants in a zone.
public enum LocalTimeResolution: Sendable, Hashable {
    /// The wall clock shows this time exactly once.
    case unique(Instant)
    /// The wall clock skips this time (a forward jump of `skippedSeconds`). The instant reads the time with the
    /// offset in effect before the gap, as RFC 5545 says: the clock then shows the time plus `skippedSeconds`.
    case gap(Instant, skippedSeconds: Int)
    /// The wall clock shows this time twice (a backward jump); RFC 5545 takes `first`.
    case overlap(first: Instant, second: Instant)

    /// The instant RFC 5545 picks: the only one, the one after moving forward over the gap, or the first.
    public var instant: Instant {
        switch self {
        case .unique(let instant), .gap(let instant, _), .overlap(let instant, _): instant
        }
    }
}

extension Zone {
    /// A zone's immutable data, shared by copies: transitions, the offsets they switch to, and the footer rule.
    final class Storage: Sendable, Hashable {
        /// Transition instants, strictly ascending.
        let transitionTimes: [Int64]
        /// For each transition, the index in `offsets` it switches to.
        let transitionOffsetIndices: [UInt8]
        /// The local time types; `offsets[0]` applies before the first transition.
        let offsets: [ZoneOffset]
        /// Local time from the last transition on (or always, without transitions); nil: the last offset stays.
        let rule: PosixTimeZoneRule?
        /// The offset when it never changes, to skip the searches.
        let fixedOffset: ZoneOffset?

        init(
            transitionTimes: [Int64],
            transitionOffsetIndices: [UInt8],
            offsets: [ZoneOffset],
            rule: PosixTimeZoneRule?
        ) {
            precondition(!offsets.isEmpty && transitionTimes.count == transitionOffsetIndices.count)
            self.transitionTimes = transitionTimes
            self.transitionOffsetIndices = transitionOffsetIndices
            self.offsets = offsets
            self.rule = rule
            if transitionTimes.isEmpty {
                if let rule {
                    fixedOffset = rule.daylight == nil ? rule.standard : nil
                } else {
                    fixedOffset = offsets[0]
                }
            } else {
                fixedOffset = nil
            }
        }

        convenience init(fixed offset: ZoneOffset) {
            self.init(transitionTimes: [], transitionOffsetIndices: [], offsets: [offset], rule: nil)
        }

        convenience init(rule: PosixTimeZoneRule) {
            self.init(transitionTimes: [], transitionOffsetIndices: [], offsets: [rule.standard], rule: rule)
        }

        func offset(at t: Int64) -> ZoneOffset {
            if let fixedOffset { return fixedOffset }
            guard let index = lastTransitionIndex(atOrBefore: t) else {
                // Before the first transition: time type 0 (RFC 8536), or the rule when there are no transitions.
                if transitionTimes.isEmpty, let rule { return rule.offset(at: Instant(secondsSinceEpoch: t)) }
                return offsets[0]
            }
            if index == transitionTimes.count - 1, let rule {
                return rule.offset(at: Instant(secondsSinceEpoch: t))
            }
            return offsets[Int(transitionOffsetIndices[index])]
        }

        func nextTransition(after t: Int64) -> Int64? {
            if fixedOffset != nil { return nil }
            var index = (lastTransitionIndex(atOrBefore: t) ?? -1) + 1
            while index < transitionTimes.count {
                let before = index == 0 ? offsets[0] : offsets[Int(transitionOffsetIndices[index - 1])]
                if offsets[Int(transitionOffsetIndices[index])] != before { return transitionTimes[index] }
                index += 1
            }
            guard let rule else { return nil }
            let from = max(t, transitionTimes.last ?? Int64.min)
            return rule.nextTransition(after: Instant(secondsSinceEpoch: from))?.secondsSinceEpoch
        }

        /// The index of the last transition at or before `t`, by binary search.
        private func lastTransitionIndex(atOrBefore t: Int64) -> Int? {
            var low = 0
            var high = transitionTimes.count
            while low < high {
                let middle = (low + high) / 2
                if transitionTimes[middle] <= t { low = middle + 1 } else { high = middle }
            }
            return low == 0 ? nil : low - 1
        }

        static func == (lhs: Storage, rhs: Storage) -> Bool {
            lhs.transitionTimes == rhs.transitionTimes && lhs.transitionOffsetIndices == rhs.transitionOffsetIndices
                && lhs.offsets == rhs.offsets && lhs.rule == rhs.rule
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(transitionTimes.count)
            hasher.combine(offsets)
        }
    }
}

extension CivilDateTime {
    /// The instant whose UTC time reads like this wall-clock time.
    fileprivate var asUTC: Instant { Instant(secondsSinceEpoch: secondsSinceEpoch) }
}

/// `a + b`, pinned to the Int64 range instead of trapping (instants near the ends of time stay ordered).
func saturating(_ a: Int64, plus b: Int) -> Int64 {
    let (sum, overflow) = a.addingReportingOverflow(Int64(b))
    if !overflow { return sum }
    return b > 0 ? Int64.max : Int64.min
}
