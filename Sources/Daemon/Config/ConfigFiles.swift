import DefaultTimeline
import Glibc
import Timeline

/// Finds and reads the config: the main file and its `timeline.d/*.toml` and `timeline.d/*.ics` drop-ins.
///
/// Lookup order: `--config PATH`, then `$CONFIGURATION_DIRECTORY/timeline.toml` (systemd sets it), then
/// `/etc/sse-timeline/timeline.toml`, then the embedded default timeline. Drop-ins live beside the main
/// file in `<name>.d/` (for `timeline.toml`: `timeline.d/`), read in lexical order. When a config directory
/// exists without a main file, the embedded default is the main file and that directory's drop-ins apply.
struct ConfigFiles: Sendable {
    /// The main file, or nil for the embedded default.
    var mainPath: String?
    /// The drop-in directory, if any.
    var dropInDirectory: String?

    /// The default system config directory.
    static let systemDirectory = "/etc/sse-timeline"

    /// Resolves the lookup order.
    static func locate(explicitPath: String?, environment: [String: String]) -> ConfigFiles {
        if let explicitPath {
            return ConfigFiles(mainPath: explicitPath, dropInDirectory: dropInDirectory(for: explicitPath))
        }
        var directories: [String] = []
        if let dir = environment["CONFIGURATION_DIRECTORY"], !dir.isEmpty {
            // systemd may pass several, separated by ":"; ours is the first.
            directories.append(String(dir.split(separator: ":").first ?? Substring(dir)))
        }
        directories.append(systemDirectory)
        for directory in directories where FileStatus.exists("\(directory)/timeline.toml") {
            let path = "\(directory)/timeline.toml"
            return ConfigFiles(mainPath: path, dropInDirectory: "\(directory)/timeline.d")
        }
        let dropIns = directories.map { "\($0)/timeline.d" }.first(where: FileStatus.isDirectory)
        return ConfigFiles(mainPath: nil, dropInDirectory: dropIns)
    }

    /// `dir/name.d` for `dir/name.toml`.
    static func dropInDirectory(for path: String) -> String {
        var base = path
        if base.hasSuffix(".toml") { base.removeLast(5) }
        return base + ".d"
    }

    /// A one-line account of what was used, for every command to print.
    func describe(dropInCount: Int) -> String {
        var text = mainPath ?? DefaultTimeline.name
        if let dropInDirectory, dropInCount > 0 {
            text += " + \(dropInCount) drop-in\(dropInCount == 1 ? "" : "s") from \(dropInDirectory)/"
        }
        return text
    }

    /// Reads every file; problems reading a file are reported like config errors.
    func read() -> (sources: [ConfigSource], problems: [Diagnostic]) {
        var sources: [ConfigSource] = []
        var problems: [Diagnostic] = []
        if let mainPath {
            switch FileReader.read(mainPath, limit: ConfigLoader.maximumFileSize) {
            case .success(let bytes): sources.append(ConfigSource(name: mainPath, bytes: bytes))
            case .failure(let error): problems.append(error.diagnostic(path: mainPath))
            }
        } else {
            sources.append(ConfigSource(name: DefaultTimeline.name, text: DefaultTimeline.text))
        }
        // lstat: a drop-in directory that is a dangling or looping symlink is reported, not skipped.
        if let dropInDirectory, FileStatus.entryExists(dropInDirectory) {
            switch FileReader.list(dropInDirectory) {
            case .success(let names):
                for name in names where ConfigFiles.isDropIn(name) {
                    let path = "\(dropInDirectory)/\(name)"
                    switch FileReader.read(path, limit: ConfigLoader.maximumFileSize) {
                    case .success(let bytes): sources.append(ConfigSource(name: path, bytes: bytes))
                    case .failure(let error): problems.append(error.diagnostic(path: path))
                    }
                }
            case .failure(let error):
                problems.append(error.diagnostic(path: dropInDirectory))
            }
        }
        return (sources, problems)
    }

    /// Reads and loads the config; the error carries read problems and config diagnostics together.
    func load(loader: ConfigLoader) -> Result<TimelineConfig, ConfigError> {
        let (sources, problems) = read()
        do {
            let config = try loader.load(sources)
            if !problems.isEmpty { return .failure(ConfigError(diagnostics: problems + config.warnings)) }
            return .success(config)
        } catch {
            return .failure(ConfigError(diagnostics: problems + error.diagnostics))
        }
    }

    /// The number of drop-in files present (for messages when loading failed).
    var dropInCount: Int {
        guard let dropInDirectory, case .success(let names) = FileReader.list(dropInDirectory) else { return 0 }
        return names.count(where: ConfigFiles.isDropIn)
    }

    /// `*.toml` and `*.ics` (iCalendar) files, not hidden ones.
    static func isDropIn(_ name: String) -> Bool {
        (name.hasSuffix(".toml") || name.hasSuffix(".ics")) && !name.hasPrefix(".")
    }
}

/// Small stat(2) questions.
enum FileStatus {
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Whether there is a directory entry at `path` (a symlink counts, wherever it points).
    static func entryExists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}

/// Reading whole files and listing directories, with errors a person can act on.
enum FileReader {
    /// Why a file could not be read.
    struct Failure: Error {
        var message: String
        var hint: String?

        func diagnostic(path: String) -> Diagnostic {
            Diagnostic(.error, at: SourceLocation(file: path, line: 1, column: 1), key: "", message: message, hint: hint)
        }
    }

    static func errnoFailure(_ code: Int32, doing: String) -> Failure {
        let text = String(cString: strerror(code))
        let hint: String? =
            switch code {
            case EACCES, EPERM: "check the permissions of the file and its directories"
            case ELOOP: "a symbolic link points back at itself; fix or remove it"
            case ENOENT: "check the path"
            case EISDIR: "give the path of a .toml file"
            default: nil
            }
        return Failure(message: "cannot \(doing): \(text)", hint: hint)
    }

    /// Reads a regular file whole, up to `limit` bytes; retries when the file changes while being read.
    static func read(_ path: String, limit: Int) -> Result<[UInt8], Failure> {
        for _ in 0..<3 {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return .failure(errnoFailure(errno, doing: "open the file")) }
            defer { close(fd) }
            var before = stat()
            guard fstat(fd, &before) == 0 else { return .failure(errnoFailure(errno, doing: "read the file")) }
            guard (before.st_mode & S_IFMT) == S_IFREG else {
                return .failure(
                    Failure(message: "not a regular file", hint: "give the path of a .toml file"))
            }
            if Int(before.st_size) > limit {
                return .failure(
                    Failure(
                        message: "file too large (\(before.st_size) bytes; the limit is \(limit) bytes)",
                        hint: "split the milestones into drop-in files in the timeline.d/ directory"))
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(before.st_size) + 1)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    return .failure(errnoFailure(errno, doing: "read the file"))
                }
                if n == 0 { break }
                bytes.append(contentsOf: buffer[0..<n])
                if bytes.count > limit {
                    return .failure(
                        Failure(
                            message: "file too large (over \(limit) bytes)",
                            hint: "split the milestones into drop-in files in the timeline.d/ directory"))
                }
            }
            var after = stat()
            guard fstat(fd, &after) == 0 else { return .failure(errnoFailure(errno, doing: "read the file")) }
            let unchanged =
                after.st_size == before.st_size && after.st_mtim.tv_sec == before.st_mtim.tv_sec
                && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec && bytes.count == Int(after.st_size)
            if unchanged { return .success(bytes) }
        }
        return .failure(
            Failure(
                message: "the file kept changing while it was read",
                hint: "write config files atomically (to a temporary file, then rename), then reload"))
    }

    /// The entry names of a directory, sorted bytewise (the systemd drop-in order).
    static func list(_ path: String) -> Result<[String], Failure> {
        guard let dir = opendir(path) else { return .failure(errnoFailure(errno, doing: "read the directory")) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }
}
