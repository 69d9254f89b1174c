import Glibc

/// Whether a config file is controlled by the instance's owner, so that its `on_due` actions may run: the file
/// and its directory belong to root or to the daemon's own user, and neither can be written by anyone else
/// (no group or other write permission).
public enum ConfigTrust {
    /// Why `path` may not define actions, or nil when it may.
    public static func problem(with path: String, euid: uid_t = geteuid()) -> String? {
        if let problem = check(path, euid: euid, what: "the file") { return problem }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        return check(directory.isEmpty ? "/" : directory, euid: euid, what: "its directory")
    }

    private static func check(_ path: String, euid: uid_t, what: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            return "\(what) \(path) cannot be checked: \(String(cString: strerror(errno)))"
        }
        if status.st_uid != 0 && status.st_uid != euid {
            return "\(what) \(path) belongs to UID \(status.st_uid), neither root nor this instance's user"
        }
        if status.st_mode & S_IWGRP != 0 { return "\(what) \(path) is writable by its group" }
        if status.st_mode & S_IWOTH != 0 { return "\(what) \(path) is writable by anyone" }
        return nil
    }
}
