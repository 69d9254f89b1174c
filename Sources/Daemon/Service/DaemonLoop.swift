import Glibc

/// The daemon's event loop and its sources: the due timer, armed at each of the scheduler's answers, and what
/// makes the scheduler answer again (SIGHUP, a step of the wall clock, a change of the zone file, a change in a
/// calendar's directories), with SIGTERM and SIGINT ending the loop and the watchdog's pings. The sources live as
/// long as this object.
final class DaemonLoop {
    /// The sd-event loop, for what else attaches to it (the bus).
    let loop: EventLoop
    private var timer: TimerSource?
    private var sources: [AnyObject] = []
    private let scheduler: Scheduler
    private let calendars: VdirCalendars?
    private var calendarWatch: DirectoryWatch?
    /// The directories that could not be watched, each logged once.
    private var unwatchable: Set<String> = []

    /// The loop with its sources, driving `scheduler`, which reads `clock`; a zone file that cannot be watched is
    /// logged and the daemon runs on without it.
    ///
    /// - Throws: `SystemCallError` when the loop or one of its other sources cannot be made.
    init(
        scheduler: Scheduler,
        clock: any WallClock,
        zoneFilePath: String,
        calendars: VdirCalendars? = nil
    ) throws(SystemCallError) {
        loop = try EventLoop()
        self.scheduler = scheduler
        self.calendars = calendars
        let loop = loop
        timer = try TimerSource(loop: loop, name: "due") { [unowned self] in
            arm(scheduler.advance(to: clock.now()))
        }
        sources = [
            try SignalSource(loop: loop, signal: SIGHUP) { [unowned self] in reload() },
            try SignalSource(loop: loop, signal: SIGTERM) { loop.exit(code: 0) },
            try SignalSource(loop: loop, signal: SIGINT) { loop.exit(code: 0) },
            try ClockChangeWatch(loop: loop) { [unowned self] in arm(scheduler.advance(to: clock.now())) },
        ]
        do {
            sources.append(
                try ZoneFileWatch(loop: loop, path: zoneFilePath) { [unowned self] in
                    arm(scheduler.timeZoneChanged())
                    watchCalendars()
                }
            )
        } catch {
            let text = scheduler.localizer.tr("changes of the system time zone will not be noticed: %s", "\(error)")
            scheduler.logger.warning("\(text)")
        }
        if calendars != nil {
            calendarWatch = try DirectoryWatch(loop: loop, isRelevant: Self.isCalendarEntry) { [unowned self] in
                reload()
            }
        }
        try loop.enableWatchdog()
    }

    /// Reloads the timeline (SIGHUP, a calendar's file changed) and watches the calendars' directories it found.
    func reload() {
        arm(scheduler.reload())
        watchCalendars()
    }

    /// The calendars' directories watched now.
    var watchedDirectories: Set<String> { calendarWatch?.directories ?? [] }

    /// Watches the directories of the calendars as last read (call it after each load).
    func watchCalendars() {
        guard let calendars, let calendarWatch else { return }
        for (directory, error) in calendarWatch.watch(calendars.directories)
        where unwatchable.insert(directory).inserted {
            let text = scheduler.localizer.tr(
                "changes in %s will not be noticed until a reload: %s",
                directory,
                "\(error)"
            )
            scheduler.logger.warning("\(text)")
        }
    }

    /// What in a calendar's directory counts as a change: an item (`*.ics`), the collection's `displayname` or
    /// `color`, or a directory (a collection) appearing or going; not hidden entries (writers' temporary files).
    static func isCalendarEntry(_ name: [UInt8], isDirectory: Bool) -> Bool {
        guard name.first != UInt8(ascii: "."), !name.isEmpty else { return false }
        if isDirectory { return true }
        let text = String(decoding: name, as: UTF8.self)
        return VdirCalendars.isItem(text) || text == "displayname" || text == "color"
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
