import Glibc

/// Where the scheduler reads the wall-clock time: the one clock seam of the daemon.
///
/// The scheduler never waits on a clock: whoever drives it (the sd-event loop, `replay`, a test) tells it when it
/// is time to act. It reads this clock only to stamp what it writes (`LATENESS_USEC`) and to know "now" at start
/// and reload. `SystemClock` in the daemon, `ReplayClock` in `replay`, `ManualClock` (DaemonTesting) in tests.
public protocol WallClock: AnyObject {
    /// The current wall-clock time.
    func now() -> WallTime
}

/// The system's wall clock, `CLOCK_REALTIME`.
public final class SystemClock: WallClock {
    /// The system clock.
    public init() {}

    public func now() -> WallTime {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return WallTime(seconds: Int64(time.tv_sec), nanoseconds: Int64(time.tv_nsec))
    }
}

/// The wall clock of `replay`: virtual time that stands still until the replay moves it to the next deadline.
public final class ReplayClock: WallClock {
    private var time: WallTime

    /// A clock that reads `now` until moved.
    public init(now: WallTime) {
        time = now
    }

    public func now() -> WallTime {
        time
    }

    /// Moves the clock to `time`; it never goes back.
    public func move(to time: WallTime) {
        self.time = max(self.time, time)
    }
}
