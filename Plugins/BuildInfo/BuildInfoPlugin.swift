import Foundation
import PackagePlugin

/// Writes `BuildInfo.swift` into the target before every build: the version from `git describe` (the same string
/// as the Debian package's, `scripts/deb-version.sh`), the Swift compiler and the libsystemd it builds against.
///
/// A prebuild command runs on every `swift build`, so a plain build of a fresh clone, `make install` and the
/// package all print the same `--version`; `scripts/build-info.sh` rewrites the file only when it changes, so
/// an unchanged tree recompiles nothing (docs/operations.md, "Which build is this?").
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildInfo")
        let script = context.package.directoryURL.appending(path: "scripts/build-info.sh")
        // The compiler that builds this target, not whichever swiftc comes first on PATH.
        let swiftc = try context.tool(named: "swiftc").url
        return [
            .prebuildCommand(
                displayName: "BuildInfo.swift: the version from git describe, the compiler, libsystemd",
                executable: URL(filePath: "/bin/bash"),
                arguments: [script.path, output.path, swiftc.path],
                outputFilesDirectory: output
            )
        ]
    }
}
