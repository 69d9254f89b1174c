import DaemonTesting
import Testing

@testable import Daemon

/// Regression tests for what `make fuzz` found in the daemon's parsers (the inputs are in Fuzz/Findings/).
@Suite("Robustness: fuzz findings")
struct RobustnessFuzzFindingsTests {
    /// A sent key starting with a combining mark (U+05B0) made `sent ְ…` fail `hasPrefix("sent ")`, which compares
    /// characters: the daemon wrote a state file it could not read back (Fuzz/Findings/FuzzStateFile).
    @Test(arguments: ["\u{05B0}key", "\u{0301}", "a\u{0301}|b", "\u{FE0F}x"])
    func stateWithKeysStartingWithCombiningMarksLoadsBack(key: String) throws {
        let state = DeliveryState(watermark: 42, sentAfterWatermark: [key, "plain"])
        let decoded = try StateStore.decode(StateStore.encode(state), path: "state")
        #expect(decoded == state)
        #expect(decoded.sentAfterWatermark.contains { Array($0.utf8) == Array(key.utf8) })
    }

    /// The stderr parser takes field names the formatter never writes (`1CAUGHT_UP`); formatting the parsed
    /// entry makes them valid journal names, and that line parses back to the same entry
    /// (Fuzz/Findings/FuzzStderrLine).
    @Test func digitFirstFieldNamesComeBackValid() throws {
        let entry = try #require(StderrLine.parse("<5>Exam [REMINDER_KEY=n 1CAUGHT_UP=\"x y\"]"))
        #expect(entry["1CAUGHT_UP"] == "x y")
        let line = StderrLine.format(entry)
        #expect(line == "<5>Exam [REMINDER_KEY=n X1CAUGHT_UP=\"x y\"]")
        #expect(StderrLine.parse(line)?["X1CAUGHT_UP"] == "x y")
    }
}
