import CSystemd
import DaemonTesting
import Glibc
import Synchronization
import SystemPackage
import Testing

@testable import Daemon

@Suite struct JournalEntryTests {
    @Test func putsMessageAndPriorityFirst() {
        let entry = JournalEntry(
            message: "Exam in 15 minutes",
            priority: .notice,
            fields: [("MESSAGE_ID", "6b1c"), ("REMINDER_KEY", "exam"), ("TAG", "a"), ("TAG", "b")]
        )
        #expect(entry.fields.map(\.name) == ["MESSAGE", "PRIORITY", "MESSAGE_ID", "REMINDER_KEY", "TAG", "TAG"])
        #expect(entry.message == "Exam in 15 minutes")
        #expect(entry.priority == .notice)
        #expect(entry["PRIORITY"] == "5")
        #expect(entry["REMINDER_KEY"] == "exam")
        #expect(entry["MISSING"] == nil)
        #expect(entry.values(named: "TAG") == ["a", "b"])
    }

    @Test func comparesFieldsInOrder() {
        let entry = JournalEntry(fields: [("A", "1"), ("B", "2")])
        #expect(entry == JournalEntry(fields: [("A", "1"), ("B", "2")]))
        #expect(entry != JournalEntry(fields: [("B", "2"), ("A", "1")]))
        #expect(entry != JournalEntry(fields: [("A", "1"), ("B", "3")]))
        #expect(entry != JournalEntry(fields: [("A", "1")]))
    }

    @Test func invalidPriorityIsNil() {
        #expect(JournalEntry(fields: [("PRIORITY", "9")]).priority == nil)
        #expect(JournalEntry(fields: [("PRIORITY", "high")]).priority == nil)
        #expect(JournalEntry(fields: []).priority == nil)
    }

    @Test(arguments: [
        ("MESSAGE", "MESSAGE"),
        ("reminder-key", "REMINDER_KEY"),
        ("Reminder Key", "REMINDER_KEY"),
        ("_PID", "X_PID"),
        ("1ST", "X1ST"),
        ("", "X"),
        ("zoné", "ZON__"),
        (String(repeating: "A", count: 70), String(repeating: "A", count: 64)),
    ])
    func sanitizesFieldNames(name: String, expected: String) {
        #expect(JournalEntry.fieldName(name) == expected)
    }
}

/// Records what a sink would have handed to sd_journal_sendv.
final class SendRecorder: Sendable {
    let calls = Mutex<[[String]]>([])
    let result: Int32

    init(result: Int32 = 0) {
        self.result = result
    }

    func send(_ vectors: UnsafePointer<iovec>, _ count: Int32) -> Int32 {
        let fields = (0..<Int(count)).map { index in
            let vector = vectors[index]
            return String(
                decoding: UnsafeRawBufferPointer(start: vector.iov_base, count: vector.iov_len),
                as: UTF8.self
            )
        }
        calls.withLock { $0.append(fields) }
        return result
    }
}

@Suite struct SystemdJournalSinkTests {
    @Test func sendsOneIOVectorPerFieldWithNewlinesIntact() throws {
        let recorder = SendRecorder()
        let sink = SystemdJournalSink(send: recorder.send)
        try sink.write(
            JournalEntry(
                message: "Line one\nline two",
                priority: .warning,
                fields: [("reminder-key", "exam@2025-06-02"), ("EMPTY", ""), ("UNICODE", "Prüfung ✓")]
            )
        )
        #expect(
            recorder.calls.withLock { $0 } == [
                [
                    "MESSAGE=Line one\nline two", "PRIORITY=4", "REMINDER_KEY=exam@2025-06-02", "EMPTY=",
                    "UNICODE=Prüfung ✓",
                ]
            ]
        )
    }

    @Test func throwsTheErrnoOfANegativeResult() {
        let sink = SystemdJournalSink(send: SendRecorder(result: -ENOSPC).send)
        #expect(throws: SystemCallError("sd_journal_sendv", errno: .noSpace)) {
            try sink.write(JournalEntry(message: "x"))
        }
        #expect(
            SystemCallError("sd_journal_sendv", errno: .noSpace).description
                == "sd_journal_sendv: No space left on device"
        )
    }
}

@Suite struct JournalDetectorTests {
    let directory = TemporaryDirectory()

    @Test func findsASocket() {
        let socket = NotifySocketStub(address: directory.file("socket"))
        _ = socket
        #expect(JournalDetector(socketPath: directory.file("socket")).isJournalAvailable)
    }

    @Test func aRegularFileOrNothingIsNoJournal() {
        writeFile(directory.file("file"), [])
        #expect(!JournalDetector(socketPath: directory.file("file")).isJournalAvailable)
        #expect(!JournalDetector(socketPath: directory.file("missing")).isJournalAvailable)
    }

    @Test func fallsBackToStderrWithoutJournal() {
        let sink = JournalDetector(socketPath: directory.file("missing")).sink(fallbackDescriptor: 7)
        #expect((sink as? StderrSink)?.descriptor == 7)
    }

    @Test func usesTheJournalWhenThere() {
        let socket = NotifySocketStub(address: directory.file("socket"))
        _ = socket
        #expect(JournalDetector(socketPath: directory.file("socket")).sink() is SystemdJournalSink)
    }
}

@Suite struct JournalReaderTests {
    let directory = TemporaryDirectory()

    @Test func noJournalFilesMeansNil() {
        let reader = JournalReader(source: .directory(directory.path))
        #expect(reader.values(of: "REMINDER_KEY", matching: [], since: nil) == nil)
    }

    @Test func missingDirectoryMeansNil() {
        let reader = JournalReader(source: .directory(directory.file("missing")))
        #expect(reader.values(of: "REMINDER_KEY", matching: [], since: nil) == nil)
    }

    static var journaldIsRunning: Bool {
        JournalDetector().isJournalAvailable
    }

    /// Writes through journald and reads back: runs only where journald runs (CI may have none).
    @Test(.enabled(if: journaldIsRunning), .timeLimit(.minutes(1)))
    func readsBackWhatTheSinkWrote() async throws {
        let run = "\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let since = WallTime(seconds: Int64(time(nil)) - 1)
        let sink = SystemdJournalSink()
        let dueID = "0f6f3f8bd2a44c0c9a6e6d35c1a3e1a1"
        let otherID = "9b2c2c7e5e6b4e5b8d0b2f0b4a9e1c22"
        try sink.write(
            JournalEntry(message: "due", fields: [("MESSAGE_ID", dueID), ("TEST_RUN", run), ("REMINDER_KEY", "a")])
        )
        try sink.write(
            JournalEntry(message: "other", fields: [("MESSAGE_ID", otherID), ("TEST_RUN", run), ("REMINDER_KEY", "b")])
        )
        try sink.write(
            JournalEntry(
                message: "unrelated",
                fields: [("MESSAGE_ID", dueID), ("TEST_RUN", "x"), ("REMINDER_KEY", "c")]
            )
        )
        try sink.write(
            JournalEntry(
                message: "multi\nline",
                fields: [("MESSAGE_ID", dueID), ("TEST_RUN", run), ("REMINDER_KEY", "d\ne")]
            )
        )

        let reader = JournalReader()
        let matches = [JournalMatch("MESSAGE_ID", anyOf: [dueID, otherID]), JournalMatch("TEST_RUN", run)]
        // journald stores asynchronously: read until the three matching entries are there (the time limit bounds it).
        var keys = reader.values(of: "REMINDER_KEY", matching: matches, since: since)
        while keys?.count != 3 {
            try #require(keys != nil)
            await Task.yield()
            keys = reader.values(of: "REMINDER_KEY", matching: matches, since: since)
        }
        #expect(keys == ["a", "b", "d\ne"])
        #expect(
            reader.values(of: "REMINDER_KEY", matching: matches, since: WallTime(seconds: Int64(time(nil)) + 3600))
                == []
        )
    }
}
