import CSystemd
import Glibc

/// A one-shot timer on the wall clock (`CLOCK_REALTIME`), re-armed by `schedule(at:)`.
///
/// It fires at the wall-clock instant given, to the microsecond (sd-event may otherwise delay a timer by up to
/// its accuracy to coalesce wake-ups; this one asks for 1 µs), also when the clock is stepped meanwhile: the
/// kernel moves an absolute `CLOCK_REALTIME` timer with the clock.
public final class TimerSource: EventSource {
    private let handler: () -> Void

    /// A disarmed timer on `loop`; `handler` runs each time it fires.
    ///
    /// - Parameter accuracyMicroseconds: how late sd-event may fire it to coalesce wake-ups.
    /// - Throws: `SystemCallError` (`sd_event_add_time`).
    public init(
        loop: EventLoop,
        name: String = "timer",
        accuracyMicroseconds: UInt64 = 1,
        handler: @escaping () -> Void
    ) throws(SystemCallError) {
        self.handler = handler
        let callback: sd_event_time_handler_t = { _, _, context in
            EventSource.dispatch(context, as: TimerSource.self) { $0.handler() }
            return 0
        }
        try super.init("sd_event_add_time", name: name) { source, context in
            sd_event_add_time(loop.event, &source, CLOCK_REALTIME, UInt64.max, accuracyMicroseconds, callback, context)
        }
        _ = sd_event_source_set_enabled(source, Int32(SD_EVENT_OFF))
    }

    /// Arms the timer to fire once at `deadline`, or disarms it (nil). A deadline in the past fires at the
    /// next iteration of the loop.
    public func schedule(at deadline: WallTime?) {
        guard let source else { return }
        guard let deadline else {
            _ = sd_event_source_set_enabled(source, Int32(SD_EVENT_OFF))
            return
        }
        // sd-event counts in microseconds; round up so that the timer never fires before the instant.
        let nanoseconds = max(deadline.nanosecondsSinceEpoch, 1)
        _ = sd_event_source_set_time(source, UInt64((nanoseconds + 999) / 1_000))
        _ = sd_event_source_set_enabled(source, Int32(SD_EVENT_ONESHOT))
    }

    /// When the timer fires next, or nil when it is disarmed.
    public var deadline: WallTime? {
        guard let source else { return nil }
        var enabled: Int32 = 0
        var microseconds: UInt64 = 0
        guard sd_event_source_get_enabled(source, &enabled) >= 0, enabled != Int32(SD_EVENT_OFF),
            sd_event_source_get_time(source, &microseconds) >= 0
        else { return nil }
        return WallTime(microsecondsSinceEpoch: Int64(microseconds))
    }
}
