import Testing

@testable import Timeline

@Suite("ReminderOffset")
struct ReminderOffsetTests {
    @Test(arguments: [
        ("at start", ReminderOffset(anchor: .start), "at start"),
        ("at end", ReminderOffset(anchor: .end), "at end"),
        ("30 days before", ReminderOffset(days: -30), "30 days before"),
        ("2 hours before", ReminderOffset(seconds: -7200), "2 hours before"),
        ("1 day after end", ReminderOffset(anchor: .end, days: 1), "1 day after end"),
        ("1 week 2 days before start", ReminderOffset(days: -9), "9 days before"),
        ("90 minutes after", ReminderOffset(seconds: 5400), "1 hour 30 minutes after"),
        ("30d before", ReminderOffset(days: -30), "30 days before"),
        ("1 Day 2 Hours Before", ReminderOffset(days: -1, seconds: -7200), "1 day 2 hours before"),
        ("5 s before", ReminderOffset(seconds: -5), "5 seconds before"),
    ])
    func parsesAndPrintsCanonically(text: String, expected: ReminderOffset, canonical: String) {
        let parsed = ReminderOffset(parsing: text)
        #expect(parsed == expected)
        #expect(parsed?.description == canonical)
    }

    @Test(arguments: ["", "soon", "30 days", "before", "at middle", "3 fortnights before", "-1 days before", "1 day 2 before"])
    func rejectsWhatIsNotAnOffset(text: String) {
        #expect(ReminderOffset(parsing: text) == nil)
    }
}
