import Glibc
import SystemPackage
import Timeline

/// Reading whole config files and listing directories, with errors a person can act on.
public enum FileReader {
    /// Why a file could not be read: a message and a hint for the person who wrote the config.
    public struct Failure: Error {
        /// What went wrong, e.g. "cannot open the file: Permission denied", in any language.
        public var text: LocalizedText
        /// What to do about it, when there is something to say, in any language.
        public var hintText: LocalizedText?

        /// What went wrong, in English.
        public var message: String { text.description }
        /// What to do about it, in English.
        public var hint: String? { hintText?.description }

        init(message: LocalizedText, hint: LocalizedText?) {
            self.text = message
            self.hintText = hint
        }

        /// The failure of a system call, said as what could not be done and how to fix it. The system's message
        /// is strerror's, in the language glibc's own catalogs give it.
        init(_ error: SystemCallError) {
            let message: LocalizedText =
                switch error.call {
                case "open": .tr("cannot open the file: %s", error.message)
                case "opendir": .tr("cannot read the directory: %s", error.message)
                default: .tr("cannot read the file: %s", error.message)
                }
            let hint: LocalizedText? =
                switch error.errno {
                case .permissionDenied, .notPermitted: .tr("check the permissions of the file and its directories")
                case .tooManySymbolicLinkLevels: .tr("a symbolic link points back at itself; fix or remove it")
                case .noSuchFileOrDirectory: .tr("check the path")
                case .isDirectory: .tr("give the path of a .toml file")
                default: nil
                }
            self.init(message: message, hint: hint)
        }

        /// The failure as a config error at the start of `path`.
        public func diagnostic(path: String) -> Diagnostic {
            Diagnostic(
                .error,
                at: SourceLocation(file: path, line: 1, column: 1),
                key: "",
                message: text,
                hint: hintText
            )
        }
    }

    private static let tooLargeHint = LocalizedText.tr(
        "split the milestones into drop-in files in the timeline.d/ directory"
    )

    /// Reads a regular file whole, up to `limit` bytes; retries when the file changes while being read.
    public static func read(_ path: String, limit: Int) -> Result<[UInt8], Failure> {
        for _ in 0..<3 {
            do throws(SystemCallError) {
                let descriptor = try FileDescriptor.open(path, .readOnly)
                defer { try? descriptor.close() }
                var before = stat()
                try SystemCall.run("fstat", operand: path) { fstat(descriptor.rawValue, &before) }
                guard (before.st_mode & S_IFMT) == S_IFREG else {
                    return .failure(
                        Failure(message: .tr("not a regular file"), hint: .tr("give the path of a .toml file"))
                    )
                }
                if Int(before.st_size) > limit {
                    return .failure(
                        Failure(
                            message: .tr("file too large (%s bytes; the limit is %s bytes)", before.st_size, limit),
                            hint: tooLargeHint
                        )
                    )
                }
                guard let bytes = try descriptor.readAll(operand: path, limit: limit) else {
                    return .failure(Failure(message: .tr("file too large (over %s bytes)", limit), hint: tooLargeHint))
                }
                var after = stat()
                try SystemCall.run("fstat", operand: path) { fstat(descriptor.rawValue, &after) }
                let unchanged =
                    after.st_size == before.st_size && after.st_mtim.tv_sec == before.st_mtim.tv_sec
                    && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec && bytes.count == Int(after.st_size)
                if unchanged { return .success(bytes) }
            } catch {
                return .failure(Failure(error))
            }
        }
        return .failure(
            Failure(
                message: .tr("the file kept changing while it was read"),
                hint: .tr("write config files atomically (to a temporary file, then rename), then reload")
            )
        )
    }

    /// The entry names of a directory, sorted bytewise (the systemd drop-in order).
    public static func list(_ path: String) -> Result<[String], Failure> {
        guard let directory = opendir(path) else {
            return .failure(Failure(SystemCallError("opendir", operand: path)))
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }
}
