import Foundation
import Testing

/// The first word of the command line: a misspelt command is refused as one, with the nearest command, while
/// `sse-timeline` alone still runs `next`; and `--version` says which build this is.
@Suite("Command names and --version", .enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
struct CommandNameTests {
    @Test func aMisspeltCommandIsRefusedAsACommandWithTheNearestOne() throws {
        let result = try run(["lsit"])
        #expect(result.status == 64)
        #expect(result.output.isEmpty)
        #expect(result.error.hasPrefix("sse-timeline: 'lsit' is not a command. Did you mean 'list'?\n"))
        #expect(result.error.contains("The commands: run, validate, list, next,"))
        // Not ArgumentParser's answer on behalf of the default command.
        #expect(!result.error.contains("Unexpected argument"))
    }

    @Test func aMisspeltCommandAfterUserIsRefusedToo() throws {
        let result = try run(["--user", "pendng"])
        #expect(result.status == 64)
        #expect(result.error.hasPrefix("sse-timeline: 'pendng' is not a command. Did you mean 'pending'?\n"))
    }

    @Test func aWordNearNoCommandIsRefusedWithoutASuggestion() throws {
        let result = try run(["xyzzyplugh"])
        #expect(result.status == 64)
        #expect(result.error.hasPrefix("sse-timeline: 'xyzzyplugh' is not a command.\nThe commands: "))
    }

    @Test func noCommandStillRunsNext() throws {
        let bare = try run(["--default-timeline", "--now", "2027-01-01", "--count", "2"])
        let next = try run(["next", "--default-timeline", "--now", "2027-01-01", "--count", "2"])
        #expect(bare.status == 0)
        #expect(!bare.output.isEmpty)
        #expect(bare.output == next.output)
    }

    @Test func helpAndCommandsAreNotTakenForMisspellings() throws {
        #expect(try run(["help", "list"]).status == 0)
        #expect(try run(["validate", "--default-timeline"]).status == 0)
    }

    /// The same string as scripts/deb-version.sh (the package's version), the compiler that built the binary
    /// and pkg-config's libsystemd: what Plugins/BuildInfo wrote at build time.
    @Test func versionNamesTheBuildTheCompilerAndLibsystemd() throws {
        let result = try run(["--version"])
        #expect(result.status == 0)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let version = try shell(root.appendingPathComponent("scripts/deb-version.sh").path)
        let libsystemd = try shell("/usr/bin/pkg-config", "--modversion", "libsystemd")
        let line = try #require(result.output.split(separator: "\n").first.map(String.init))
        #expect(line.hasPrefix("sse-timeline \(version) (Swift 6."))
        #expect(line.hasSuffix(", libsystemd \(libsystemd))"))
        // Not the fallbacks of scripts/build-info.sh.
        #expect(!line.contains("unknown"))
    }
}

/// The first line of what `arguments` print.
private func shell(_ arguments: String...) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
}
