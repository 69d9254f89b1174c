import Glibc
import SystemPackage
import Timeline

/// Replaces a calendar item's file with an edit of its text, atomically and only over the version that was read.
///
/// The file is read with its identity (device, inode, size, modification time); the edit is written to a hidden
/// temporary file in the same directory (so that vdirsyncer and khal, which skip dotfiles, never see it half
/// written), fsynced, and renamed over the file only if the file still has the identity read; then the directory
/// is fsynced. When another writer replaced the file meanwhile (vdirsyncer's sync, khal), the file is read again
/// and the edit made again on the new text, at most `attempts` times.
public struct ItemFileWriter {
    /// Why an item's file was not replaced.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the path.
        public var description: String
    }

    /// How many times the file is read, edited and written before giving up.
    public var attempts = 3
    /// Called after each read, before the rename (tests use it to play another writer); nothing by default.
    var beforeRename: (String) -> Void = { _ in }

    /// A writer with the default number of attempts.
    public init() {}

    /// Replaces the file at `path` with `edit` of its text; `edit` may throw to say the text no longer holds what
    /// is to be changed. Returns the identity of the file written, or nil when `edit` changed nothing (nothing is
    /// written then).
    ///
    /// - Throws: `Failure` when the file cannot be read or written, or kept changing; what `edit` throws.
    @discardableResult
    public func replace(
        _ path: String,
        edit: (String) throws -> String
    ) throws -> VdirCalendars.FileIdentity? {
        for _ in 0..<attempts {
            let (text, identity) = try Self.read(path)
            let edited = try edit(text)
            if edited == text { return nil }
            beforeRename(path)
            if let written = try write(edited, over: path, ifStill: identity) { return written }
        }
        throw Failure(description: "\(path): the file kept changing while it was written back; left as it is")
    }

    /// The file's text and the identity it had when read.
    static func read(_ path: String) throws(Failure) -> (String, VdirCalendars.FileIdentity) {
        switch FileReader.read(path, limit: ConfigLoader.maximumFileSize) {
        case .success(let bytes):
            guard let identity = VdirCalendars.FileIdentity.of(path) else {
                throw Failure(description: "\(path): the file went away while it was read")
            }
            return (String(decoding: bytes, as: UTF8.self), identity)
        case .failure(let failure):
            throw Failure(description: "\(path): \(failure.message)")
        }
    }

    /// Writes `text` beside `path` and renames it over `path` when `path` still is `identity`; nil when it is not
    /// (the temporary file is removed).
    private func write(
        _ text: String,
        over path: String,
        ifStill identity: VdirCalendars.FileIdentity
    ) throws(Failure) -> VdirCalendars.FileIdentity? {
        let file = FilePath(path)
        let directory = file.removingLastComponent().string
        let temporary = "\(directory.isEmpty ? "." : directory)/.\(file.lastComponent?.string ?? "item").sse-timeline-\(getpid())"
        do throws(SystemCallError) {
            var status = stat()
            try SystemCall.run("stat", operand: path) { stat(path, &status) }
            let descriptor = try FileDescriptor.open(
                temporary,
                .writeOnly,
                options: [.create, .truncate, .closeOnExec],
                permissions: FilePermissions(rawValue: status.st_mode & 0o7777)
            )
            do throws(SystemCallError) {
                // The item keeps its permissions whatever the daemon's umask (the user unit's is 0077).
                try SystemCall.run("fchmod", operand: temporary) { fchmod(descriptor.rawValue, status.st_mode & 0o7777) }
                try descriptor.writeAll(Array(text.utf8), operand: temporary)
                try SystemCall.run("fsync", operand: temporary) { fsync(descriptor.rawValue) }
                try? descriptor.close()
            } catch {
                try? descriptor.close()
                throw error
            }
            guard VdirCalendars.FileIdentity.of(path) == identity else {
                unlink(temporary)
                return nil
            }
            try SystemCall.run("rename", operand: path) { rename(temporary, path) }
            let written = VdirCalendars.FileIdentity.of(path)
            if let handle = try? FileDescriptor.open(directory.isEmpty ? "." : directory, .readOnly) {
                _ = fsync(handle.rawValue)
                try? handle.close()
            }
            return written
        } catch {
            unlink(temporary)
            throw Failure(description: "\(path): \(error)")
        }
    }
}
