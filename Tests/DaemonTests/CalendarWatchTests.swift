import DaemonTesting
import Foundation
import Testing
import Timeline

@testable import Daemon

/// The daemon's loop watching a calendar's vdir: a file changed, added or removed is applied by the loop itself,
/// each waited for on the loop with a deadline.
@Suite(.serialized, .timeLimit(.minutes(1))) struct CalendarWatchTests {
    let directory = TemporaryDirectory()
    static let bound: UInt64 = 1_000_000

    /// Steps `loop` until `done()` holds, each wait at most a second; false if a wait ended with nothing to do.
    func run(_ loop: DaemonLoop, until done: () -> Bool) throws -> Bool {
        for _ in 0..<20 where !done() {
            guard try loop.loop.runOnce(timeoutMicroseconds: Self.bound) else { return done() }
        }
        return done()
    }

    /// A scheduler on 2027-01-01 whose config is one calendar on `vdir`, started, and the daemon's loop watching it.
    func start(_ vdir: String) throws -> (Scheduler, VdirCalendars, DaemonLoop, LogStore) {
        let source = try calendarConfig(directory, vdir: vdir)
        let calendars = VdirCalendars(home: nil)
        let logs = LogStore()
        let environment = SchedulerEnvironment(
            clock: ManualClock(now: WallTime(seconds: 1_798_761_600)),
            sink: MemorySink(),
            logger: logs.logger()
        ) { source.load(calendars: calendars) }
        let scheduler = Scheduler(environment: environment)
        let loop = try DaemonLoop(
            scheduler: scheduler,
            clock: SystemClock(),
            zoneFilePath: directory.file("localtime"),
            calendars: calendars
        )
        loop.arm(try scheduler.start())
        loop.watchCalendars()
        return (scheduler, calendars, loop, logs)
    }

    @Test func aChangedAddedAndRemovedFileIsAppliedWithinTheLoop() throws {
        let vdir = directory.file("team")
        mkdir(vdir, 0o755)
        for n in 0..<5 {
            try writeItem(vdirEvent("item-\(n)", "Item \(n)", "20270105T100000Z"), to: "\(vdir)/\(n).ics")
        }
        let (scheduler, calendars, loop, logs) = try start(vdir)
        let titles = { Dictionary(uniqueKeysWithValues: scheduler.milestones.map { ($0.id, $0.title) }) }
        #expect(titles().count == 5)

        try writeItem(vdirEvent("item-2", "Item 2, moved", "20270106T100000Z"), to: vdir + "/2.ics")
        #expect(try run(loop) { titles()["team-item-2"] == "Item 2, moved" })
        #expect(calendars.parsedCount == 1)

        try writeItem(vdirEvent("new", "New", "20270107T100000Z"), to: vdir + "/new.ics")
        #expect(try run(loop) { titles()["team-new"] == "New" })
        #expect(calendars.parsedCount == 1)

        unlink(vdir + "/0.ics")
        #expect(try run(loop) { titles()["team-item-0"] == nil })
        #expect(titles().count == 5)

        // An acknowledgement made elsewhere (on the server, synced down) stops the daemon's reminder.
        let key = "team-item-1|2027-01-05T10:00:00|15 minutes before"
        #expect(scheduler.pending(limit: 100).contains { $0.key == key })
        try writeItem(
            vdirEvent("item-1", "Item 1", "20270105T100000Z", extra: "ACKNOWLEDGED:20270105T094500Z"),
            to: vdir + "/1.ics"
        )
        #expect(try run(loop) { !scheduler.pending(limit: 100).contains { $0.key == key } })

        // A hidden temporary file, as writers make before their rename, reloads nothing.
        let reloads = { logs.all.count { $0.contains("reloaded") } }
        while try loop.loop.runOnce(timeoutMicroseconds: 100_000) {}
        let before = reloads()
        try writeItem("partial", to: vdir + "/.new.ics.tmp")
        #expect(try loop.loop.runOnce(timeoutMicroseconds: Self.bound))
        while try loop.loop.runOnce(timeoutMicroseconds: 100_000) {}
        #expect(reloads() == before)
    }

    @Test func aCalendarDirectoryMadeAfterStartIsRead() throws {
        let vdir = directory.file("later")
        let (scheduler, _, loop, _) = try start(vdir)
        #expect(scheduler.milestones.isEmpty)
        mkdir(vdir, 0o755)
        #expect(try run(loop) { calendarsWatched(loop, vdir) })
        try writeItem(vdirEvent("a", "A", "20270105T100000Z"), to: vdir + "/a.ics")
        #expect(try run(loop) { scheduler.milestones.contains { $0.id == "team-a" } })
    }

    func calendarsWatched(_ loop: DaemonLoop, _ directory: String) -> Bool {
        loop.watchedDirectories.contains(directory)
    }

    @Test func aCollectionAppearingLaterIsWatched() throws {
        let vdir = directory.file("calendars")
        mkdir(vdir, 0o755)
        mkdir(vdir + "/work", 0o755)
        try writeItem(vdirEvent("a", "A", "20270105T100000Z"), to: vdir + "/work/a.ics")
        let (scheduler, calendars, loop, _) = try start(vdir)
        mkdir(vdir + "/home", 0o755)
        #expect(try run(loop) { calendars.directories.contains(vdir + "/home") })
        try writeItem(vdirEvent("b", "B", "20270105T100000Z"), to: vdir + "/home/b.ics")
        #expect(try run(loop) { scheduler.milestones.contains { $0.id == "team-b" } })
    }
}
