import Glibc
import SystemPackage

/// A file a unit reads with `EnvironmentFile=`, written for a unit the daemon starts (an `on_due` template, a
/// channel's delivery): `NAME="value"` lines with `\` and `"` escaped, mode 0644 in a 0755 directory under the
/// daemon's runtime directory, so that the unit (of another user, for the system instance) can read it.
enum EnvironmentFile {
    /// Writes `environment` (`NAME=value` each) to `directory/name`, creating `directory`; its path, or nil when
    /// it cannot be written.
    static func write(_ environment: [String], directory: String, name: String) -> String? {
        mkdir(directory, 0o755)
        chmod(directory, 0o755)
        let path = directory + "/" + name
        let text = environment.map { assignment -> String in
            let equals = assignment.firstIndex(of: "=")!
            let value = assignment[assignment.index(after: equals)...]
                .split(separator: "\\", omittingEmptySubsequences: false).joined(separator: "\\\\")
                .split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\\\"")
            return "\(assignment[..<equals])=\"\(value)\"\n"
        }.joined()
        let permissions: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]
        let options: FileDescriptor.OpenOptions = [.create, .truncate, .closeOnExec]
        guard let file = try? FileDescriptor.open(path, .writeOnly, options: options, permissions: permissions)
        else { return nil }
        defer { try? file.close() }
        fchmod(file.rawValue, permissions.rawValue)
        return (try? file.writeAll(Array(text.utf8), operand: path)) == nil ? nil : path
    }
}
