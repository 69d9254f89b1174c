import CLinux
import DaemonTesting
import Glibc
import Testing

@testable import Daemon

/// The sd-event loop and its sources, against the real clock and file system. Each test steps its own loop with
/// `runOnce(timeoutMicroseconds:)`: a wait on the event itself, bounded so that a broken source fails the test
/// instead of hanging it. Serialized, because the clock-step test would wake the other tests' clock watches.
@Suite(.serialized, .timeLimit(.minutes(1))) struct EventLoopTests {
    let directory = TemporaryDirectory()
    static let bound: UInt64 = 5_000_000

    /// Runs `loop` until `done()` holds, each iteration waiting at most `bound` µs; false if it never did.
    func run(_ loop: EventLoop, until done: () -> Bool) throws -> Bool {
        for _ in 0..<50 where !done() {
            guard try loop.runOnce(timeoutMicroseconds: Self.bound) else { return done() }
        }
        return done()
    }

    @Test func timerFiresOnceAtItsWallClockDeadlineNotBefore() throws {
        let loop = try EventLoop()
        let clock = SystemClock()
        var fired: [WallTime] = []
        let timer = try TimerSource(loop: loop) { fired.append(clock.now()) }
        let deadline = clock.now().advanced(by: .milliseconds(30))
        timer.schedule(at: deadline)
        #expect(timer.deadline == WallTime(microsecondsSinceEpoch: (deadline.nanosecondsSinceEpoch + 999) / 1000))
        #expect(try run(loop) { !fired.isEmpty })
        #expect(fired.count == 1)
        #expect(fired[0] >= deadline)
        // One-shot: it is disarmed once it fired.
        #expect(timer.deadline == nil)
        #expect(try loop.runOnce(timeoutMicroseconds: 50_000) == false)
        #expect(fired.count == 1)
    }

    @Test func pastDeadlineFiresAtTheNextIterationAndNilDisarms() throws {
        let loop = try EventLoop()
        var count = 0
        let timer = try TimerSource(loop: loop) { count += 1 }
        timer.schedule(at: WallTime(seconds: 1))
        #expect(try loop.runOnce(timeoutMicroseconds: Self.bound))
        #expect(count == 1)
        timer.schedule(at: SystemClock().now().advanced(by: .milliseconds(20)))
        timer.schedule(at: nil)
        #expect(try loop.runOnce(timeoutMicroseconds: 100_000) == false)
        #expect(count == 0 + 1)
    }

    @Test func exitEndsRunWithItsCodeAfterTheCurrentDispatch() throws {
        let loop = try EventLoop()
        let timer = try TimerSource(loop: loop) { loop.exit(code: 7) }
        timer.schedule(at: WallTime(seconds: 1))
        #expect(try loop.run() == 7)
        #expect(loop.isExiting)
    }

    @Test func ioSourceRunsWhenTheDescriptorIsReadable() throws {
        let loop = try EventLoop()
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        var readable = 0
        let source = try IOSource(loop: loop, descriptor: ends[0]) { _ in
            var byte: UInt8 = 0
            _ = read(ends[0], &byte, 1)
            readable += 1
        }
        var byte: UInt8 = 1
        #expect(write(ends[1], &byte, 1) == 1)
        #expect(try run(loop) { readable == 1 })
        withExtendedLifetime(source) {}
    }

    /// A signal blocked in this thread and sent to it is read by the loop, not acted on by the kernel.
    @Test func signalSourceReceivesABlockedSignal() throws {
        let loop = try EventLoop()
        SignalSource.block([SIGUSR2])
        var received = 0
        let source = try SignalSource(loop: loop, signal: SIGUSR2) { received += 1 }
        #expect(pthread_kill(pthread_self(), SIGUSR2) == 0)
        #expect(try run(loop) { received == 1 })
        withExtendedLifetime(source) {}
    }

    @Test func signalSourceRefusesASignalThatIsNotBlocked() throws {
        let loop = try EventLoop()
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGUSR1)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        #expect(throws: SystemCallError.self) { try SignalSource(loop: loop, signal: SIGUSR1) {} }
    }

    /// A zone watch on `localtime` in the test's own directory, as if it were /etc/localtime.
    func makeZoneWatch(_ loop: EventLoop, _ changes: UnsafeMutablePointer<Int>) throws -> ZoneFileWatch {
        #expect(symlink("/usr/share/zoneinfo/UTC", directory.file("localtime")) == 0)
        return try ZoneFileWatch(loop: loop, path: directory.file("localtime")) { changes.pointee += 1 }
    }

    @Test func replacingTheZoneSymlinkIsAZoneChange() throws {
        let loop = try EventLoop()
        var changes = 0
        let watch = try makeZoneWatch(loop, &changes)
        // What timedatectl does: a new symlink renamed over the old one.
        #expect(symlink("/usr/share/zoneinfo/Europe/Berlin", directory.file(".localtime.new")) == 0)
        #expect(rename(directory.file(".localtime.new"), directory.file("localtime")) == 0)
        #expect(try run(loop) { changes >= 1 })
        withExtendedLifetime(watch) {}
    }

    @Test func removingTheZoneFileIsAZoneChange() throws {
        let loop = try EventLoop()
        var changes = 0
        let watch = try makeZoneWatch(loop, &changes)
        #expect(unlink(directory.file("localtime")) == 0)
        #expect(try run(loop) { changes >= 1 })
        withExtendedLifetime(watch) {}
    }

    @Test func otherFilesInTheZoneDirectoryAreNot() throws {
        let loop = try EventLoop()
        var changes = 0
        let watch = try makeZoneWatch(loop, &changes)
        writeFile(directory.file("adjtime"), [1])
        writeFile(directory.file("localtime.bak"), [1])
        #expect(unlink(directory.file("adjtime")) == 0)
        // The events are there to read (the loop wakes), but none is about localtime.
        while try loop.runOnce(timeoutMicroseconds: 50_000) {}
        #expect(changes == 0)
        withExtendedLifetime(watch) {}
    }

    @Test func missingZoneDirectoryIsAnErrorNamingIt() throws {
        let loop = try EventLoop()
        let path = directory.file("no-such-directory/localtime")
        #expect {
            try ZoneFileWatch(loop: loop, path: path) {}
        } throws: { error in
            (error as? SystemCallError)?.operand == directory.file("no-such-directory")
        }
    }

    /// Sets the real clock to the time it reads (a step of a few microseconds), which the kernel reports to
    /// every CANCEL_ON_SET timer. Needs CAP_SYS_TIME: skipped when not root.
    @Test(.enabled(if: geteuid() == 0)) func clockStepIsReported() throws {
        let loop = try EventLoop()
        var steps = 0
        let watch = try ClockChangeWatch(loop: loop) { steps += 1 }
        #expect(try loop.runOnce(timeoutMicroseconds: 20_000) == false)
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        guard clock_settime(CLOCK_REALTIME, &time) == 0 else {
            Issue.record("clock_settime failed with errno \(errno); cannot test clock steps here")
            return
        }
        #expect(try run(loop) { steps == 1 })
        // The step was consumed and the watch armed again: nothing more until the next step.
        #expect(try loop.runOnce(timeoutMicroseconds: 50_000) == false)
        #expect(steps == 1)
        withExtendedLifetime(watch) {}
    }
}
