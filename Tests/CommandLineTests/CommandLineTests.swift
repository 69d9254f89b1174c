import DaemonTesting
import Dispatch
import Foundation
import Synchronization
import Testing

/// The `sse-timeline` binary that `swift build` put beside the test bundle.
let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("sse-timeline").path

/// A run of the binary: exit status, standard output and standard error.
struct Run {
    var status: Int32
    var output: String
    var error: String
}

/// Runs `sse-timeline arguments` to completion.
func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    // Both pipes are read to the end before waiting, so that a full pipe cannot block the child.
    let errorData = Mutex(Data())
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) {
        let data = error.fileHandleForReading.readDataToEndOfFile()
        errorData.withLock { $0 = data }
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Run(
        status: process.terminationStatus,
        output: String(decoding: outputData, as: UTF8.self),
        error: String(decoding: errorData.withLock { $0 }, as: UTF8.self)
    )
}

/// The command line's own contract: usage errors, the JSON it prints.
@Suite("Command line", .enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
struct CommandLineTests {
    let directory = TemporaryDirectory()

    @Test func aTimeThatIsNotOneIsAUsageErrorNamingTheOptionAndTheAcceptedForms() throws {
        let result = try run(["list", "--default-timeline", "--to", "tomorrow"])
        #expect(result.status == 64)
        #expect(
            result.error.contains(
                "--to: \"tomorrow\" is not a date or time; accepted: now, 2026-06-10, 2026-06-10T09:30, "
                    + "2026-06-10T09:30:00Z, 2026-06-10T09:30:00+02:00"
            )
        )
    }

    @Test func jsonEscapesTextAndKeepsTheDocumentedKeyOrder() throws {
        let config = directory.file("t.toml")
        writeFile(
            config,
            Array(
                #"""
                [[milestone]]
                id = "q"
                title = "quote \" slash \\ tab \t bell \u0007"
                start = 2030-01-01T12:00:00Z
                reminders = ["1 hour before"]
                """#.utf8
            )
        )
        let result = try run(["next", "--config", config, "--now", "2030-01-01T10:00:00Z", "--count", "1", "--json"])
        #expect(result.status == 0)
        #expect(
            result.output == """
                [
                  {
                    "kind": "reminder",
                    "due": "2030-01-01T11:00:00+00:00",
                    "milestone": "q",
                    "title": "quote \\" slash \\\\ tab \\t bell \\u0007",
                    "occurrence": "2030-01-01T12:00:00+00:00",
                    "reminder": "1 hour before",
                    "priority": "notice",
                    "key": "q|2030-01-01T12:00:00|1 hour before",
                    "in_seconds": 3600
                  }
                ]

                """
        )
    }
    @Test func validatePrintsTheWarningsOfAnICalendarDropInAndStaysValid() throws {
        let config = directory.file("t.toml")
        writeFile(config, Array("[defaults]\n".utf8))
        _ = mkdir(directory.file("t.d"), 0o755)
        writeFile(
            directory.file("t.d/cal.ics"),
            Array(
                """
                BEGIN:VCALENDAR\r
                BEGIN:VEVENT\r
                UID:good\r
                SUMMARY:Good\r
                DTSTART;TZID=W. Europe Standard Time:20300607T090000\r
                END:VEVENT\r
                BEGIN:VEVENT\r
                UID:bad\r
                SUMMARY:Bad\r
                DTSTART:tomorrow\r
                END:VEVENT\r
                END:VCALENDAR\r

                """.utf8
            )
        )
        let result = try run(["validate", "--config", config, "--now", "2030-01-01T00:00:00Z"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("valid: 1 milestone"))
        #expect(result.output.contains("(1 warnings)"))
        #expect(
            result.error.contains(
                "t.d/cal.ics:10:9: warning: DTSTART = \"tomorrow\": not a date or date-time (the VEVENT of line 7 is skipped)"
            )
        )
    }

    @Test func exportAsJSONSaysWhereRemindersGoAndHowTheyAreFollowedUp() throws {
        let config = directory.file("t.toml")
        writeFile(
            config,
            Array(
                """
                [defaults]
                notify = ["desktop"]

                [[milestone]]
                id = "exam"
                title = "Exam"
                start = 2030-01-01T12:00:00Z
                snooze = ["5 minutes"]
                reminders = ["1 day before", { at = "1 hour before", repeat = { every = "5 minutes", times = 3 } }]
                """.utf8
            )
        )
        let result = try run(["export", "--format", "json", "--config", config])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let defaults = try #require(json["defaults"] as? [String: Any])
        #expect(defaults["notify"] as? [String] == ["journal", "desktop"])
        #expect(defaults["snooze_seconds"] as? [Int] == [600, 3600])
        #expect(defaults["repeat"] is NSNull)
        let milestone = try #require((json["milestones"] as? [[String: Any]])?.first)
        #expect(milestone["notify"] as? [String] == ["journal", "desktop"])
        #expect(milestone["snooze_seconds"] as? [Int] == [300])
        let reminders = try #require(milestone["reminders"] as? [[String: Any]])
        #expect(reminders[0]["repeat"] == nil)
        #expect(reminders[1]["repeat"] as? [String: Int] == ["every_seconds": 300, "times": 3])
    }
}
