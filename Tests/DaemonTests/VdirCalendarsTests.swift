import DaemonTesting
import Foundation
import Testing
import Timeline

@testable import Daemon

/// An item file: one event at `start` (UTC, `YYYYMMDDTHHMMSSZ`) with a VALARM `trigger` (none: no alarm).
func vdirEvent(_ uid: String, _ summary: String, _ start: String, trigger: String? = "-PT15M", extra: String = "")
    -> String
{
    var lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//test//EN", "BEGIN:VEVENT", "UID:\(uid)",
        "DTSTAMP:20261201T000000Z", "DTSTART:\(start)", "SUMMARY:\(summary)",
    ]
    if let trigger {
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:\(summary)", "TRIGGER:\(trigger)"]
        if !extra.isEmpty { lines.append(extra) }
        lines.append("END:VALARM")
    }
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return lines.joined(separator: "\r\n") + "\r\n"
}

/// Writes `text` at `path`, replacing it by a rename as vdir writers do.
func writeItem(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// A config in `directory` with one calendar on `vdir`.
func calendarConfig(_ directory: TemporaryDirectory, vdir: String, extra: String = "") throws -> TimelineSource {
    try "[[calendar]]\nname = \"team\"\nvdir = \"\(vdir)\"\ntags = [\"work\"]\n\(extra)".write(
        toFile: directory.file("timeline.toml"),
        atomically: true,
        encoding: .utf8
    )
    return TimelineSource(explicitPath: directory.file("timeline.toml"), environment: ["TZ": "UTC"])
}

@Suite("VdirCalendars")
struct VdirCalendarsTests {
    let directory = TemporaryDirectory()

    func load(_ source: TimelineSource, _ calendars: VdirCalendars) throws -> TimelineConfig {
        try source.load(calendars: calendars).get().config
    }

    @Test func readsADirectoryOfCollectionsSkippingHiddenAndTemporaryFiles() throws {
        let vdir = directory.file("calendars")
        for name in ["calendars", "calendars/work", "calendars/home", "calendars/.hidden"] {
            mkdir(directory.file(name), 0o755)
        }
        try writeItem(vdirEvent("a@x", "Planning", "20270105T100000Z"), to: vdir + "/work/a.ics")
        try writeItem(vdirEvent("b@x", "Hidden", "20270105T100000Z"), to: vdir + "/work/.b.ics")
        try writeItem(vdirEvent("c@x", "Half written", "20270105T100000Z"), to: vdir + "/work/c.ics.tmp")
        try writeItem(vdirEvent("d@x", "In a hidden collection", "20270105T100000Z"), to: vdir + "/.hidden/d.ics")
        try writeItem(vdirEvent("e@x", "Dentist", "20270106T080000Z", trigger: nil), to: vdir + "/home/e.ics")
        try writeItem("Work\n", to: vdir + "/work/displayname")
        try writeItem("#ff8800\n", to: vdir + "/work/color")
        let source = try calendarConfig(directory, vdir: vdir, extra: "reminders = [\"1 hour before\"]\n")
        let calendars = VdirCalendars(home: nil)
        let config = try load(source, calendars)
        #expect(config.milestones.map(\.id).sorted() == ["team-a", "team-e"])
        let planning = try #require(config.milestones.first { $0.id == "team-a" })
        #expect(planning.tags == ["work"])
        #expect(planning.reminders.map(\.identity) == ["15 minutes before"])
        // An item without a VALARM gets the calendar's reminders.
        #expect(config.milestones.first { $0.id == "team-e" }?.reminders.map(\.text) == ["1 hour before"])
        #expect(calendars.items["team-a"]?.path == vdir + "/work/a.ics")
        #expect(calendars.items["team-a"]?.component.uid == "a@x")
        let status = try #require(calendars.statuses.first)
        #expect(status.name == "team" && status.path == vdir)
        #expect(status.itemCount == 2 && status.milestoneCount == 2)
        #expect(status.displayName == "Work" && status.color == "#ff8800")
        #expect(status.lastSuccess != nil && status.lastError == nil)
        #expect(Set(calendars.directories) == [vdir, vdir + "/home", vdir + "/work"])
    }

    @Test func rereadsOnlyChangedFilesAndSaysEachProblemOnce() throws {
        let vdir = directory.file("team")
        mkdir(vdir, 0o755)
        for n in 0..<20 {
            try writeItem(vdirEvent("item-\(n)", "Item \(n)", "20270105T100000Z"), to: "\(vdir)/\(n).ics")
        }
        try writeItem("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:bad\r\nDTSTART:nonsense\r\nEND:VEVENT\r\n", to: vdir + "/bad.ics")
        let source = try calendarConfig(directory, vdir: vdir)
        let calendars = VdirCalendars(home: nil)
        let first = try load(source, calendars)
        #expect(calendars.parsedCount == 21)
        #expect(first.milestones.count == 20)
        let badWarnings = first.warnings.filter { $0.location.file == vdir + "/bad.ics" }
        #expect(!badWarnings.isEmpty && badWarnings.allSatisfy { $0.severity == .warning })
        #expect(calendars.statuses.first?.lastError?.hasPrefix(vdir + "/bad.ics:") == true)

        let second = try load(source, calendars)
        #expect(calendars.parsedCount == 0)
        #expect(second.milestones.count == 20)
        #expect(!second.warnings.contains { $0.location.file.hasPrefix(vdir) })

        try writeItem(vdirEvent("item-3", "Item 3, renamed", "20270105T100000Z"), to: vdir + "/3.ics")
        unlink(vdir + "/bad.ics")
        let third = try load(source, calendars)
        #expect(calendars.parsedCount == 1)
        #expect(third.milestones.first { $0.id == "team-item-3" }?.title == "Item 3, renamed")
        #expect(calendars.statuses.first?.lastError == nil)
    }

    @Test func aMissingDirectoryIsAWarningNotAnError() throws {
        let source = try calendarConfig(directory, vdir: directory.file("not-synced-yet"))
        let calendars = VdirCalendars(home: nil)
        let config = try load(source, calendars)
        let warning = try #require(config.warnings.first)
        #expect(warning.severity == .warning)
        #expect(warning.location == SourceLocation(file: directory.file("timeline.toml"), line: 3, column: 8))
        #expect(warning.message.contains("calendar \"team\""))
        #expect(calendars.statuses.first?.lastSuccess == nil)
        #expect(calendars.statuses.first?.lastError != nil)
    }

    @Test func homeIsExpanded() {
        #expect(VdirCalendars(home: "/home/ann").expand("~/cal") == "/home/ann/cal")
        #expect(VdirCalendars(home: nil).expand("~/cal") == nil)
        #expect(VdirCalendars(home: nil).expand("/srv/cal") == "/srv/cal")
    }
}

/// A `[[calendar]]` with `url`: the daemon reads the feed's last good copy from its state directory, makes the
/// directory so that it is watched before the first fetch, and shows the last fetch in its status.
@Suite("Feed calendars")
struct FeedCalendarsTests {
    let directory = TemporaryDirectory()

    @Test func theDaemonReadsTheCopyAndShowsTheLastFetch() throws {
        try "[[calendar]]\nname = \"team\"\nurl = \"https://example.org/team.ics\"\n".write(
            toFile: directory.file("timeline.toml"), atomically: true, encoding: .utf8)
        var source = TimelineSource(explicitPath: directory.file("timeline.toml"), environment: ["TZ": "UTC"])
        source.stateDirectory = directory.file("state")
        let calendars = VdirCalendars(home: nil)
        var config = try source.load(calendars: calendars).get().config
        let cache = FeedCache(stateDirectory: directory.file("state"))
        // Made at load, empty: never fetched yet.
        #expect(FileStatus.isDirectory(cache.collectionPath("team")))
        #expect(config.calendars.first?.vdir == cache.collectionPath("team"))
        #expect(config.milestones.isEmpty)

        try writeItem(vdirEvent("one@test", "From the feed", "20300101T090000Z"), to: cache.copyPath("team"))
        var status = FeedCache.Status()
        status.lastSuccess = 1_900_000_000
        status.lastError = "HTTP status 503"
        try cache.save(status, for: "team")
        config = try source.load(calendars: calendars).get().config
        #expect(config.milestones.map(\.title) == ["From the feed"])
        // A feed dismisses locally: nothing is written into the copy.
        #expect(config.calendars.first?.readOnly == true)
        let shown = try #require(calendars.currentStatuses.first)
        #expect(shown.lastSuccess == Instant(secondsSinceEpoch: 1_900_000_000))
        #expect(shown.lastError == "fetch: HTTP status 503")
        #expect(shown.itemCount == 1)
    }
}
