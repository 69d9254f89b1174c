import Daemon
import Glibc
import SystemPackage
import Timeline

/// Writing to standard output and standard error without Foundation.
enum Output {
    /// Writes `text` and a newline to standard output.
    static func out(_ text: String) {
        write(text + "\n", to: STDOUT_FILENO)
    }

    /// Writes `text` and a newline to standard error.
    static func err(_ text: String) {
        write(text + "\n", to: STDERR_FILENO)
    }

    /// Writes `bytes` as they are to standard output.
    static func out(bytes: [UInt8]) {
        _ = try? FileDescriptor.standardOutput.writeAll(bytes)
    }

    static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { _ = try? FileDescriptor(rawValue: fd).writeAll(UnsafeRawBufferPointer($0)) }
    }
}

/// The wall clock as the CLI reads it (the daemon's scheduler has its own clock seam).
enum SystemTime {
    /// Now, whole seconds.
    static func now() -> Instant {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Instant(secondsSinceEpoch: Int64(ts.tv_sec))
    }
}
