import CSystemd
import Glibc

/// The daemon's one event loop: sd-event from libsystemd, as systemd's own daemons run.
///
/// One thread waits in `epoll` for a timer, signal, descriptor or inotify event; each source in this folder keeps
/// its sd-event source as long as it lives, and its handler runs on the loop's thread.
///
/// ```
/// let loop = try EventLoop()
/// let timer = try TimerSource(loop: loop) { print("due") }
/// timer.schedule(at: deadline)
/// let status = try loop.run()
/// ```
public final class EventLoop {
    /// The `sd_event` object, for sources and for attaching other libsystemd objects (a bus) to the loop.
    public let event: OpaquePointer

    /// A new loop, not yet running.
    ///
    /// - Throws: `SystemCallError` (`sd_event_new`).
    public init() throws(SystemCallError) {
        var event: OpaquePointer?
        try SystemCall.check("sd_event_new", sd_event_new(&event))
        self.event = event!
    }

    deinit {
        sd_event_unref(event)
    }

    /// Has the loop send `WATCHDOG=1` to the service manager on time, when `$WATCHDOG_USEC` asks for it (the
    /// ping comes from `sd_event_set_watchdog(3)`, one wake-up per ping).
    ///
    /// - Returns: whether the service manager expects pings.
    /// - Throws: `SystemCallError` (`sd_event_set_watchdog`).
    @discardableResult
    public func enableWatchdog() throws(SystemCallError) -> Bool {
        try SystemCall.check("sd_event_set_watchdog", sd_event_set_watchdog(event, 1)) > 0
    }

    /// Dispatches events until `exit(code:)` is called; returns the code given to it.
    ///
    /// - Throws: `SystemCallError` (`sd_event_run`) when the loop itself fails.
    public func run() throws(SystemCallError) -> Int32 {
        while sd_event_get_state(event) != Int32(SD_EVENT_FINISHED) {
            try SystemCall.check("sd_event_run", sd_event_run(event, UInt64.max))
        }
        var code: Int32 = 0
        _ = sd_event_get_exit_code(event, &code)
        return code
    }

    /// Runs one iteration, waiting at most `timeout` microseconds for an event; returns whether one was
    /// dispatched. For tests, which step the loop by hand.
    ///
    /// - Throws: `SystemCallError` (`sd_event_run`).
    @discardableResult
    public func runOnce(timeoutMicroseconds timeout: UInt64) throws(SystemCallError) -> Bool {
        return try SystemCall.check("sd_event_run", sd_event_run(event, timeout)) > 0
    }

    /// Asks `run()` to return `code` once the events being dispatched are done.
    public func exit(code: Int32) {
        _ = sd_event_exit(event, code)
    }

    /// Whether `exit(code:)` was called.
    public var isExiting: Bool {
        let state = sd_event_get_state(event)
        return state == Int32(SD_EVENT_EXITING) || state == Int32(SD_EVENT_FINISHED)
    }
}
