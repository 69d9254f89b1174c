import DaemonTesting
import Glibc
import Testing

@testable import Daemon

@Suite struct StderrLineTests {
    @Test func formatsPriorityMessageAndFields() {
        let entry = JournalEntry(
            message: "Exam in 15 minutes",
            priority: .notice,
            fields: [("MESSAGE_ID", "6b1c"), ("REMINDER_KEY", "exam 2025-06-02"), ("NOTE", "line one\nline two")]
        )
        #expect(
            StderrLine.format(entry)
                == #"<5>Exam in 15 minutes [MESSAGE_ID=6b1c REMINDER_KEY="exam 2025-06-02" NOTE="line one\nline two"]"#
        )
    }

    @Test func formatsAnEntryWithoutFieldsAsPriorityAndMessage() {
        #expect(StderrLine.format(JournalEntry(message: "Hello", priority: .info)) == "<6>Hello")
    }

    @Test(arguments: [
        ("", #""""#),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("two words", #""two words""#),
        (#"say "hi""#, #""say \"hi\"""#),
        ("back\\slash", #""back\\slash""#),
        ("[x]", #""[x]""#),
        ("cr\rlf\n", #""cr\rlf\n""#),
        ("tab\there", "\"tab\there\""),
    ])
    func quotesValuesOnlyWhenNeeded(value: String, written: String) {
        #expect(StderrLine.format(JournalEntry(message: "m", fields: [("K", value)])) == "<6>m [K=\(written)]")
    }

    @Test func escapesNewlinesInTheMessage() {
        let line = StderrLine.format(JournalEntry(message: "one\ntwo\\three\r", priority: .error))
        #expect(line == #"<3>one\ntwo\\three\r"#)
        #expect(!line.contains("\n"))
    }

    @Test func guardsAMessageThatLooksLikeAFieldList() {
        let entry = JournalEntry(message: "Room [A=1]", priority: .info)
        #expect(StderrLine.format(entry) == #"<6>Room \[A=1]"#)
        #expect(StderrLine.parse(StderrLine.format(entry)) == entry)
    }

    @Test func leavesOrdinaryBracketsAlone() {
        let entry = JournalEntry(message: "[SSE] Exam [room 3]", priority: .info, fields: [("K", "v")])
        #expect(StderrLine.format(entry) == "<6>[SSE] Exam [room 3] [K=v]")
    }

    @Test func parsesWhatItFormats() throws {
        let entry = JournalEntry(
            message: "Exam [room 3]\nbring ID",
            priority: .notice,
            fields: [("MESSAGE_ID", "6b1c"), ("REMINDER_KEY", "exam 2025-06-02"), ("EMPTY", ""), ("Q", #"a "b" [c]"#)]
        )
        let line = StderrLine.format(entry)
        #expect(StderrLine.parse(line) == entry)
        #expect(StderrLine.parse(line + "\n") == entry)
    }

    @Test(arguments: [
        JournalEntry(fields: [("MESSAGE", "no priority")]),
        JournalEntry(fields: [("MESSAGE", "<5>looks like a priority")]),
        JournalEntry(fields: [("MESSAGE", "x [A=1] [B=2]")]),
        JournalEntry(fields: [("MESSAGE", "x []")]),
        JournalEntry(fields: [("MESSAGE", "")]),
        JournalEntry(fields: [("MESSAGE", ""), ("PRIORITY", "2"), ("A", "1")]),
        JournalEntry(fields: [("MESSAGE", #"p [A="x"#), ("PRIORITY", "6"), ("B", " Y=1")]),
        JournalEntry(fields: [("MESSAGE", #"trailing \"#), ("PRIORITY", "6")]),
        JournalEntry(fields: [("MESSAGE", "emoji 🎓 and é"), ("PRIORITY", "6"), ("K", "ü ✓")]),
    ])
    func roundTrips(entry: JournalEntry) {
        #expect(StderrLine.parse(StderrLine.format(entry)) == entry)
    }

    @Test func roundTripsRandomEntries() {
        var generator = SplitMix64(seed: 0x5EED)
        let alphabet: [Character] = [
            "a", "Z", " ", "[", "]", "\"", "\\", "\n", "\r", "=", "<", ">", "5", "é", "\t", "_",
        ]
        func text() -> String {
            String(
                (0..<Int(generator.next() % 12)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            )
        }
        for _ in 0..<2_000 {
            let fields = (0..<Int(generator.next() % 4)).map { index in (name: "F\(index)", value: text()) }
            let entry =
                generator.next() % 2 == 0
                ? JournalEntry(message: text(), priority: .info, fields: fields)
                : JournalEntry(fields: [("MESSAGE", text())] + fields)
            let line = StderrLine.format(entry)
            #expect(!line.contains("\n") && !line.contains("\r"))
            #expect(StderrLine.parse(line) == entry, "\(line)")
        }
    }

    @Test func malformedFieldListsStayInTheMessage() {
        #expect(StderrLine.parse("<6>x [a=1]") == JournalEntry(fields: [("MESSAGE", "x [a=1]"), ("PRIORITY", "6")]))
        #expect(StderrLine.parse(#"<6>x [A="open]"#)?.message == #"x [A="open]"#)
        #expect(StderrLine.parse("<9>x")?.message == "<9>x")
    }
}

/// A deterministic generator, so a failing random case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

@Suite struct StderrSinkTests {
    let directory = TemporaryDirectory()

    @Test func writesOneLinePerEntry() throws {
        let path = directory.file("ledger")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        defer { close(descriptor) }
        let sink = StderrSink(descriptor: descriptor)
        let first = JournalEntry(message: "first\nsecond", priority: .notice, fields: [("REMINDER_KEY", "a b")])
        let second = JournalEntry(message: "third", priority: .info)
        try sink.write(first)
        try sink.write(second)
        let lines = String(decoding: try #require(readFile(path)), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.map { StderrLine.parse($0) } == [first, second])
    }

    @Test func writesIntoAPipe() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let entry = JournalEntry(message: "through a pipe", priority: .warning, fields: [("K", "v")])
        try StderrSink(descriptor: ends[1]).write(entry)
        close(ends[1])
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
        #expect(String(decoding: buffer[..<count], as: UTF8.self) == "<4>through a pipe [K=v]\n")
    }

    @Test func throwsWhenTheDescriptorRefuses() {
        let descriptor = open("/dev/full", O_WRONLY | O_CLOEXEC)
        defer { close(descriptor) }
        #expect(throws: SystemCallError.self) {
            try StderrSink(descriptor: descriptor).write(JournalEntry(message: "x"))
        }
        #expect(throws: SystemCallError.self) {
            try StderrSink(descriptor: -1).write(JournalEntry(message: "x"))
        }
    }
}
