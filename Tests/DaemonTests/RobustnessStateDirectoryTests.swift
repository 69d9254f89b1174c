import DaemonTesting
import Foundation
import Glibc
import Testing
import Timeline

@testable import Daemon

/// The state directory failing under a running scheduler (issue 6): full, read-only, gone, or holding a damaged
/// state file. In each case the reminders keep coming, the problem is logged at PRIORITY=err once (not once per
/// reminder), and once the directory works again the state is saved (with a notice) so that a restart sends
/// nothing twice.
@Suite("Robustness: state directory", .serialized)
struct RobustnessStateDirectoryTests {
    /// The error-level lines about the state.
    func stateErrors(_ harness: SchedulerHarness) -> [String] {
        harness.logs.all.filter { $0.hasPrefix("error") && $0.contains("state") }
    }

    /// Restarts on the same state at `time` and checks that nothing is sent again.
    func expectRestartSendsNothingTwice(_ harness: SchedulerHarness, at time: String) throws {
        let sent = harness.sink.reminders.count
        harness.clock.time = wall(time)
        try harness.start()
        #expect(harness.sink.reminders.count == sent)
        harness.stop()
    }

    /// Mounts a tmpfs of `size` on `path` for the duration of `body` (root only).
    func withTmpfs(_ path: String, size: String, _ body: () throws -> Void) throws {
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(size)") == 0 else {
            Issue.record("cannot mount a tmpfs on \(path) (errno \(errno)); the test did not run")
            return
        }
        defer { umount2(path, Int32(MNT_DETACH)) }
        try body()
    }

    @Test(.enabled(if: geteuid() == 0))
    func fullStateDirectoryKeepsSendingLogsOnceAndSavesWhenThereIsRoomAgain() throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.path
        try withTmpfs(directory, size: "64k") {
            let harness = SchedulerHarness(
                now: wall("2030-01-01T10:00:00Z"),
                config: threeMilestones,
                stateDirectory: directory
            )
            try harness.start()
            // Fill the file system.
            let filler = open(directory + "/filler", O_WRONLY | O_CREAT, 0o644)
            let block = [UInt8](repeating: 0x41, count: 4096)
            while block.withUnsafeBytes({ write(filler, $0.baseAddress, $0.count) }) > 0 {}
            #expect(errno == ENOSPC)
            close(filler)

            harness.advance(to: wall("2030-01-01T11:00:00Z"))
            harness.advance(to: wall("2030-01-01T12:00:00Z"))
            #expect(harness.sink.reminderNames == ["b 1 hour before", "a 1 hour before", "b at start", "a at start"])
            #expect(stateErrors(harness).count == 1)
            #expect(stateErrors(harness).first?.contains("disk full") == true)

            unlink(directory + "/filler")
            harness.advance(to: wall("2030-01-01T13:00:00Z"))
            #expect(harness.sink.reminders.count == 5)
            #expect(stateErrors(harness).count == 1)
            #expect(harness.logs.all.contains { $0.hasPrefix("notice") && $0.contains("the state can be saved again") })
            harness.stop()
            try expectRestartSendsNothingTwice(harness, at: "2030-01-01T13:30:00Z")
        }
    }

    @Test(.enabled(if: geteuid() == 0))
    func readOnlyStateDirectoryKeepsSendingLogsOnceAndSavesWhenWritableAgain() throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.path
        try withTmpfs(directory, size: "1m") {
            #expect(mount("tmpfs", directory, "tmpfs", UInt(MS_REMOUNT | MS_RDONLY), "size=1m") == 0)
            let harness = SchedulerHarness(
                now: wall("2030-01-01T10:00:00Z"),
                config: threeMilestones,
                stateDirectory: directory
            )
            let first = try harness.start()
            #expect(first == wall("2030-01-01T11:00:00Z"))
            harness.advance(to: wall("2030-01-01T11:00:00Z"))
            #expect(harness.sink.reminders.count == 2)
            #expect(stateErrors(harness).count == 1)
            #expect(stateErrors(harness).first?.contains("read-only") == true)

            #expect(mount("tmpfs", directory, "tmpfs", UInt(MS_REMOUNT), "size=1m") == 0)
            harness.advance(to: wall("2030-01-01T12:00:00Z"))
            #expect(harness.sink.reminders.count == 4)
            #expect(stateErrors(harness).count == 1)
            #expect(harness.logs.all.contains { $0.contains("the state can be saved again") })
            harness.stop()
            try expectRestartSendsNothingTwice(harness, at: "2030-01-01T12:30:00Z")
        }
    }

    @Test func stateDirectoryRemovedWhileRunningIsReportedOnceAndSavedWhenBack() throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.path
        let harness = SchedulerHarness(
            now: wall("2030-01-01T10:00:00Z"),
            config: threeMilestones,
            stateDirectory: directory
        )
        try harness.start()
        try FileManager.default.removeItem(atPath: directory)

        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        harness.advance(to: wall("2030-01-01T12:00:00Z"))
        #expect(harness.sink.reminders.count == 4)
        #expect(stateErrors(harness).count == 1)
        #expect(stateErrors(harness).first?.contains("state directory missing") == true)

        mkdir(directory, 0o700)
        harness.advance(to: wall("2030-01-01T13:00:00Z"))
        #expect(harness.sink.reminders.count == 5)
        #expect(harness.logs.all.contains { $0.contains("the state can be saved again") })
        harness.stop()
        try expectRestartSendsNothingTwice(harness, at: "2030-01-01T13:30:00Z")
    }

    /// A torn snapshot, one whose checksum does not match, and one of a future version: each is set aside as
    /// state.bad for a post-mortem, reported once, and replaced; nothing from before the start is sent.
    @Test(arguments: [
        ("torn", "sse-timeline-state 1\nwatermark 1893495600\nsent a|2030-01-01T12:00:00|at st"),
        ("checksum", "sse-timeline-state 1\nwatermark 1893495600\nchecksum 0000000000000000\n"),
        ("future version", "sse-timeline-state 2\nformat = \"json\"\n"),
    ])
    func damagedStateFileIsSetAsideReportedOnceAndReplaced(kind: String, content: String) throws {
        let temporary = TemporaryDirectory()
        let directory = temporary.path
        try content.write(toFile: directory + "/state", atomically: true, encoding: .utf8)
        let harness = SchedulerHarness(
            now: wall("2030-01-01T10:00:00Z"),
            config: threeMilestones,
            stateDirectory: directory
        )
        let first = try harness.start()
        #expect(first == wall("2030-01-01T11:00:00Z"))
        #expect(stateErrors(harness).count == 1)
        #expect(stateErrors(harness).first?.contains(directory + "/state") == true)
        #expect(try String(contentsOfFile: directory + "/state.bad", encoding: .utf8) == content)

        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        #expect(harness.sink.reminders.count == 2)
        #expect(stateErrors(harness).count == 1)
        harness.stop()
        let state = try #require(readFile(directory + "/state"))
        #expect(try StateStore.decode(state, path: "state").watermark == wall("2030-01-01T11:00:00Z").seconds)
    }
}
