import Glibc

/// A fresh directory (under /tmp unless told), removed with everything in it when the value goes away.
public final class TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates `BASE/sse-timeline-tests.XXXXXX`, `/tmp` by default.
    public init(in base: String = "/tmp") {
        var template = Array("\(base)/sse-timeline-tests.XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed: \(errno)")
        path = String(cString: created!)
    }

    deinit {
        removeTree(path)
    }

    /// `name` inside the directory.
    public func file(_ name: String) -> String {
        path + "/" + name
    }
}

/// Removes `path` and, for a directory, everything in it (not following symlinks).
public func removeTree(_ path: String) {
    var status = stat()
    guard lstat(path, &status) == 0 else { return }
    if status.st_mode & S_IFMT == S_IFDIR {
        chmod(path, 0o755)
        if let directory = opendir(path) {
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
                }
                if name != "." && name != ".." {
                    names.append(name)
                }
            }
            closedir(directory)
            for name in names {
                removeTree(path + "/" + name)
            }
        }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// Writes `bytes` to a new file at `path` (replacing it).
public func writeFile(_ path: String, _ bytes: [UInt8]) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    precondition(descriptor >= 0, "open \(path): \(errno)")
    defer { close(descriptor) }
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    precondition(written == bytes.count)
}

/// The whole content of the file at `path`, or nil when it cannot be read.
public func readFile(_ path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var content: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return content }
        content += chunk[..<count]
    }
}

/// Whether a file (of any kind) exists at `path`.
public func fileExists(_ path: String) -> Bool {
    var status = stat()
    return lstat(path, &status) == 0
}
