import Daemon

/// A wall clock that tests move by hand: it reads `time`, which changes only when the test sets it (forward, or
/// back as settimeofday would).
public final class ManualClock: WallClock {
    /// What the clock reads.
    public var time: WallTime

    /// A clock that reads `now` until set.
    public init(now: WallTime) {
        time = now
    }

    public func now() -> WallTime { time }
}
