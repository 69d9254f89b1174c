import SystemPackage

extension FileDescriptor {
    /// Reads everything left in the file (swift-system retries on `EINTR`).
    ///
    /// - Parameter limit: stop and return nil once more than this many bytes were read.
    /// - Throws: `SystemCallError` (`read`, with `operand` as its operand).
    func readAll(operand: String? = nil, limit: Int = .max) throws(SystemCallError) -> [UInt8]? {
        var content: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { try read(into: $0) }
            } catch {
                throw SystemCall.map(error, "read", operand: operand)
            }
            if count == 0 { return content }
            content += chunk[..<count]
            if content.count > limit { return nil }
        }
    }

    /// Writes all of `bytes`, after short writes too (swift-system retries on `EINTR`).
    ///
    /// - Throws: `SystemCallError` (`write`, with `operand` as its operand).
    func writeAll(_ bytes: UnsafeRawBufferPointer, operand: String?) throws(SystemCallError) {
        do {
            _ = try self.writeAll(bytes as UnsafeRawBufferPointer)
        } catch {
            throw SystemCall.map(error, "write", operand: operand)
        }
    }

    /// Writes all of `bytes`, as ``writeAll(_:operand:)`` for a buffer.
    func writeAll(_ bytes: [UInt8], operand: String?) throws(SystemCallError) {
        do {
            _ = try self.writeAll(bytes as [UInt8])
        } catch {
            throw SystemCall.map(error, "write", operand: operand)
        }
    }

    /// Opens `path`, as swift-system's `open`, throwing a `SystemCallError` that names the path.
    static func open(
        _ path: String,
        _ mode: AccessMode,
        options: OpenOptions = [.closeOnExec],
        permissions: FilePermissions? = nil
    ) throws(SystemCallError) -> FileDescriptor {
        do {
            return try FileDescriptor.open(FilePath(path), mode, options: options, permissions: permissions)
        } catch {
            throw SystemCall.map(error, "open", operand: path)
        }
    }
}
