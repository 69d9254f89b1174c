import DaemonTesting
import Dispatch
import Foundation
import Glibc
import Testing

/// Lines from a pipe, each waited for with a bound (poll), so that a daemon that never writes fails the test.
final class LineReader {
    private let descriptor: Int32
    private var buffer: [UInt8] = []

    init(_ handle: FileHandle) {
        descriptor = handle.fileDescriptor
    }

    /// The next line, waiting at most `milliseconds` for more bytes each time; nil on timeout or end of file.
    func next(waitingAtMost milliseconds: Int32) -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
            guard poll(&descriptors, 1, milliseconds) > 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return nil }
            buffer += chunk[..<count]
        }
    }

    /// Lines until one contains `text` (returned last), or nil when none came in time.
    func lines(until text: String, waitingAtMost milliseconds: Int32) -> [String]? {
        var lines: [String] = []
        while let line = next(waitingAtMost: milliseconds) {
            lines.append(line)
            if line.contains(text) { return lines }
        }
        return nil
    }
}

/// `sse-timeline run` as systemd runs it: a separate process, talking to a notify socket of the test's own, its
/// entries on stderr. Signals go to the process, as `systemctl reload` and `stop` send them.
@Suite("Daemon process", .enabled(if: FileManager.default.isExecutableFile(atPath: binary)), .timeLimit(.minutes(1)))
struct DaemonProcessTests {
    let directory = TemporaryDirectory()

    /// A timeline with one reminder `seconds` from now (UTC, whole seconds).
    func timelineDue(in seconds: Int) -> String {
        let due = Date(timeIntervalSinceNow: Double(seconds))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return """
            [[milestone]]
            id = "soon"
            title = "Soon"
            start = \(formatter.string(from: due))
            reminders = ["at start"]
            """
    }

    func start(
        config: String,
        notify: NotifySocketStub,
        watchdogMicroseconds: Int? = nil,
        arguments: [String] = [],
        environment extraEnvironment: [String: String] = [:]
    ) throws -> (Process, LineReader) {
        let path = directory.file("timeline.toml")
        writeFile(path, Array(config.utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            ["run", "--config", path, "--state-dir", directory.file("state"), "--log-target", "stderr"] + arguments
        var environment = ["NOTIFY_SOCKET": notify.address, "TZ": "UTC"].merging(extraEnvironment) { $1 }
        if let watchdogMicroseconds { environment["WATCHDOG_USEC"] = String(watchdogMicroseconds) }
        process.environment = environment
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, LineReader(error.fileHandleForReading))
    }

    /// Waits for `process` to end, at most `seconds`; its exit status, or nil if it is still running.
    func exitStatus(_ process: Process, waitingAtMost seconds: Int) -> Int32? {
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        if !process.isRunning { return process.terminationStatus }
        guard ended.wait(timeout: .now() + .seconds(seconds)) == .success else {
            process.terminate()
            return nil
        }
        return process.terminationStatus
    }

    @Test func notifiesSystemdRunsOnOneThreadReloadsAndStops() throws {
        let notify = NotifySocketStub(address: directory.file("notify"))
        let (process, stderr) = try start(config: timelineDue(in: 3), notify: notify, watchdogMicroseconds: 400_000)
        defer { if process.isRunning { process.terminate() } }

        let ready = try #require(notify.receive(until: { $0.contains("READY=1") }, waitingAtMost: 10_000))
        #expect(ready.last?.contains("STATUS=1 milestone, 1 reminder pending; next: Soon, at start") == true)
        // While idle the daemon is one thread: the sd-event loop.
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/task")
        #expect(tasks.count == 1)

        // sd-event pings the watchdog on time (every 200-300 ms of the 400 ms given), also while idle.
        let pings = notify.receive(until: { $0 == "WATCHDOG=1" }, waitingAtMost: 1_000)
        #expect(pings?.last == "WATCHDOG=1")
        #expect(notify.receive(until: { $0 == "WATCHDOG=1" }, waitingAtMost: 1_000)?.last == "WATCHDOG=1")

        kill(process.processIdentifier, SIGHUP)
        let reload = try #require(notify.receive(until: { $0.contains("READY=1") }, waitingAtMost: 10_000))
        #expect(reload.contains { $0.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") })
        #expect(stderr.lines(until: "reloaded", waitingAtMost: 10_000) != nil)

        // The reminder comes out at its instant, from the due timer.
        let reminder = try #require(stderr.lines(until: "MILESTONE_ID=soon", waitingAtMost: 10_000)?.last)
        #expect(reminder.hasPrefix("<5>Soon starts now"))
        let lateness = reminder.split(separator: " ").first { $0.hasPrefix("LATENESS_USEC=") }
        let value = lateness?.dropFirst("LATENESS_USEC=".count).prefix { $0.isNumber }
        let microseconds = try #require(value.flatMap { Int($0) })
        #expect(microseconds < 1_000_000)

        kill(process.processIdentifier, SIGTERM)
        #expect(notify.receive(until: { $0.hasPrefix("STOPPING=1") }, waitingAtMost: 10_000) != nil)
        #expect(exitStatus(process, waitingAtMost: 10) == 0)
    }

    @Test func aTimelineThatCannotLoadAtStartExitsWithEXCONFIG() throws {
        let notify = NotifySocketStub(address: directory.file("notify"))
        let (process, stderr) = try start(config: "[[milestone]]\nid = \"x\"\ntitle = 5\n", notify: notify)
        defer { if process.isRunning { process.terminate() } }
        let lines = try #require(stderr.lines(until: "not starting", waitingAtMost: 10_000))
        #expect(lines.contains { $0.contains("timeline.toml:3:9: error: milestone[0].title") })
        #expect(exitStatus(process, waitingAtMost: 10) == 78)
        #expect(notify.receive() == nil)
    }

    /// `busctl` against the bus at `address`: its standard output, or nil when it failed.
    func busctl(_ address: String, _ arguments: [String]) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/busctl")
        process.arguments = ["--address=\(address)"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    @Test(.enabled(if: TestBus.isAvailable && FileManager.default.isExecutableFile(atPath: "/usr/bin/busctl")))
    func ownsItsBusNameBeforeReadyAndStaysOneThread() throws {
        let bus = TestBus()
        let notify = NotifySocketStub(address: directory.file("notify"))
        let (process, _) = try start(
            config: timelineDue(in: 3600),
            notify: notify,
            arguments: ["--user"],
            environment: ["DBUS_SESSION_BUS_ADDRESS": bus.address]
        )
        defer { if process.isRunning { process.terminate() } }
        _ = try #require(notify.receive(until: { $0.contains("READY=1") }, waitingAtMost: 10_000))

        // The name is owned by the time READY=1 is sent, by the daemon's process.
        let owner = try busctl(
            bus.address,
            [
                "call", "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                "GetConnectionUnixProcessID",
                "s", "io.github.ssetimeline.Timeline1",
            ]
        )
        #expect(owner == "u \(process.processIdentifier)\n")
        // The bus connection lives on the sd-event loop: still one thread.
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/task")
        #expect(tasks.count == 1)

        kill(process.processIdentifier, SIGTERM)
        #expect(exitStatus(process, waitingAtMost: 10) == 0)
    }

    @Test(.enabled(if: TestBus.isAvailable))
    func pendingSnoozeAndDismissTalkToTheRunningDaemon() throws {
        let bus = TestBus()
        let environment = ["DBUS_SESSION_BUS_ADDRESS": bus.address, "TZ": "UTC"]
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        // Whole seconds, an hour ahead: "2 hours before" came due an hour ago (before this first start).
        let startDate = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 3600).rounded(.down))
        let local = String(formatter.string(from: startDate).dropLast())  // 2030-01-01T12:00:00
        let config = """
            [[milestone]]
            id = "soon"
            title = "Soon"
            start = \(formatter.string(from: startDate))
            reminders = ["2 hours before", "at start"]
            """
        let past = "soon|\(local)|2 hours before"
        let upcoming = "soon|\(local)|at start"
        let notify = NotifySocketStub(address: directory.file("notify"))
        let (process, stderr) = try start(
            config: config,
            notify: notify,
            arguments: ["--user"],
            environment: environment
        )
        defer { if process.isRunning { process.terminate() } }
        _ = try #require(notify.receive(until: { $0.contains("READY=1") }, waitingAtMost: 10_000))

        let pending = try run(["--user", "pending", "--json"], environment: environment)
        #expect(pending.status == 0)
        let list = try #require(
            try JSONSerialization.jsonObject(with: Data(pending.output.utf8)) as? [[String: String]]
        )
        #expect(list.map { $0["key"] } == [upcoming])
        #expect(list.first?["state"] == "upcoming")
        #expect(list.first?["due"] == formatter.string(from: startDate).replacingOccurrences(of: "Z", with: "+00:00"))
        let text = try run(["pending", "--user"], environment: environment)
        #expect(text.output.contains("Soon, at start"))
        #expect(text.output.contains("key: 'soon|\(local)|at start'"))

        // Not due for an hour: a snooze of 10 minutes would end before it.
        let early = try run(["--user", "snooze", upcoming, "10 minutes"], environment: environment)
        #expect(early.status == 1)
        #expect(early.error.contains("after the snooze would end"))
        let unknown = try run(["--user", "dismiss", "soon|\(local)|3 hours before"], environment: environment)
        #expect(unknown.status == 1)
        #expect(unknown.error.contains("no reminder \"soon|\(local)|3 hours before\" in the timeline"))
        let badDuration = try run(["--user", "snooze", past, "ten minutes"], environment: environment)
        #expect(badDuration.status == 64)
        #expect(badDuration.error.contains("is not a duration; accepted: amounts with units"))

        // The reminder that came due an hour ago, snoozed for a second, comes back once.
        let snoozed = try run(["--user", "snooze", past, "1 second"], environment: environment)
        #expect(snoozed.status == 0)
        #expect(snoozed.output.hasPrefix("snoozed until "))
        let back = try #require(stderr.lines(until: "MESSAGE_ID=\(MessageIDs.returned)", waitingAtMost: 10_000))
        #expect(back.contains { $0.contains("MESSAGE_ID=\(MessageIDs.snoozed)") })
        #expect(back.last?.contains("REMINDER_KEY=\"\(past)\"") == true)

        let dismissed = try run(["--user", "dismiss", upcoming], environment: environment)
        #expect(dismissed.status == 0)
        #expect(dismissed.output == "dismissed: \(upcoming)\n")
        #expect(try run(["--user", "pending"], environment: environment).output == "nothing is pending\n")

        kill(process.processIdentifier, SIGTERM)
        #expect(exitStatus(process, waitingAtMost: 10) == 0)
        let none = try run(["--user", "pending"], environment: environment)
        #expect(none.status == 1)
        #expect(
            none.error.contains(
                "no sse-timeline daemon is running on the user bus (nobody owns io.github.ssetimeline.Timeline1); "
                    + "start it with: systemctl --user start sse-timeline"
            )
        )
    }
}

/// The MESSAGE_IDs the tests look for (the daemon's `MessageID`, which this target does not import).
enum MessageIDs {
    static let snoozed = "ef00c3c3556f46f7aec4fdd2e846d0ba"
    static let returned = "c6c7298c4669417aa63518f442586c62"
}
