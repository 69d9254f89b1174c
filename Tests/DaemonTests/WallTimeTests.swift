import DaemonTesting
import Testing
import Timeline

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

    @Test func convertsToAndFromInstantsByWholeSeconds() {
        #expect(WallTime(Instant(secondsSinceEpoch: 42)) == WallTime(seconds: 42))
        #expect(Instant(WallTime(seconds: 42, nanoseconds: 999_999_999)) == Instant(secondsSinceEpoch: 42))
        #expect(Instant(WallTime(nanosecondsSinceEpoch: -1)) == Instant(secondsSinceEpoch: -1))
        #expect(WallTime(microsecondsSinceEpoch: 1_500_000) == WallTime(seconds: 1, nanoseconds: 500_000_000))
    }
}

@Suite struct ReplayClockTests {
    @Test func movesToTheDeadlineGivenAndNeverBack() {
        let clock = ReplayClock(now: WallTime(seconds: 100))
        clock.move(to: WallTime(seconds: 200))
        #expect(clock.now() == WallTime(seconds: 200))
        clock.move(to: WallTime(seconds: 150))
        #expect(clock.now() == WallTime(seconds: 200))
    }
}
