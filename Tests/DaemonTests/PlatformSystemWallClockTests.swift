import Glibc
import Testing

@testable import Daemon

/// Runs against the real clock; serialized because the clock-step test would wake the others.
@Suite(.serialized, .timeLimit(.minutes(1))) struct SystemWallClockTests {
    let directory = TemporaryDirectory()

    /// A clock watching a zone file in the test's own directory, as if it were /etc/localtime.
    func makeClock() throws -> SystemWallClock {
        #expect(symlink("/usr/share/zoneinfo/UTC", directory.file("localtime")) == 0)
        return try SystemWallClock(zoneFilePath: directory.file("localtime"))
    }

    @Test func nowIsTheSystemTime() throws {
        let clock = try makeClock()
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        let difference = clock.now().nanosecondsSinceEpoch - (Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
        #expect(abs(difference) < 1_000_000_000)
    }

    @Test func returnsDeadlineOnceTheDeadlineIsReached() async throws {
        let clock = try makeClock()
        let deadline = clock.now().advanced(by: .milliseconds(30))
        #expect(await clock.sleep(until: deadline) == .deadline)
        #expect(clock.now() >= deadline)
    }

    @Test func pastDeadlineReturnsAtOnce() async throws {
        let clock = try makeClock()
        #expect(await clock.sleep(until: clock.now().advanced(by: .seconds(-3600))) == .deadline)
        #expect(await clock.sleep(until: .epoch) == .deadline)
    }

    @Test func interruptWakesASleeperWithoutDeadline() async throws {
        let clock = try makeClock()
        let sleeper = Task { await clock.sleep(until: nil) }
        clock.interrupt()
        #expect(try await withTimeout { await sleeper.value } == .interrupted)
    }

    @Test func interruptWhileNobodySleepsIsKeptForTheNextSleepOnly() async throws {
        let clock = try makeClock()
        clock.interrupt()
        clock.interrupt()
        #expect(
            try await withTimeout { await clock.sleep(until: clock.now().advanced(by: .seconds(3600))) } == .interrupted
        )
        // Two interrupts before a sleep wake one sleep, not two.
        #expect(await clock.sleep(until: clock.now().advanced(by: .milliseconds(10))) == .deadline)
    }

    @Test func cancellationInterruptsAndDoesNotLeakIntoTheNextSleep() async throws {
        let clock = try makeClock()
        let sleeper = Task { await clock.sleep(until: nil) }
        sleeper.cancel()
        #expect(try await withTimeout { await sleeper.value } == .interrupted)
        #expect(await clock.sleep(until: clock.now().advanced(by: .milliseconds(10))) == .deadline)
    }

    @Test func replacingTheZoneSymlinkWakesWithZoneChanged() async throws {
        let clock = try makeClock()
        let sleeper = Task { await clock.sleep(until: nil) }
        // What timedatectl does: a new symlink renamed over the old one.
        #expect(symlink("/usr/share/zoneinfo/Europe/Berlin", directory.file(".localtime.new")) == 0)
        #expect(rename(directory.file(".localtime.new"), directory.file("localtime")) == 0)
        #expect(try await withTimeout { await sleeper.value } == .zoneChanged)
    }

    @Test func removingTheZoneFileWakesWithZoneChanged() async throws {
        let clock = try makeClock()
        let sleeper = Task { await clock.sleep(until: nil) }
        #expect(unlink(directory.file("localtime")) == 0)
        #expect(try await withTimeout { await sleeper.value } == .zoneChanged)
    }

    @Test func zoneChangeWhileNobodySleepsIsReportedByTheNextSleep() async throws {
        let clock = try makeClock()
        writeFile(directory.file("localtime.tmp"), [1, 2, 3])
        #expect(rename(directory.file("localtime.tmp"), directory.file("localtime")) == 0)
        #expect(try await withTimeout { await clock.sleep(until: nil) } == .zoneChanged)
        #expect(await clock.sleep(until: clock.now().advanced(by: .milliseconds(10))) == .deadline)
    }

    @Test func otherFilesInTheZoneDirectoryDoNotWake() async throws {
        let clock = try makeClock()
        writeFile(directory.file("adjtime"), [1])
        writeFile(directory.file("localtime.bak"), [1])
        #expect(unlink(directory.file("adjtime")) == 0)
        #expect(await clock.sleep(until: clock.now().advanced(by: .milliseconds(50))) == .deadline)
    }

    @Test func missingZoneDirectoryFailsToOpen() {
        #expect(throws: SystemCallError.self) {
            try SystemWallClock(zoneFilePath: directory.file("no-such-directory/localtime"))
        }
    }

    @Test func concurrentSleepsOnDifferentClocksAreIndependent() async throws {
        let first = try makeClock()
        let second = try SystemWallClock(zoneFilePath: directory.file("localtime"))
        let sleeper = Task { await first.sleep(until: nil) }
        #expect(await second.sleep(until: second.now().advanced(by: .milliseconds(10))) == .deadline)
        first.interrupt()
        #expect(try await withTimeout { await sleeper.value } == .interrupted)
    }

    /// Steps the real clock by a few microseconds (setting it to the time it reads), which the kernel
    /// reports to every CANCEL_ON_SET timer. Needs CAP_SYS_TIME: skipped when not root.
    @Test(.enabled(if: geteuid() == 0)) func clockStepWakesWithClockChanged() async throws {
        let clock = try makeClock()
        let sleeper = Task { await clock.sleep(until: clock.now().advanced(by: .seconds(3600))) }
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        guard clock_settime(CLOCK_REALTIME, &time) == 0 else {
            sleeper.cancel()
            Issue.record("clock_settime failed with errno \(errno); cannot test clock steps here")
            return
        }
        #expect(try await withTimeout { await sleeper.value } == .clockChanged)
        // The step was consumed: the next sleep runs to its deadline.
        #expect(await clock.sleep(until: clock.now().advanced(by: .milliseconds(10))) == .deadline)
    }
}
