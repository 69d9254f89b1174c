import Testing

@testable import Daemon

@Suite struct WallTimeTests {
    @Test func splitsSecondsAndNanosecondsRoundingDown() {
        #expect(WallTime(seconds: 5, nanoseconds: 250).seconds == 5)
        #expect(WallTime(seconds: 5, nanoseconds: 250).nanosecondsOfSecond == 250)
        let beforeEpoch = WallTime(nanosecondsSinceEpoch: -500_000_000)
        #expect(beforeEpoch.seconds == -1)
        #expect(beforeEpoch.nanosecondsOfSecond == 500_000_000)
        #expect(WallTime(nanosecondsSinceEpoch: -1_000_000_000).seconds == -1)
        #expect(WallTime(nanosecondsSinceEpoch: -1_000_000_000).nanosecondsOfSecond == 0)
    }
}
