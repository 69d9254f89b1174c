import Glibc
import Timeline

/// Wall-clock time, nanoseconds since the Unix epoch.
///
/// Unlike `ContinuousClock.Instant`, a `WallTime` means a calendar instant: it is what reminders are due at,
/// and it can jump when the system clock is stepped.
public struct WallTime: Comparable, Hashable, Sendable {
    /// Nanoseconds since 1970-01-01T00:00:00Z; negative before it.
    public var nanosecondsSinceEpoch: Int64

    /// The instant `nanosecondsSinceEpoch` nanoseconds after the epoch.
    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// The instant `seconds` (plus `nanoseconds`) after the epoch.
    public init(seconds: Int64, nanoseconds: Int64 = 0) {
        self.nanosecondsSinceEpoch = seconds * 1_000_000_000 + nanoseconds
    }

    /// The instant `microseconds` after the epoch: the unit of sd-event and of the journal.
    public init(microsecondsSinceEpoch microseconds: Int64) {
        self.init(nanosecondsSinceEpoch: microseconds * 1_000)
    }

    /// The whole second `instant` (a due instant of the timeline) as a wall time.
    public init(_ instant: Instant) {
        self.init(seconds: instant.secondsSinceEpoch)
    }

    /// The epoch itself.
    public static let epoch = WallTime(nanosecondsSinceEpoch: 0)

    /// Whole seconds since the epoch, rounded down (so -0.5 s is -1).
    public var seconds: Int64 {
        nanosecondsSinceEpoch >= 0
            ? nanosecondsSinceEpoch / 1_000_000_000
            : -((-nanosecondsSinceEpoch - 1) / 1_000_000_000) - 1
    }

    /// The nanoseconds past `seconds`, always in `0..<1_000_000_000`.
    public var nanosecondsOfSecond: Int64 {
        nanosecondsSinceEpoch - seconds * 1_000_000_000
    }

    /// Microseconds since the epoch, rounded down: the unit of the journal's `__REALTIME_TIMESTAMP`.
    public var microsecondsSinceEpoch: Int64 {
        seconds * 1_000_000 + nanosecondsOfSecond / 1_000
    }

    /// This instant as a `timespec`, for the system calls that take one.
    public var timespec: Glibc.timespec {
        Glibc.timespec(tv_sec: Int(seconds), tv_nsec: Int(nanosecondsOfSecond))
    }

    /// This instant moved by `duration` (negative moves it back).
    public func advanced(by duration: Duration) -> WallTime {
        let (seconds, attoseconds) = duration.components
        return WallTime(
            nanosecondsSinceEpoch: nanosecondsSinceEpoch + seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        )
    }

    /// The time from `self` to `other` (negative when `other` is earlier).
    public func duration(to other: WallTime) -> Duration {
        .nanoseconds(other.nanosecondsSinceEpoch - nanosecondsSinceEpoch)
    }

    public static func < (lhs: WallTime, rhs: WallTime) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }
}

extension WallTime: CustomStringConvertible {
    /// `seconds.nanoseconds` since the epoch, e.g. `1700000000.250000000`.
    public var description: String {
        let fraction = String(nanosecondsOfSecond)
        return "\(seconds)." + String(repeating: "0", count: 9 - fraction.count) + fraction
    }
}

extension Instant {
    /// The whole second that holds `wallTime` (rounded down, so -0.5 s is -1 s).
    public init(_ wallTime: WallTime) {
        self.init(secondsSinceEpoch: wallTime.seconds)
    }
}
