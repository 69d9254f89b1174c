import DaemonTesting
import Glibc
import Testing
import Timeline

@testable import Daemon

/// The service manager's double: records what was started and answers with a job path or an error.
final class RecordedUnitManager: UnitManager {
    var units: [String] = []
    var transients: [TransientService] = []
    var failure: BusError?
    var jobRemoved: ((JobResult) -> Void)?
    private var jobs = 0

    func startUnit(_ unit: String, completion: @escaping (Result<BusObjectPath, BusError>) -> Void) {
        units.append(unit)
        completion(answer())
    }

    func startTransient(_ service: TransientService, completion: @escaping (Result<BusObjectPath, BusError>) -> Void) {
        transients.append(service)
        completion(answer())
    }

    private func answer() -> Result<BusObjectPath, BusError> {
        if let failure { return .failure(failure) }
        jobs += 1
        return .success(BusObjectPath("/org/freedesktop/systemd1/job/\(jobs)"))
    }
}

/// `on_due` actions on the manual clock with the service manager's double.
@Suite("Due actions")
struct DueActionRunnerTests {
    let runtime = TemporaryDirectory()
    let manager = RecordedUnitManager()

    func timeline(_ onDue: String, origin: String = "") -> String {
        """
        [[milestone]]
        id = "exam"
        title = "Exam \\"final\\""
        start = 2030-01-01T12:00:00Z
        source = "https://example.org/exam"
        reminders = ["at start"]
        on_due = \(onDue)
        """
    }

    /// A harness whose scheduler runs actions through the double; `trusted` answers the file check.
    func harness(
        _ config: String,
        systemInstance: Bool = false,
        trusted: Bool = true
    ) throws -> (SchedulerHarness, DueActionRunner) {
        let harness = SchedulerHarness(now: wall("2030-01-01T11:00:00Z"), config: config)
        let runner = DueActionRunner(
            manager: manager,
            systemInstance: systemInstance,
            runtimeDirectory: runtime.path,
            write: { try? harness.sink.write($0) },
            trust: { trusted ? nil : "the file \($0) is writable by anyone" }
        )
        harness.prepare = { $0.observers.append(runner) }
        try harness.start()
        return (harness, runner)
    }

    func entries(_ harness: SchedulerHarness, _ id: String) -> [JournalEntry] {
        harness.sink.entries.filter { $0["MESSAGE_ID"] == id }
    }

    @Test func aTemplateStartsWithTheEscapedKeyAndTheFieldsInItsEnvironmentFile() throws {
        let (harness, runner) = try harness(timeline("{ unit = \"notify@.service\" }"))
        harness.advance(to: wall("2030-01-01T12:00:00Z"))
        let unit = "notify@exam\\x7c2030\\x2d01\\x2d01T12:00:00\\x7cat\\x20start.service"
        #expect(manager.units == [unit])
        let started = try #require(entries(harness, MessageID.actionStarted).first)
        #expect(started["UNIT"] == unit)
        #expect(started["JOB"] == "/org/freedesktop/systemd1/job/1")
        #expect(started["REMINDER_KEY"] == "exam|2030-01-01T12:00:00|at start")
        let file = runtime.file("due/exam|2030-01-01T12:00:00|at start.env")
        let text = String(decoding: try #require(readFile(file)), as: UTF8.self)
        #expect(text.contains("SSE_MILESTONE_ID=\"exam\"\n"))
        #expect(text.contains("SSE_MILESTONE_TITLE=\"Exam \\\"final\\\"\"\n"))
        #expect(text.contains("SSE_DUE_AT=\"2030-01-01T12:00:00+00:00\"\n"))
        #expect(text.contains("SSE_SOURCE_URL=\"https://example.org/exam\"\n"))

        manager.jobRemoved?(
            JobResult(id: 1, path: BusObjectPath("/org/freedesktop/systemd1/job/1"), unit: unit, result: "done")
        )
        let finished = try #require(entries(harness, MessageID.actionFinished).first)
        #expect(finished["JOB_RESULT"] == "done")
        #expect(finished.priority == .info)
        #expect(!fileExists(file))
        // Another job's end is not ours.
        manager.jobRemoved?(JobResult(id: 9, path: BusObjectPath("/x/9"), unit: "other.service", result: "failed"))
        #expect(entries(harness, MessageID.actionFinished).count == 1)
        withExtendedLifetime(runner) {}
        harness.stop()
    }

    @Test func aCommandRunsAsATransientServiceWithTheFieldsAsEnvironment() throws {
        let (harness, runner) = try harness(timeline("{ exec = [\"/usr/bin/logger\", \"due\"] }"))
        harness.advance(to: wall("2030-01-01T12:00:00Z"))
        let service = try #require(manager.transients.first)
        #expect(service.command == ["/usr/bin/logger", "due"])
        #expect(service.name.hasPrefix("sse-timeline-exec-exam-"))
        #expect(service.name.hasSuffix(".service"))
        for expected in [
            "SSE_MILESTONE_ID=exam", "SSE_MILESTONE_TITLE=Exam \"final\"", "SSE_DUE_AT=2030-01-01T12:00:00+00:00",
            "SSE_REMINDER=at start", "SSE_SOURCE_URL=https://example.org/exam",
            "SSE_REMINDER_KEY=exam|2030-01-01T12:00:00|at start",
        ] {
            #expect(service.environment.contains(expected), "\(expected)")
        }
        #expect(entries(harness, MessageID.actionStarted).first?["ACTION"] == "exec")
        withExtendedLifetime(runner) {}
        harness.stop()
    }

    @Test func aFileOthersCanWriteStartsNothing() throws {
        let (harness, runner) = try harness(timeline("{ unit = \"notify@.service\" }"), trusted: false)
        harness.advance(to: wall("2030-01-01T12:00:00Z"))
        #expect(manager.units.isEmpty)
        let refused = try #require(entries(harness, MessageID.actionFailed).first)
        #expect(refused.message?.contains("writable by anyone") == true)
        #expect(refused.priority == .warning)
        withExtendedLifetime(runner) {}
        harness.stop()
    }

    @Test func theSystemInstanceStartsOnlyPrefixedUnitsAndRunsNoCommands() throws {
        let config =
            timeline("{ unit = \"notify@.service\" }") + """

                [[milestone]]
                id = "cmd"
                title = "Cmd"
                start = 2030-01-01T12:00:00Z
                reminders = ["at start"]
                on_due = { exec = ["/bin/true"] }

                [[milestone]]
                id = "ok"
                title = "OK"
                start = 2030-01-01T12:00:00Z
                reminders = ["at start"]
                on_due = { unit = "sse-timeline-action-mail@.service" }
                """
        let (harness, runner) = try harness(config, systemInstance: true)
        harness.advance(to: wall("2030-01-01T12:00:00Z"))
        #expect(
            manager.units == ["sse-timeline-action-mail@ok\\x7c2030\\x2d01\\x2d01T12:00:00\\x7cat\\x20start.service"]
        )
        #expect(manager.transients.isEmpty)
        let refusals = entries(harness, MessageID.actionFailed).compactMap(\.message)
        #expect(refusals.count == 2)
        #expect(refusals.contains { $0.contains("starts only units named sse-timeline-action-*") })
        #expect(refusals.contains { $0.contains("runs no commands") })
        withExtendedLifetime(runner) {}
        harness.stop()
    }

    @Test func aRefusedStartIsInTheJournal() throws {
        manager.failure = BusError(
            name: "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired",
            message: "Interactive authentication required."
        )
        let (harness, runner) = try harness(timeline("{ unit = \"notify@.service\" }"))
        harness.advance(to: wall("2030-01-01T12:00:00Z"))
        let failed = try #require(entries(harness, MessageID.actionFailed).first)
        #expect(failed["ERROR"] == "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired")
        #expect(try FileReader.list(runtime.path + "/due").get().isEmpty)
        withExtendedLifetime(runner) {}
        harness.stop()
    }

    @Test(arguments: [
        ("exam|2030-01-01T12:00:00|at start", "exam\\x7c2030\\x2d01\\x2d01T12:00:00\\x7cat\\x20start"),
        ("/a/b.c", "-a-b.c"),
        (".hidden", "\\x2ehidden"),
        ("ünï", "\\xc3\\xbcn\\xc3\\xaf"),
    ])
    func escapesAsSystemdEscapeDoes(text: String, escaped: String) {
        #expect(DueActionRunner.escape(text) == escaped)
    }
}

/// Who controls a config file.
@Suite struct ConfigTrustTests {
    let directory = TemporaryDirectory()

    @Test func ownFilesAreTrustedAndWritableByOthersAreNot() throws {
        let path = directory.file("t.toml")
        writeFile(path, Array("".utf8))
        chmod(directory.path, 0o755)
        chmod(path, 0o644)
        #expect(ConfigTrust.problem(with: path) == nil)
        chmod(path, 0o646)
        #expect(ConfigTrust.problem(with: path)?.contains("writable by anyone") == true)
        chmod(path, 0o664)
        #expect(ConfigTrust.problem(with: path)?.contains("writable by its group") == true)
        chmod(path, 0o644)
        chmod(directory.path, 0o775)
        #expect(ConfigTrust.problem(with: path)?.contains("its directory") == true)
        chmod(directory.path, 0o755)
        // Another instance's user: root's files are trusted by every instance, a user's only by that user's.
        let other = ConfigTrust.problem(with: path, euid: 4242)
        if getuid() == 0 {
            #expect(other == nil)
        } else {
            #expect(other?.contains("neither root nor this instance's user") == true)
        }
    }
}
