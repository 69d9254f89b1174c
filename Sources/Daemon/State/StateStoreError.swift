import Glibc
import SystemPackage

/// Why `StateStore` could not load or save the delivery state: what went wrong, on which path.
public struct StateStoreError: Error, Equatable, CustomStringConvertible {
    /// The kind of failure. New kinds may be added: match the ones you handle and have a default.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The kind in a few words, e.g. "disk full".
        public let description: String

        private init(_ description: String) {
            self.description = description
        }

        /// The state directory does not exist.
        public static let directoryMissing = Code("state directory missing")
        /// The state directory is not a directory, or cannot be read.
        public static let directoryUnusable = Code("state directory unusable")
        /// The state directory cannot be written: a read-only file system, or no permission.
        public static let readOnly = Code("state directory read-only")
        /// No space (or quota) left to write the state.
        public static let diskFull = Code("disk full")
        /// The snapshot is damaged: torn, or its checksum does not match. Start from a watermark of your choice.
        public static let corruptSnapshot = Code("state file corrupt")
        /// The snapshot is not one of ours, or a version this build does not read.
        public static let foreignFile = Code("not a state file")
        /// Any other failing system call.
        public static let ioFailure = Code("I/O error")
    }

    /// The kind of failure.
    public var code: Code
    /// The file or directory concerned.
    public var path: String
    /// What exactly went wrong, e.g. `write: No space left on device` or `checksum mismatch`.
    public var detail: String
    /// What the failing call reported, when a call failed.
    public var errno: Errno?

    /// A failure of kind `code` on `path`.
    public init(_ code: Code, path: String, detail: String, errno: Errno? = nil) {
        self.code = code
        self.path = path
        self.detail = detail
        self.errno = errno
    }

    /// The failure of a call on `path`, classified by its errno.
    public init(_ failure: SystemCallError, path: String) {
        let code: Code =
            switch failure.errno {
            case .noSpace, .diskQuotaExceeded: .diskFull
            case .readOnlyFileSystem, .permissionDenied, .notPermitted: .readOnly
            default: .ioFailure
            }
        self.init(code, path: path, detail: "\(failure.call): \(failure.message)", errno: failure.errno)
    }

    public var description: String {
        "\(code) (\(path)): \(detail)"
    }
}
