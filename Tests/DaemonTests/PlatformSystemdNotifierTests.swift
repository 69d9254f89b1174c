import CSystemd
import Glibc
import Testing

@testable import Daemon

/// A datagram socket standing in for systemd's notification socket.
final class NotifySocketStub {
    let descriptor: Int32
    /// The address to put in `NOTIFY_SOCKET`: a path, or `@name` for the abstract namespace.
    let address: String

    init(address: String) {
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
    /// datagram socket, so there is nothing to wait for.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        return count < 0 ? nil : String(decoding: buffer[..<count], as: UTF8.self)
    }
}

@Suite struct SystemdNotifierTests {
    let directory = TemporaryDirectory()

    func stub() -> (NotifySocketStub, SystemdNotifier) {
        let stub = NotifySocketStub(address: directory.file("notify"))
        return (stub, SystemdNotifier(socketPath: stub.address))
    }

    @Test func sendsReadyWithStatus() {
        let (socket, notifier) = stub()
        #expect(notifier.ready(status: "Next reminder at 08:00"))
        #expect(socket.receive() == "READY=1\nSTATUS=Next reminder at 08:00")
        #expect(notifier.ready())
        #expect(socket.receive() == "READY=1")
        #expect(socket.receive() == nil)
    }

    @Test func sendsStatusOnOneLine() {
        let (socket, notifier) = stub()
        #expect(notifier.status("two\nlines"))
        #expect(socket.receive() == "STATUS=two lines")
    }

    @Test func sendsReloadingWithTheMonotonicClock() throws {
        let (socket, notifier) = stub()
        func monotonicMicroseconds() -> UInt64 {
            var time = timespec()
            clock_gettime(CLOCK_MONOTONIC, &time)
            return UInt64(time.tv_sec) * 1_000_000 + UInt64(time.tv_nsec) / 1_000
        }
        let before = monotonicMicroseconds()
        #expect(notifier.reloading(status: "Reloading"))
        let after = monotonicMicroseconds()
        let message = try #require(socket.receive())
        let lines = message.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first == "RELOADING=1")
        #expect(lines.last == "STATUS=Reloading")
        let stamp = try #require(lines[1].hasPrefix("MONOTONIC_USEC=") ? UInt64(lines[1].dropFirst(15)) : nil)
        #expect(stamp >= before && stamp <= after)
    }

    @Test func sendsStoppingWatchdogAndExtendTimeout() {
        let (socket, notifier) = stub()
        #expect(notifier.stopping())
        #expect(socket.receive() == "STOPPING=1")
        #expect(notifier.watchdog())
        #expect(socket.receive() == "WATCHDOG=1")
        #expect(notifier.extendTimeout(usec: 5_000_000))
        #expect(socket.receive() == "EXTEND_TIMEOUT_USEC=5000000")
        #expect(notifier.send("CUSTOM=1\nOTHER=2"))
        #expect(socket.receive() == "CUSTOM=1\nOTHER=2")
    }

    @Test func reachesAnAbstractSocketFromTheEnvironment() throws {
        let name = "@sse-timeline-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let socket = NotifySocketStub(address: name)
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": name]))
        #expect(notifier.address.first == 0)
        #expect(notifier.ready())
        #expect(socket.receive() == "READY=1")
    }

    @Test func reachesAPathSocketFromTheEnvironment() throws {
        let socket = NotifySocketStub(address: directory.file("notify"))
        let notifier = try #require(SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.address]))
        #expect(notifier.watchdog())
        #expect(socket.receive() == "WATCHDOG=1")
    }

    @Test(arguments: [
        [:],
        ["NOTIFY_SOCKET": ""],
        ["NOTIFY_SOCKET": "relative/path"],
        ["NOTIFY_SOCKET": "vsock:2:1234"],
        ["NOTIFY_SOCKET": "@"],
        ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 200)],
    ])
    func noNotifierWithoutAUsableSocket(environment: [String: String]) {
        #expect(SystemdNotifier(environment: environment) == nil)
    }

    @Test func sendFailsWhenNobodyListens() {
        #expect(!SystemdNotifier(socketPath: directory.file("missing")).ready())
    }
}

@Suite struct WatchdogSettingsTests {
    @Test func pingsAtHalfTheTimeout() throws {
        let settings = try #require(WatchdogSettings(environment: ["WATCHDOG_USEC": "30000000"], processID: 42))
        #expect(settings.timeout == .seconds(30))
        #expect(settings.pingInterval == .seconds(15))
    }

    @Test func appliesWhenThePIDIsOursOrUnset() {
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "1000", "WATCHDOG_PID": "42"], processID: 42) != nil)
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "1000", "WATCHDOG_PID": "\(getpid())"]) != nil)
    }

    @Test(arguments: [
        [:],
        ["WATCHDOG_USEC": "0"],
        ["WATCHDOG_USEC": "soon"],
        ["WATCHDOG_USEC": "-5"],
        ["WATCHDOG_USEC": "1000", "WATCHDOG_PID": "43"],
        ["WATCHDOG_USEC": "1000", "WATCHDOG_PID": "not-a-pid"],
    ])
    func noWatchdog(environment: [String: String]) {
        #expect(WatchdogSettings(environment: environment, processID: 42) == nil)
    }
}

@Suite struct ProcessEnvironmentTests {
    @Test func readsTheProcessEnvironment() throws {
        // Read only: setenv would race with other tests reading the environment.
        let environment = ProcessEnvironment.current()
        let path = try #require(getenv("PATH"))
        #expect(environment["PATH"] == String(cString: path))
        #expect(environment.count > 1)
    }
}
