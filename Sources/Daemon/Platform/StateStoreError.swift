import Glibc

/// Why `StateStore` could not load or save the delivery state: what went wrong, on which path.
struct StateStoreError: Error, Equatable, CustomStringConvertible {
    /// The kind of failure. New kinds may be added: match the ones you handle and have a default.
    struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case directoryMissing
            case directoryUnusable
            case readOnly
            case diskFull
            case corruptSnapshot
            case foreignFile
            case ioFailure
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The state directory does not exist.
        static let directoryMissing = Code(.directoryMissing)
        /// The state directory is not a directory, or cannot be read.
        static let directoryUnusable = Code(.directoryUnusable)
        /// The state directory cannot be written: a read-only file system, or no permission.
        static let readOnly = Code(.readOnly)
        /// No space (or quota) left to write the state.
        static let diskFull = Code(.diskFull)
        /// The snapshot is damaged: torn, or its checksum does not match. Start from a watermark of your choice.
        static let corruptSnapshot = Code(.corruptSnapshot)
        /// The snapshot is not one of ours, or a version this build does not read.
        static let foreignFile = Code(.foreignFile)
        /// Any other failing system call.
        static let ioFailure = Code(.ioFailure)

        var description: String {
            switch base {
            case .directoryMissing: "state directory missing"
            case .directoryUnusable: "state directory unusable"
            case .readOnly: "state directory read-only"
            case .diskFull: "disk full"
            case .corruptSnapshot: "state file corrupt"
            case .foreignFile: "not a state file"
            case .ioFailure: "I/O error"
            }
        }
    }

    /// The kind of failure.
    var code: Code
    /// The file or directory concerned.
    var path: String
    /// What exactly went wrong, e.g. `write: No space left on device` or `checksum mismatch`.
    var detail: String
    /// The `errno` of the failing call, when a call failed.
    var errno: Int32?

    /// A failure of kind `code` on `path`.
    init(_ code: Code, path: String, detail: String, errno: Int32? = nil) {
        self.code = code
        self.path = path
        self.detail = detail
        self.errno = errno
    }

    /// The failure of `call` on `path` with `errno`, classified by the errno.
    init(call: String, path: String, errno: Int32 = Glibc.errno) {
        let code: Code =
            switch errno {
            case ENOSPC, EDQUOT: .diskFull
            case EROFS, EACCES, EPERM: .readOnly
            default: .ioFailure
            }
        self.init(code, path: path, detail: "\(call): \(String(cString: strerror(errno)))", errno: errno)
    }

    var description: String {
        "\(code) (\(path)): \(detail)"
    }
}
