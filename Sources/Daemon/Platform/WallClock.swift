/// The daemon's source of wall-clock time, and the way it waits for it.
///
/// Everything in the daemon that waits goes through this seam: `SystemWallClock` in production,
/// `ManualWallClock` in tests, `VirtualWallClock` to replay a period as fast as possible.
///
/// A clock serves one sleeper at a time (the scheduler's loop).
protocol WallClock: Sendable {
    /// The current wall-clock time.
    func now() -> WallTime

    /// Suspends until the wall clock reaches `deadline` (nil: no deadline), or returns early:
    /// `.clockChanged` when the wall clock was stepped (settimeofday, NTP step, resume), `.zoneChanged` when
    /// /etc/localtime changed, `.interrupted` when `interrupt()` was called or the task was cancelled.
    ///
    /// A deadline already in the past returns `.deadline` at once, unless one of the early reasons is pending.
    func sleep(until deadline: WallTime?) async -> WakeReason

    /// Wakes the current (or the next) sleeper with `.interrupted`. Used by reload and shutdown.
    func interrupt()
}
