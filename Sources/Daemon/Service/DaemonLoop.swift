import Glibc

/// The daemon's event loop and its sources: the due timer, armed at each of the scheduler's answers, and what
/// makes the scheduler answer again (SIGHUP, a step of the wall clock, a change of the zone file), with SIGTERM
/// and SIGINT ending the loop and the watchdog's pings. The sources live as long as this object.
final class DaemonLoop {
    /// The sd-event loop, for what else attaches to it (the bus).
    let loop: EventLoop
    private var timer: TimerSource?
    private var sources: [AnyObject] = []

    /// The loop with its sources, driving `scheduler`, which reads `clock`; a zone file that cannot be watched is
    /// logged and the daemon runs on without it.
    ///
    /// - Throws: `SystemCallError` when the loop or one of its other sources cannot be made.
    init(scheduler: Scheduler, clock: any WallClock, zoneFilePath: String) throws(SystemCallError) {
        loop = try EventLoop()
        let loop = loop
        timer = try TimerSource(loop: loop, name: "due") { [unowned self] in
            arm(scheduler.advance(to: clock.now()))
        }
        sources = [
            try SignalSource(loop: loop, signal: SIGHUP) { [unowned self] in arm(scheduler.reload()) },
            try SignalSource(loop: loop, signal: SIGTERM) { loop.exit(code: 0) },
            try SignalSource(loop: loop, signal: SIGINT) { loop.exit(code: 0) },
            try ClockChangeWatch(loop: loop) { [unowned self] in arm(scheduler.advance(to: clock.now())) },
        ]
        do {
            sources.append(
                try ZoneFileWatch(loop: loop, path: zoneFilePath) { [unowned self] in arm(scheduler.timeZoneChanged()) }
            )
        } catch {
            scheduler.logger.warning("changes of the system time zone will not be noticed: \(error)")
        }
        try loop.enableWatchdog()
    }

    /// Arms the due timer at the scheduler's answer `deadline` (nil: nothing is due, the timer is off).
    func arm(_ deadline: WallTime?) {
        timer?.schedule(at: deadline)
    }

    /// Runs the loop until SIGTERM or SIGINT; returns its exit code.
    ///
    /// - Throws: `SystemCallError` when the loop itself fails.
    func run() throws(SystemCallError) -> Int32 {
        try loop.run()
    }
}
