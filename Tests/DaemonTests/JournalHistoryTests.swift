import DaemonTesting
import Testing

@testable import Daemon

@Suite struct JournalHistoryTests {
    let directory = TemporaryDirectory()

    @Test func everyEventIsOneOfTheDaemonsMessageIDs() {
        let ids = JournalHistory.Event.allCases.map(\.messageID)
        #expect(Set(ids).count == ids.count)
        for event in JournalHistory.Event.allCases {
            #expect(JournalHistory.Event(messageID: event.messageID) == event)
        }
        #expect(JournalHistory.Event.sent.messageID == MessageID.reminderDue)
        #expect(JournalHistory.Event.snoozed.messageID == MessageID.reminderSnoozed)
        #expect(JournalHistory.Event.actionFinished.messageID == MessageID.actionFinished)
        // What the daemon writes about itself (loaded, reloaded) is not history of reminders.
        #expect(JournalHistory.Event(messageID: MessageID.timelineLoaded) == nil)
    }

    @Test func aMissingFileIsAnErrorNamingIt() {
        let missing = directory.file("missing.journal")
        #expect(throws: JournalHistory.ReadError.self) { try JournalHistory(source: .files([missing])).entries() }
        do {
            _ = try JournalHistory(source: .files([missing])).entries()
        } catch {
            #expect(error.description == "cannot open the journal file \(missing): No such file or directory")
        }
    }

    @Test func aDirectoryWithoutJournalFilesHasNoEntries() throws {
        #expect(try JournalHistory(source: .directory(directory.path)).entries().isEmpty)
    }

    @Test func theMilestoneOfAnActionEntryIsTheFirstPartOfItsKey() {
        let entry = JournalHistory.Entry(
            event: .actionFinished,
            time: WallTime(seconds: 0),
            host: "h",
            uid: 0,
            userUnit: nil,
            message: "",
            fields: [("REMINDER_KEY", "coop-day|2027-07-03T00:00:00|at start"), ("JOB_RESULT", "done")]
        )
        #expect(entry.milestoneID == "coop-day")
        #expect(entry.field("JOB_RESULT") == "done")
    }
}
