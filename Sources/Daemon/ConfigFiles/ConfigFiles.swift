import DefaultTimeline
import Glibc
import Timeline

/// Finds and reads the config: the main file and its `timeline.d/*.toml` and `timeline.d/*.ics` drop-ins.
///
/// Lookup order: `--config PATH`, then `$CONFIGURATION_DIRECTORY` (systemd sets it), then `/etc/sse-timeline`,
/// then the embedded default timeline. The first of the two directories that holds a `timeline.toml` or a
/// `timeline.d/` is the config: its main file (the embedded default when it has none) and its drop-ins. Drop-ins
/// live beside the main file in `<name>.d/` (for `timeline.toml`: `timeline.d/`), read in lexical order.
public struct ConfigFiles: Sendable {
    /// The main file, or nil for the embedded default.
    public var mainPath: String?
    /// The drop-in directory, if any.
    public var dropInDirectory: String?

    /// The files `mainPath` (nil: the embedded default) and the drop-ins in `dropInDirectory`.
    public init(mainPath: String?, dropInDirectory: String?) {
        self.mainPath = mainPath
        self.dropInDirectory = dropInDirectory
    }

    /// The default system config directory.
    public static let systemDirectory = "/etc/sse-timeline"

    /// Resolves the lookup order.
    public static func locate(explicitPath: String?, environment: [String: String]) -> ConfigFiles {
        if let explicitPath {
            return ConfigFiles(mainPath: explicitPath, dropInDirectory: dropInDirectory(for: explicitPath))
        }
        var directories: [String] = []
        if let dir = environment["CONFIGURATION_DIRECTORY"], !dir.isEmpty {
            // systemd may pass several, separated by ":"; ours is the first.
            directories.append(String(dir.split(separator: ":").first ?? Substring(dir)))
        }
        directories.append(systemDirectory)
        // The first directory holding a timeline.toml or a timeline.d/ is the config: a user instance with only
        // drop-ins in ~/.config/sse-timeline gets the embedded default plus those, not the admin's /etc file.
        for directory in directories {
            let main = "\(directory)/timeline.toml"
            let dropIns = "\(directory)/timeline.d"
            let hasMain = FileStatus.exists(main)
            if hasMain || FileStatus.isDirectory(dropIns) {
                return ConfigFiles(mainPath: hasMain ? main : nil, dropInDirectory: dropIns)
            }
        }
        return ConfigFiles(mainPath: nil, dropInDirectory: nil)
    }

    /// `dir/name.d` for `dir/name.toml`.
    public static func dropInDirectory(for path: String) -> String {
        var base = path
        if base.hasSuffix(".toml") { base.removeLast(5) }
        return base + ".d"
    }

    /// A one-line account of what was used, for every command to print, in `localizer`'s language.
    public func describe(dropInCount: Int, localizer: Localizer = .english) -> String {
        var text = mainPath ?? DefaultTimeline.name
        if let dropInDirectory, dropInCount > 0 {
            text += localizer.trn(
                " + %d drop-in from %s/",
                " + %d drop-ins from %s/",
                dropInCount,
                dropInDirectory
            )
        }
        return text
    }

    /// Reads every file; problems reading a file are reported like config errors.
    public func read() -> (sources: [ConfigSource], problems: [Diagnostic]) {
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

    /// Reads and loads the config; the error carries read problems and config diagnostics together. The files
    /// the config names (a holiday set's `ics`) are read here too, with the same checks as drop-ins.
    public func load(loader: ConfigLoader) -> Result<TimelineConfig, ConfigError> {
        let (sources, problems) = read()
        var loader = loader
        loader.readFile = { path in
            FileReader.read(path, limit: ConfigLoader.maximumFileSize).mapError {
                ConfigFileFailure(message: $0.text, hint: $0.hintText)
            }
        }
        do {
            let config = try loader.load(sources)
            if !problems.isEmpty { return .failure(ConfigError(diagnostics: problems + config.warnings)) }
            return .success(config)
        } catch {
            return .failure(ConfigError(diagnostics: problems + error.diagnostics))
        }
    }

    /// The number of drop-in files present (for messages when loading failed).
    public var dropInCount: Int {
        guard let dropInDirectory, case .success(let names) = FileReader.list(dropInDirectory) else { return 0 }
        return names.count(where: ConfigFiles.isDropIn)
    }

    /// `*.toml` and `*.ics` (iCalendar) files, not hidden ones.
    public static func isDropIn(_ name: String) -> Bool {
        (name.hasSuffix(".toml") || name.hasSuffix(".ics")) && !name.hasPrefix(".")
    }
}
