import Glibc

/// A datagram socket standing in for systemd's notification socket (`$NOTIFY_SOCKET`).
public final class NotifySocketStub {
    /// The bound socket.
    public let descriptor: Int32
    /// The address to put in `NOTIFY_SOCKET`: a path, or `@name` for the abstract namespace.
    public let address: String

    /// Binds a socket at `address`.
    public init(address: String) {
        self.address = address
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        precondition(descriptor >= 0)
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(address.utf8)
        let isAbstract = bytes.first == UInt8(ascii: "@")
        if isAbstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (isAbstract ? 0 : 1))
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        precondition(bound == 0, "bind \(address): \(errno)")
    }

    deinit {
        close(descriptor)
    }

    /// The next datagram already queued, or nil when there is none: sending is synchronous on a local
    /// datagram socket, so there is nothing to wait for when the sender is in this process.
    public func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        return count < 0 ? nil : String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// The next datagram, waiting for it at most `milliseconds` (another process sends it); nil on timeout.
    public func receive(waitingAtMost milliseconds: Int32) -> String? {
        var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        guard poll(&descriptors, 1, milliseconds) > 0 else { return nil }
        return receive()
    }

    /// Datagrams until one satisfies `done` (returned with the others before it), each waited for at most
    /// `milliseconds`; nil if the wait ran out first.
    public func receive(until done: (String) -> Bool, waitingAtMost milliseconds: Int32) -> [String]? {
        var received: [String] = []
        while let datagram = receive(waitingAtMost: milliseconds) {
            received.append(datagram)
            if done(datagram) { return received }
        }
        return nil
    }
}
