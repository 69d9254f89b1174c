import Glibc

/// Small stat(2) questions about paths.
public enum FileStatus {
    /// Whether `path` names something (a symlink counts when its target exists).
    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    /// Whether there is a directory entry at `path` (a symlink counts, wherever it points).
    public static func entryExists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// Whether `path` is a directory (or a symlink to one).
    public static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }
}
