import Glibc

/// Small helpers over raw file descriptors.
enum FileDescriptor {
    /// Writes all of `bytes` to `descriptor`, retrying on `EINTR` and after short writes (a full pipe, a
    /// signal); returns the errno of a failed write, or nil.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }

    /// Reads everything left in `descriptor` into `content`, retrying on `EINTR`; returns the errno of a failed
    /// read, or nil.
    static func readAll(_ descriptor: Int32, into content: inout [UInt8]) -> Int32? {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if count == 0 { return nil }
            content += chunk[..<count]
        }
    }
}
