import Testing

@testable import Daemon

@Suite struct WallTimeTests {
    @Test func splitsSecondsAndNanosecondsRoundingDown() {
        let time = WallTime(seconds: 5, nanoseconds: 250)
        #expect(time.seconds == 5)
        #expect(time.nanosecondsOfSecond == 250)
        let beforeEpoch = WallTime(nanosecondsSinceEpoch: -500_000_000)
        #expect(beforeEpoch.seconds == -1)
        #expect(beforeEpoch.nanosecondsOfSecond == 500_000_000)
        #expect(WallTime(nanosecondsSinceEpoch: -1_000_000_000).seconds == -1)
        #expect(WallTime(nanosecondsSinceEpoch: -1_000_000_000).nanosecondsOfSecond == 0)
    }

    @Test func convertsToMicrosecondsAndTimespec() {
        let time = WallTime(seconds: 1_700_000_000, nanoseconds: 123_456_789)
        #expect(time.microsecondsSinceEpoch == 1_700_000_000_123_456)
        #expect(time.timespec.tv_sec == 1_700_000_000)
        #expect(time.timespec.tv_nsec == 123_456_789)
        #expect(time.description == "1700000000.123456789")
    }

    @Test func movesByDurations() {
        let time = WallTime(seconds: 100)
        #expect(time.advanced(by: .milliseconds(1500)) == WallTime(seconds: 101, nanoseconds: 500_000_000))
        #expect(time.advanced(by: .seconds(-100)) == .epoch)
        #expect(time.duration(to: WallTime(seconds: 90)) == .seconds(-10))
        #expect(WallTime(seconds: 1) < WallTime(seconds: 1, nanoseconds: 1))
    }
}

@Suite(.timeLimit(.minutes(1))) struct ManualWallClockTests {
    let start = WallTime(seconds: 1_000)

    @Test func advanceWakesTheSleeperOnlyOnceItsDeadlineIsReached() async throws {
        let clock = ManualWallClock(now: start)
        let deadline = start.advanced(by: .seconds(60))
        let sleeper = Task { await clock.sleep(until: deadline) }
        #expect(try await clock.waitForSleeper() == deadline)

        clock.advance(to: start.advanced(by: .seconds(59)))
        #expect(clock.sleeperDeadlines == [deadline])

        clock.advance(to: deadline.advanced(by: .seconds(1)))
        #expect(await sleeper.value == .deadline)
        #expect(clock.now() == deadline.advanced(by: .seconds(1)))
        #expect(clock.sleeperDeadlines.isEmpty)
    }

    @Test func waitForSleepAfterIgnoresTheSleeperAlreadyThere() async throws {
        let clock = ManualWallClock(now: start)
        let loop = Task {
            var reasons: [WakeReason] = []
            for seconds in [10, 20] as [Int64] {
                reasons.append(await clock.sleep(until: start.advanced(by: .seconds(seconds))))
            }
            return reasons
        }
        #expect(try await clock.waitForSleep(after: 0) == start.advanced(by: .seconds(10)))
        let before = clock.sleepCount
        #expect(before == 1)
        // Not yet due: the first sleeper stays, and waiting for a later sleep must not return it.
        clock.advance(by: .seconds(5))
        let waiter = Task { try await clock.waitForSleep(after: before) }
        clock.advance(by: .seconds(5))
        #expect(try await waiter.value == start.advanced(by: .seconds(20)))
        clock.advance(by: .seconds(10))
        #expect(await loop.value == [.deadline, .deadline])
    }

    @Test func advanceByMovesFromNow() {
        let clock = ManualWallClock(now: start)
        clock.advance(by: .seconds(90))
        #expect(clock.now() == WallTime(seconds: 1_090))
    }

    @Test func stepWakesWithClockChangedEvenBackwards() async throws {
        let clock = ManualWallClock(now: start)
        let sleeper = Task { await clock.sleep(until: start.advanced(by: .seconds(3600))) }
        _ = try await clock.waitForSleeper()
        clock.step(to: WallTime(seconds: 10))
        #expect(await sleeper.value == .clockChanged)
        #expect(clock.now() == WallTime(seconds: 10))
    }

    @Test func changeZoneWakesWithZoneChanged() async throws {
        let clock = ManualWallClock(now: start)
        let sleeper = Task { await clock.sleep(until: nil) }
        #expect(try await clock.waitForSleeper() == nil)
        clock.changeZone()
        #expect(await sleeper.value == .zoneChanged)
    }

    @Test func interruptWakesTheSleeper() async throws {
        let clock = ManualWallClock(now: start)
        let sleeper = Task { await clock.sleep(until: nil) }
        _ = try await clock.waitForSleeper()
        clock.interrupt()
        #expect(await sleeper.value == .interrupted)
    }

    @Test func interruptWhileNobodySleepsIsKeptForTheNextSleepOnly() async throws {
        let clock = ManualWallClock(now: start)
        clock.interrupt()
        #expect(await clock.sleep(until: nil) == .interrupted)

        let sleeper = Task { await clock.sleep(until: start.advanced(by: .seconds(1))) }
        _ = try await clock.waitForSleeper()
        clock.advance(by: .seconds(1))
        #expect(await sleeper.value == .deadline)
    }

    @Test func stepAndZoneChangeWhileNobodySleepsAreKept() async {
        let clock = ManualWallClock(now: start)
        clock.step(to: WallTime(seconds: 5))
        #expect(await clock.sleep(until: nil) == .clockChanged)
        clock.changeZone()
        #expect(await clock.sleep(until: nil) == .zoneChanged)
    }

    @Test func deadlineNotAfterNowReturnsAtOnce() async {
        let clock = ManualWallClock(now: start)
        #expect(await clock.sleep(until: start) == .deadline)
        #expect(await clock.sleep(until: WallTime(seconds: 1)) == .deadline)
        #expect(clock.sleepCount == 2)
    }

    @Test func cancellingTheSleepingTaskInterrupts() async throws {
        let clock = ManualWallClock(now: start)
        let sleeper = Task { await clock.sleep(until: nil) }
        _ = try await clock.waitForSleeper()
        sleeper.cancel()
        #expect(await sleeper.value == .interrupted)
        #expect(clock.sleeperDeadlines.isEmpty)
    }

    @Test func sleepInACancelledTaskReturnsAtOnce() async {
        let clock = ManualWallClock(now: start)
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await clock.sleep(until: nil)
        }
        #expect(await sleeper.value == .interrupted)
    }

    @Test func waitForSleeperThrowsWhenCancelled() async {
        let clock = ManualWallClock(now: start)
        let waiter = Task { try await clock.waitForSleeper() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }

    @Test func wakesEverySleeperWhoseDeadlinePassed() async throws {
        let clock = ManualWallClock(now: start)
        let first = Task { await clock.sleep(until: start.advanced(by: .seconds(10))) }
        _ = try await clock.waitForSleeper()
        let second = Task { await clock.sleep(until: start.advanced(by: .seconds(20))) }
        #expect(
            try await clock.waitForSleepers(2) == [start.advanced(by: .seconds(10)), start.advanced(by: .seconds(20))]
        )
        clock.advance(by: .seconds(15))
        #expect(await first.value == .deadline)
        #expect(clock.sleeperDeadlines == [start.advanced(by: .seconds(20))])
        clock.advance(by: .seconds(5))
        #expect(await second.value == .deadline)
    }
}

@Suite struct VirtualWallClockTests {
    @Test func sleepJumpsToTheDeadline() async {
        let clock = VirtualWallClock(now: WallTime(seconds: 100))
        #expect(await clock.sleep(until: WallTime(seconds: 86_400)) == .deadline)
        #expect(clock.now() == WallTime(seconds: 86_400))
    }

    @Test func timeNeverMovesBack() async {
        let clock = VirtualWallClock(now: WallTime(seconds: 100))
        #expect(await clock.sleep(until: WallTime(seconds: 50)) == .deadline)
        #expect(clock.now() == WallTime(seconds: 100))
    }

    @Test func sleepWithoutDeadlineMeansNothingMoreToDo() async {
        let clock = VirtualWallClock(now: WallTime(seconds: 100))
        #expect(await clock.sleep(until: nil) == .interrupted)
        #expect(clock.now() == WallTime(seconds: 100))
    }

    @Test func interruptIsKeptForTheNextSleep() async {
        let clock = VirtualWallClock(now: WallTime(seconds: 100))
        clock.interrupt()
        #expect(await clock.sleep(until: WallTime(seconds: 200)) == .interrupted)
        #expect(clock.now() == WallTime(seconds: 100))
        #expect(await clock.sleep(until: WallTime(seconds: 200)) == .deadline)
    }
}
