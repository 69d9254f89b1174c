import DaemonTesting
import Foundation
import Glibc
import Synchronization
import Testing
import Timeline

@testable import Daemon

/// The bad-input catalogue of issue 6 for config files on disk: unreadable files and directories, symlink loops
/// in timeline.d/, a file that changes while it is read, a 100 MB file. Each gives a diagnostic naming the
/// path with what to do, and `validate` exits 1.
@Suite("Robustness: config files")
struct RobustnessConfigFilesTests {
    static let milestone = "[[milestone]]\nid = \"a\"\ntitle = \"A\"\nstart = 2030-01-01\n"

    /// A config directory with `timeline.toml` and an empty `timeline.d/`.
    func makeConfig() throws -> (directory: TemporaryDirectory, files: ConfigFiles) {
        let directory = TemporaryDirectory()
        try Self.milestone.write(toFile: directory.file("timeline.toml"), atomically: true, encoding: .utf8)
        mkdir(directory.file("timeline.d"), 0o755)
        return (
            directory,
            ConfigFiles(mainPath: directory.file("timeline.toml"), dropInDirectory: directory.file("timeline.d"))
        )
    }

    /// `sse-timeline validate --config main` run as user nobody when we are root (root reads every file), so that
    /// permissions apply: exit status and stderr.
    func validateAsNobody(_ main: String) throws -> (status: Int32, stderr: String) {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("sse-timeline").path
        let process = Process()
        if geteuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = [
                "--reuid=65534", "--regid=65534", "--clear-groups", binary, "validate", "--config", main,
            ]
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["validate", "--config", main]
        }
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static var canRunTheBinaryAsNobody: Bool {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("sse-timeline").path
        return FileManager.default.isExecutableFile(atPath: binary)
            && (geteuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"))
    }

    @Test(.enabled(if: canRunTheBinaryAsNobody))
    func unreadableFileAndDirectoryAreErrorsNamingThePathWithWhatToDo() throws {
        // A world-readable tree (nobody must reach it), holding an unreadable drop-in and an unreadable directory.
        let directory = TemporaryDirectory()
        chmod(directory.path, 0o755)
        try Self.milestone.write(toFile: directory.file("timeline.toml"), atomically: true, encoding: .utf8)
        chmod(directory.file("timeline.toml"), 0o644)
        mkdir(directory.file("timeline.d"), 0o755)
        try Self.milestone.replacingOccurrences(of: "\"a\"", with: "\"b\"")
            .write(toFile: directory.file("timeline.d/10-secret.toml"), atomically: true, encoding: .utf8)
        chmod(directory.file("timeline.d/10-secret.toml"), 0o600)

        let file = try validateAsNobody(directory.file("timeline.toml"))
        #expect(file.status == 1)
        #expect(
            file.stderr.contains(
                "\(directory.file("timeline.d/10-secret.toml")):1:1: error: cannot open the file: Permission denied"
            )
        )
        #expect(file.stderr.contains("check the permissions of the file and its directories"))

        chmod(directory.file("timeline.d"), 0o700)
        let folder = try validateAsNobody(directory.file("timeline.toml"))
        #expect(folder.status == 1)
        #expect(
            folder.stderr.contains(
                "\(directory.file("timeline.d")):1:1: error: cannot read the directory: Permission denied"
            )
        )
        #expect(folder.stderr.contains("1 error; the timeline was not loaded"))
    }

    @Test func symlinkLoopsBetweenDropInsAndOfTheDirectoryAreErrors() throws {
        let (directory, files) = try makeConfig()
        symlink(directory.file("timeline.d/20-b.toml"), directory.file("timeline.d/10-a.toml"))
        symlink(directory.file("timeline.d/10-a.toml"), directory.file("timeline.d/20-b.toml"))
        let (sources, problems) = files.read()
        #expect(sources.map(\.name) == [directory.file("timeline.toml")])
        #expect(
            problems.map(\.location.file) == [
                directory.file("timeline.d/10-a.toml"), directory.file("timeline.d/20-b.toml"),
            ]
        )
        #expect(problems.allSatisfy { $0.message.contains("Too many levels of symbolic links") })
        #expect(problems.allSatisfy { $0.hint == "a symbolic link points back at itself; fix or remove it" })
        // The load fails as a whole: the good files' milestones are not half-loaded.
        guard case .failure(let error) = files.load(loader: ConfigLoader()) else {
            Issue.record("a config with a symlink loop loaded")
            return
        }
        #expect(error.errors.count == 2)

        // timeline.d itself a link to itself: reported (lstat sees the entry, listing it fails with ELOOP).
        let (other, _) = try makeConfig()
        rmdir(other.file("timeline.d"))
        symlink(other.file("timeline.d"), other.file("timeline.d"))
        let looped = ConfigFiles(mainPath: other.file("timeline.toml"), dropInDirectory: other.file("timeline.d"))
        let (_, loopProblems) = looped.read()
        #expect(loopProblems.count == 1)
        #expect(loopProblems.first?.location.file == other.file("timeline.d"))
        #expect(loopProblems.first?.hint?.contains("symbolic link") == true)
    }

    @Test func hundredMegabyteFileIsRefusedWithoutReadingIt() throws {
        let (directory, files) = try makeConfig()
        let descriptor = open(directory.file("timeline.d/50-huge.toml"), O_WRONLY | O_CREAT, 0o644)
        #expect(ftruncate(descriptor, 100 << 20) == 0)  // Sparse: nothing is written or read.
        close(descriptor)
        let (sources, problems) = files.read()
        #expect(sources.count == 1)
        #expect(problems.count == 1)
        #expect(problems[0].message == "file too large (104857600 bytes; the limit is 67108864 bytes)")
        #expect(problems[0].hint == "split the milestones into drop-in files in the timeline.d/ directory")
    }

    /// A writer replacing the file atomically (rename) while the daemon reads it: every read sees one whole
    /// version, never a mix. Writing in place instead can be caught half-written, which the docs warn about.
    /// Issue 12: an impossible date, an impossible hour, a key typo and a bad id, all four from one `validate`.
    @Test(.enabled(if: canRunTheBinaryAsNobody))
    func validateReportsValueAndSemanticErrorsOfAFileInOneRun() throws {
        let directory = TemporaryDirectory()
        chmod(directory.path, 0o755)
        let main = directory.file("timeline.toml")
        try """
        [[milestone]]
        id = "leap"
        title = "Not a leap year"
        start = 2027-02-29

        [[milestone]]
        id = "hour"
        title = "Hour 25"
        start = 2027-01-05T25:00:00

        [[milestone]]
        id = "typo"
        title = "Typo"
        start = 2027-03-01
        timezon = "Europe/Paris"

        [[milestone]]
        id = "Bad Id"
        title = "Bad id"
        start = 2027-03-02

        """.write(toFile: main, atomically: true, encoding: .utf8)
        chmod(main, 0o644)
        let result = try validateAsNobody(main)
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(
            errors.map { String($0.prefix { $0 != ";" }) } == [
                "\(main):4:9: error: milestone[0].start = \"2027-02-29\": not a valid date: February 2027 has 28 days",
                "\(main):9:9: error: milestone[1].start = \"2027-01-05T25:00:00\": not a valid time: hours go from 00 to 23",
                "\(main):15:1: error: milestone[2].timezon: unknown key \"timezon\"",
                "\(main):18:6: error: milestone[3].id = \"Bad Id\": invalid id",
            ]
        )
        #expect(result.stderr.contains("4 errors; the timeline was not loaded"))
    }

    @Test func configReplacedWhileReadIsSeenWholeOldOrNew() throws {
        let (directory, _) = try makeConfig()
        let path = directory.file("timeline.toml")
        let versions = (0..<2).map { v in
            (0..<(v == 0 ? 200 : 400)).map { "[[milestone]]\nid = \"m\($0)\"\ntitle = \"V\(v)\"\nstart = 2030-01-01\n" }
                .joined()
        }
        try versions[0].write(toFile: path, atomically: true, encoding: .utf8)
        let stop = StopFlag()
        let writer = Thread {
            var n = 1
            while !stop.isSet {
                try? versions[n % 2].write(toFile: path, atomically: true, encoding: .utf8)
                n += 1
            }
        }
        writer.start()
        defer { stop.set() }
        var seen: Set<Int> = []
        for _ in 0..<300 {
            switch FileReader.read(path, limit: ConfigLoader.maximumFileSize) {
            case .success(let bytes):
                let text = String(decoding: bytes, as: UTF8.self)
                let version = versions.firstIndex(of: text)
                #expect(version != nil, "a read saw neither version whole (\(bytes.count) bytes)")
                if let version { seen.insert(version) }
            case .failure(let failure):
                #expect(failure.message == "the file kept changing while it was read")
            }
        }
        #expect(!seen.isEmpty)
    }

    /// The same file rewritten in place as it is read: each result is a whole version, a positioned error or
    /// "kept changing", and never a crash.
    @Test func configRewrittenInPlaceWhileReadNeverCrashesTheLoader() throws {
        let (directory, files) = try makeConfig()
        let path = directory.file("timeline.toml")
        let versions = [
            Self.milestone,
            Self.milestone.replacingOccurrences(of: "\"a\"", with: "\"b\"")
                + "\n[defaults]\nreminders = [\"1 day before\"]\n",
        ]
        let stop = StopFlag()
        let writer = Thread {
            var n = 0
            while !stop.isSet {
                let descriptor = open(path, O_WRONLY | O_TRUNC)
                if descriptor >= 0 {
                    let bytes = Array(versions[n % 2].utf8)
                    _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                    close(descriptor)
                }
                n += 1
            }
        }
        writer.start()
        defer { stop.set() }
        for _ in 0..<300 {
            switch files.load(loader: ConfigLoader()) {
            case .success(let config):
                #expect(config.milestones.count == 1)
            case .failure(let error):
                #expect(!error.errors.isEmpty)
                #expect(error.errors.allSatisfy { $0.location.file == path && $0.location.line >= 1 })
            }
        }
    }
}

/// A flag a test sets to stop a background writer thread.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
