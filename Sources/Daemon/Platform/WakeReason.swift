/// Why `WallClock.sleep(until:)` returned.
enum WakeReason: Sendable, Equatable {
    /// The wall clock reached the deadline.
    case deadline
    /// The wall clock was stepped (settimeofday, an NTP step, resume from suspend): recompute from `now()`.
    case clockChanged
    /// The local time zone (`/etc/localtime`) changed: recompute local times.
    case zoneChanged
    /// `WallClock.interrupt()` was called, or the sleeping task was cancelled.
    case interrupted
}
