import DaemonTesting
import Testing
import Timeline

@testable import Daemon

/// A reload (SIGHUP) with each kind of bad input keeps the running daemon on its last good timeline: the
/// reload failure is logged at PRIORITY=err with file:line:column, STATUS= says so, and the pending reminders
/// still fire once, on time (issue 6).
@Suite("Robustness: reload with bad input")
struct RobustnessReloadTests {
    @Test(arguments: [
        ("empty", "", "empty file"),
        ("binary", "id = 1\u{0}\u{1}\u{2}", "binary data"),
        ("truncated mid-line", String(threeMilestones.prefix(60)), "TOML syntax"),
        (
            "deep nesting", "a = " + String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000),
            "nested value depth"
        ),
        (
            "unknown zone",
            threeMilestones.replacing("[defaults]\n", with: "[defaults]\ntimezone = \"Mars/Olympus_Mons\"\n"),
            "unknown time zone"
        ),
        ("rule out of range", threeMilestones + "\nrrule = \"FREQ=DAILY;BYHOUR=24\"\n", "BYHOUR"),
    ])
    func badConfigOnReloadKeepsTheLastGoodTimeline(kind: String, text: String, expected: String) throws {
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: threeMilestones)
        let first = try harness.start()
        #expect(first == wall("2030-01-01T11:00:00Z"))

        harness.setConfig(text)
        #expect(harness.reload() == wall("2030-01-01T11:00:00Z"))
        #expect(harness.scheduler!.lastStatus.hasPrefix("reload failed: "))
        #expect(harness.scheduler!.lastStatus.contains("still running the previous timeline"))
        let failures = harness.logs.all.filter { $0.hasPrefix("error") && $0.contains("reload failed: t.toml:") }
        #expect(!failures.isEmpty)
        #expect(failures.contains { $0.contains(expected) }, "\(kind): \(failures)")

        harness.advance(to: wall("2030-01-01T12:00:00Z"))
        harness.advance(to: wall("2030-01-01T14:00:00Z"))
        #expect(
            harness.sink.reminderNames == [
                "b 1 hour before", "a 1 hour before", "b at start", "a at start", "c 1 hour before", "c at start",
            ]
        )
        harness.stop()
    }
}
