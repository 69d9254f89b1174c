import DaemonTesting
import Foundation
import Testing
import Timeline

@testable import Daemon

/// A stand-in for the byte-preserving editor: the line `ACKNOWLEDGED:<at>` (or `X-SNOOZED:<until>`) after the
/// `alarmIndex`-th `BEGIN:VALARM` of the text, which must hold `uid`.
let insertingEditor = AlarmEditor(
    acknowledge: { text, uid, _, index, at in try insert("ACKNOWLEDGED:\(at.secondsSinceEpoch)", text, uid, index) },
    snooze: { text, uid, _, index, until, _ in try insert("X-SNOOZED:\(until.secondsSinceEpoch)", text, uid, index) }
)

private struct NoSuchAlarm: Error {}

private func insert(_ line: String, _ text: String, _ uid: String, _ index: Int) throws -> String {
    guard text.contains("UID:\(uid)\r\n") else { throw NoSuchAlarm() }
    var parts = text.components(separatedBy: "BEGIN:VALARM\r\n")
    guard index + 1 < parts.count else { throw NoSuchAlarm() }
    parts[index + 1] = line + "\r\n" + parts[index + 1]
    return parts.joined(separator: "BEGIN:VALARM\r\n")
}

@Suite("CalendarWriteBack")
struct CalendarWriteBackTests {
    let directory = TemporaryDirectory()
    let logs = LogStore()

    /// A calendar of one item, `a.ics`, read; the write-back on it at 2027-01-05T09:50:00Z.
    func setUp(readOnly: Bool = false, editor: AlarmEditor? = insertingEditor) throws -> (
        CalendarWriteBack, VdirCalendars, String
    ) {
        let vdir = directory.file("team")
        mkdir(vdir, 0o755)
        try writeItem(vdirEvent("a@x", "Planning", "20270105T100000Z"), to: vdir + "/a.ics")
        let source = try calendarConfig(directory, vdir: vdir, extra: readOnly ? "read_only = true\n" : "")
        let calendars = VdirCalendars(home: nil)
        let config = try source.load(calendars: calendars).get().config
        let writeBack = CalendarWriteBack(
            calendars: calendars,
            editor: editor,
            milestones: { config.milestones },
            now: { Instant(secondsSinceEpoch: 1_799_142_600) },
            logger: logs.logger()
        )
        return (writeBack, calendars, vdir + "/a.ics")
    }

    static let key = "team-a|2027-01-05T10:00:00|15 minutes before"

    @Test func aDismissalIsWrittenIntoTheAlarmAtomically() throws {
        let (writeBack, _, path) = try setUp()
        chmod(path, 0o644)
        let mask = umask(0o077)
        defer { umask(mask) }
        let before = try #require(VdirCalendars.FileIdentity.of(path))
        writeBack.followedUp(.dismissed(key: Self.key, due: nil))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("BEGIN:VALARM\r\nACKNOWLEDGED:1799142600\r\nACTION:DISPLAY"))
        // Replaced by a rename: a new inode, and no temporary file left beside it.
        #expect(VdirCalendars.FileIdentity.of(path)?.inode != before.inode)
        var status = stat()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o644)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("team")) == ["a.ics"])
        #expect(logs.all.contains { $0.contains("wrote ACKNOWLEDGED into \(path)") })
    }

    @Test func aDismissalAheadAcknowledgesUpToTheDueTime() throws {
        let (writeBack, _, path) = try setUp()
        writeBack.followedUp(.dismissed(key: Self.key, due: 1_799_999_999))
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("ACKNOWLEDGED:1799999999"))
    }

    @Test func aFileChangedSinceTheReadIsReadAgainAndTheEditMadeOnItsNewText() throws {
        let (writeBack, _, path) = try setUp()
        // Another program rewrote the file after the daemon read it: a second alarm comes first now.
        let changed = vdirEvent("a@x", "Planning", "20270105T100000Z", trigger: "-P1D")
            .replacingOccurrences(
                of: "END:VALARM\r\n",
                with: "END:VALARM\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n"
            )
        try writeItem(changed, to: path)
        writeBack.followedUp(.dismissed(key: Self.key, due: nil))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // The 15-minute alarm is the second one now, and that is the one acknowledged.
        #expect(text.contains("TRIGGER:-P1D\r\nEND:VALARM\r\nBEGIN:VALARM\r\nACKNOWLEDGED:1799142600\r\n"))
    }

    @Test func aWriterBetweenReadAndRenameMakesItReadAgainAndRetry() throws {
        var (writeBack, _, path) = try setUp()
        var interruptions = 0
        writeBack.writer.beforeRename = { path in
            guard interruptions == 0 else { return }
            interruptions += 1
            try? writeItem(
                vdirEvent("a@x", "Planning (edited elsewhere)", "20270105T100000Z"),
                to: path
            )
        }
        writeBack.followedUp(.dismissed(key: Self.key, due: nil))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Nothing lost: the other writer's edit is there, and the acknowledgement too.
        #expect(text.contains("SUMMARY:Planning (edited elsewhere)"))
        #expect(text.contains("ACKNOWLEDGED:1799142600"))
        #expect(interruptions == 1)
        _ = writeBack
    }

    @Test func aFileThatKeepsChangingIsLeftAsItIs() throws {
        var (writeBack, _, path) = try setUp()
        var n = 0
        writeBack.writer.beforeRename = { path in
            n += 1
            try? writeItem(vdirEvent("a@x", "Edit \(n)", "20270105T100000Z"), to: path)
        }
        writeBack.followedUp(.dismissed(key: Self.key, due: nil))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("ACKNOWLEDGED"))
        #expect(n == 3)
        #expect(logs.all.contains { $0.contains("kept changing") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("team")) == ["a.ics"])
    }

    @Test func aSnoozeWritesTheSnoozeAlarm() throws {
        let (writeBack, _, path) = try setUp()
        writeBack.followedUp(.snoozed(key: Self.key, until: 1_799_143_200))
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("X-SNOOZED:1799143200"))
    }

    @Test func readOnlyCalendarsAndTheDefaultRemindersStayLocal() throws {
        let (writeBack, _, path) = try setUp(readOnly: true)
        let before = try String(contentsOfFile: path, encoding: .utf8)
        writeBack.followedUp(.dismissed(key: Self.key, due: nil))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == before)
    }

    @Test func withoutAnEditorDismissalsStayLocalAndTheLogSaysSoOnce() throws {
        let (writeBack, _, path) = try setUp(editor: nil)
        let before = try String(contentsOfFile: path, encoding: .utf8)
        writeBack.followedUp(.dismissed(key: Self.key, due: nil))
        writeBack.followedUp(.dismissed(key: Self.key, due: nil))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == before)
        #expect(logs.all.count { $0.contains("stay local") } == 1)
    }
}

/// The write-back with the core's byte-preserving editor, as the daemon runs it.
@Suite("CalendarWriteBack with AlarmWriteBack")
struct CalendarWriteBackEditorTests {
    let directory = TemporaryDirectory()

    @Test func theBuiltInEditorAcknowledgesAndSnoozesOnlyAlarmsWithAUID() throws {
        let vdir = directory.file("team")
        mkdir(vdir, 0o755)
        let withUID = vdirEvent("b@x", "Review", "20270105T100000Z", extra: "UID:alarm-b")
        try writeItem(vdirEvent("a@x", "Planning", "20270105T100000Z"), to: vdir + "/a.ics")
        try writeItem(withUID, to: vdir + "/b.ics")
        let source = try calendarConfig(directory, vdir: vdir)
        let calendars = VdirCalendars(home: nil)
        let config = try source.load(calendars: calendars).get().config
        let logs = LogStore()
        let writeBack = CalendarWriteBack(
            calendars: calendars,
            editor: CalendarWriteBack.builtInEditor,
            milestones: { config.milestones },
            now: { Instant(secondsSinceEpoch: 1_799_142_600) },
            logger: logs.logger()
        )
        let plain = try String(contentsOfFile: vdir + "/a.ics", encoding: .utf8)
        writeBack.followedUp(.snoozed(key: "team-a|2027-01-05T10:00:00|15 minutes before", until: 1_799_143_200))
        #expect(try String(contentsOfFile: vdir + "/a.ics", encoding: .utf8) == plain)
        writeBack.followedUp(.snoozed(key: "team-b|2027-01-05T10:00:00|15 minutes before", until: 1_799_143_200))
        let snoozed = try String(contentsOfFile: vdir + "/b.ics", encoding: .utf8)
        #expect(snoozed.contains("RELATED-TO;RELTYPE=SNOOZE:alarm-b"))
        #expect(snoozed.contains("TRIGGER;VALUE=DATE-TIME:20270105T100000Z"))
        #expect(snoozed.contains("UID:alarm-b\r\nACKNOWLEDGED:20270105T095000Z\r\n"))
        writeBack.followedUp(.dismissed(key: "team-a|2027-01-05T10:00:00|15 minutes before", due: nil))
        let acknowledged = try String(contentsOfFile: vdir + "/a.ics", encoding: .utf8)
        #expect(acknowledged == plain.replacingOccurrences(of: "TRIGGER:-PT15M\r\n", with: "TRIGGER:-PT15M\r\nACKNOWLEDGED:20270105T095000Z\r\n"))
        #expect(!logs.all.contains { $0.contains("could not") })
    }
}
