import DaemonTesting
import Foundation
import Testing
import Timeline

@testable import Daemon

@Suite("ConfigFiles")
struct ConfigFilesTests {
    @Test func explicitPathComesFirstWithItsDropIns() {
        let files = ConfigFiles.locate(explicitPath: "/x/my.toml", environment: ["CONFIGURATION_DIRECTORY": "/etc/y"])
        #expect(files.mainPath == "/x/my.toml")
        #expect(files.dropInDirectory == "/x/my.d")
    }

    @Test func configurationDirectoryThenEtcThenEmbedded() throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.path
        let env = ["CONFIGURATION_DIRECTORY": directory]
        // No file yet: the embedded default (the /etc file does not exist on the test machine).
        if !FileManager.default.fileExists(atPath: "/etc/sse-timeline/timeline.toml") {
            #expect(ConfigFiles.locate(explicitPath: nil, environment: env).mainPath == nil)
        }
        try "[[milestone]]\nid = \"a\"\ntitle = \"A\"\nstart = 2030-01-01\n".write(
            toFile: directory + "/timeline.toml",
            atomically: true,
            encoding: .utf8
        )
        let files = ConfigFiles.locate(explicitPath: nil, environment: env)
        #expect(files.mainPath == directory + "/timeline.toml")
        #expect(files.dropInDirectory == directory + "/timeline.d")
    }

    /// A user's config directory with only drop-ins wins over /etc: its drop-ins on the embedded default.
    @Test func aConfigurationDirectoryWithOnlyDropInsIsTheConfig() throws {
        let temporary = TemporaryDirectory()
        mkdir(temporary.file("timeline.d"), 0o755)
        let files = ConfigFiles.locate(explicitPath: nil, environment: ["CONFIGURATION_DIRECTORY": temporary.path])
        #expect(files.mainPath == nil)
        #expect(files.dropInDirectory == temporary.file("timeline.d"))
    }

    @Test func dropInsAreReadInLexicalOrderAndUnreadableOnesAreErrors() throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.path
        try FileManager.default.createDirectory(atPath: directory + "/timeline.d", withIntermediateDirectories: true)
        try "[[milestone]]\nid = \"main\"\ntitle = \"M\"\nstart = 2030-01-01\n".write(
            toFile: directory + "/timeline.toml",
            atomically: true,
            encoding: .utf8
        )
        for name in ["20-b.toml", "10-a.toml", "notes.txt"] {
            try "[[milestone]]\nid = \"\(name.prefix(4))\"\ntitle = \"X\"\nstart = 2030-01-01\n".write(
                toFile: directory + "/timeline.d/" + name,
                atomically: true,
                encoding: .utf8
            )
        }
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/timeline.d/30-loop.toml",
            withDestinationPath: directory + "/timeline.d/30-loop.toml"
        )
        let files = ConfigFiles(mainPath: directory + "/timeline.toml", dropInDirectory: directory + "/timeline.d")
        let (sources, problems) = files.read()
        #expect(sources.map { ($0.name as NSString).lastPathComponent } == ["timeline.toml", "10-a.toml", "20-b.toml"])
        #expect(problems.count == 1)
        #expect(problems[0].location.file.hasSuffix("30-loop.toml"))
        #expect(problems[0].hint?.contains("symbolic link") == true)
    }
}

@Suite("ReminderEntry")
struct ReminderEntryTests {
    @Test func carriesEveryDocumentedField() throws {
        let config = try ConfigLoader(zones: ZoneDatabase(), systemZone: .utc).load([
            ConfigSource(
                name: "t.toml",
                text: """
                    [[milestone]]
                    id = "coop"
                    title = "International Day of Cooperatives"
                    start = 2030-07-06
                    rrule = "FREQ=YEARLY;BYMONTH=7;BYDAY=1SA"
                    timezone = "Europe/Paris"
                    location = "worldwide"
                    tags = ["un", "coop"]
                    source = "https://www.un.org/en/observances/cooperative-day"
                    reminders = [{ at = "30 days before", priority = "warning" }]
                    """
            )
        ])
        let schedule = Schedule(config: config)
        let instance = schedule.next(after: Instant(secondsSinceEpoch: 0), count: 1)[0]
        let entry = ReminderEntry(schedule: schedule).entry(
            for: instance,
            now: WallTime(seconds: instance.due.secondsSinceEpoch, nanoseconds: 1_500_000),
            caughtUp: false
        )
        #expect(entry.message == "International Day of Cooperatives starts in 30 days (2030-07-06, worldwide).")
        #expect(entry.priority == .warning)
        #expect(entry["MESSAGE_ID"] == MessageID.reminderDue)
        #expect(entry["SYSLOG_IDENTIFIER"] == "sse-timeline")
        #expect(entry["MILESTONE_ID"] == "coop")
        #expect(entry["MILESTONE_TITLE"] == "International Day of Cooperatives")
        #expect(entry["MILESTONE_START"] == "2030-07-06")
        #expect(entry["REMINDER"] == "30 days before")
        #expect(entry["DUE_AT"] == "2030-06-06T09:00:00+02:00")
        #expect(entry["LATENESS_USEC"] == "1500")
        #expect(entry["OCCURRENCE"] == "2030-07-06")
        #expect(entry["TAGS"] == "un,coop")
        #expect(entry["SOURCE_URL"] == "https://www.un.org/en/observances/cooperative-day")
        #expect(entry["REMINDER_KEY"] == "coop|2030-07-06T00:00:00|30 days before")
        #expect(entry["CAUGHT_UP"] == nil)
        // One line on stderr, with the <N> prefix, parsed back to the same entry.
        let line = StderrLine.format(entry)
        #expect(line.hasPrefix("<4>International Day of Cooperatives starts in 30 days"))
        #expect(!line.dropLast().contains("\n"))
    }
}

@Suite("State directory")
struct StateDirectoryCreationTests {
    /// A user's ~/.local/state may not exist: the state directory is made with its parents, private to the user.
    @Test func theStateDirectoryIsMadeWithItsParents() throws {
        let temporary = TemporaryDirectory()
        let path = temporary.file("home/.local/state/sse-timeline")
        try DaemonService.makeDirectory(path)
        var status = stat()
        #expect(stat(path, &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFDIR)
        #expect(status.st_mode & 0o777 == 0o700)
        // Again: nothing to do, no error.
        try DaemonService.makeDirectory(path)
    }
}
