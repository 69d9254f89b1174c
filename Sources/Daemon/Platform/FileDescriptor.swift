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
}
