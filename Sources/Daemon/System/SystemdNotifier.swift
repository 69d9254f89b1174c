import CSystemd
import Glibc

/// Tells the service manager about the daemon's state: the `sd_notify(3)` protocol, spoken directly (one datagram
/// of `NAME=value` lines to the socket `NOTIFY_SOCKET` names). Unlike libsystemd's `sd_notify`, it takes the
/// address as a value, so that tests running in parallel each have their own socket.
public struct SystemdNotifier: Sendable {
    /// The socket address, as `sockaddr_un.sun_path` bytes: a leading NUL for the abstract namespace.
    public let address: [UInt8]

    /// The notifier that `NOTIFY_SOCKET` asks for, or nil when it is unset, empty, or not a path or
    /// `@name` (`vsock:` addresses are not supported).
    public init?(environment: [String: String]) {
        guard let socket = environment["NOTIFY_SOCKET"], socket.hasPrefix("/") || socket.hasPrefix("@") else {
            return nil
        }
        self.init(socketPath: socket)
        guard address.count > 1, address.count <= Self.maximumAddressLength else {
            return nil
        }
    }

    /// A notifier for the socket at `socketPath`; a leading `@` names an abstract socket.
    public init(socketPath: String) {
        var bytes = Array(socketPath.utf8)
        if bytes.first == UInt8(ascii: "@") {
            bytes[0] = 0
        }
        address = bytes
    }

    // sun_path holds 108 bytes; a path needs room for its terminating NUL, an abstract name does not.
    private static let maximumAddressLength = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// Sends `assignments` (newline-separated `NAME=value` lines) in one datagram.
    ///
    /// - Returns: whether the datagram was sent; false when the socket is missing or refuses it.
    @discardableResult
    public func send(_ assignments: String) -> Bool {
        let socketDescriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socketDescriptor >= 0 else {
            return false
        }
        defer { close(socketDescriptor) }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        let isAbstract = address.first == 0
        guard address.count <= Self.maximumAddressLength + (isAbstract ? 1 : 0) else {
            return false
        }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { path in
            path.copyBytes(from: address)
        }
        // An abstract address is exactly as long as its name; a path is NUL-terminated.
        let length = MemoryLayout<sa_family_t>.size + address.count + (isAbstract ? 0 : 1)
        var payload = Array(assignments.utf8)
        let sent = payload.withUnsafeMutableBytes { bytes in
            withUnsafePointer(to: &socketAddress) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    sendto(
                        socketDescriptor,
                        bytes.baseAddress,
                        bytes.count,
                        Int32(MSG_NOSIGNAL),
                        socketAddress,
                        socklen_t(length)
                    )
                }
            }
        }
        return sent == payload.count
    }

    /// `READY=1`, with a `STATUS=` line when `status` is given: start-up is complete.
    @discardableResult
    public func ready(status: String? = nil) -> Bool {
        send(Self.join("READY=1", status: status))
    }

    /// `RELOADING=1` and `MONOTONIC_USEC=` now on `CLOCK_MONOTONIC` (systemd 253 and later require it for
    /// `Type=notify-reload`), with an optional `STATUS=`. Send `ready()` when the reload is done.
    @discardableResult
    public func reloading(status: String? = nil) -> Bool {
        send(Self.join("RELOADING=1\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())", status: status))
    }

    /// `STOPPING=1`: shutdown has begun.
    @discardableResult
    public func stopping(status: String? = nil) -> Bool {
        send(Self.join("STOPPING=1", status: status))
    }

    /// `STATUS=`: a one-line description of what the daemon is doing, shown by `systemctl status`.
    @discardableResult
    public func status(_ text: String) -> Bool {
        send("STATUS=" + Self.oneLine(text))
    }

    /// Microseconds on `CLOCK_MONOTONIC`, the clock of `MONOTONIC_USEC=`.
    public static func monotonicMicroseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000 + UInt64(time.tv_nsec) / 1_000
    }

    private static func join(_ assignments: String, status: String?) -> String {
        guard let status else { return assignments }
        return assignments + "\nSTATUS=" + oneLine(status)
    }

    // A newline would end the assignment and start a bogus one.
    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
