import CSystemd
import DaemonTesting
import Glibc
import Testing

@testable import Daemon

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

    @Test func sendsStoppingAndAnyAssignments() {
        let (socket, notifier) = stub()
        #expect(notifier.stopping())
        #expect(socket.receive() == "STOPPING=1")
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
        #expect(notifier.status("idle"))
        #expect(socket.receive() == "STATUS=idle")
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

@Suite struct ProcessEnvironmentTests {
    @Test func readsTheProcessEnvironment() throws {
        // Read only: setenv would race with other tests reading the environment.
        let environment = ProcessEnvironment.current()
        let path = try #require(getenv("PATH"))
        #expect(environment["PATH"] == String(cString: path))
        #expect(environment.count > 1)
    }
}
