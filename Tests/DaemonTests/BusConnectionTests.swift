import DaemonTesting
import Glibc
import Testing

@testable import Daemon

/// sd-bus on the daemon's loop, against a real `dbus-daemon` of the test's own (`TestBus`): a server connection
/// owning a name and exporting an object, a client connection calling it, both on one loop and one thread. Each
/// wait steps the loop until the awaited event happened, bounded by a deadline.
@Suite(.enabled(if: TestBus.isAvailable), .timeLimit(.minutes(1)))
struct BusConnectionTests {
    static let name = "io.github.ssetimeline.Test"
    static let path = "/io/github/ssetimeline/Test"
    let logs = LogStore()

    /// Steps `loop` until `done()` holds or 10 s passed; whether it holds.
    func run(_ loop: EventLoop, until done: () -> Bool) throws -> Bool {
        let deadline = SystemClock().now().advanced(by: .seconds(10))
        while !done() && SystemClock().now() < deadline {
            try loop.runOnce(timeoutMicroseconds: 100_000)
        }
        return done()
    }

    /// An interface with a method that echoes, one that fails, a property and a signal.
    func echoInterface(counter: @escaping () -> UInt32) -> BusInterface {
        BusInterface(
            name: Self.name,
            methods: [
                .init("Echo", input: [.init("text", "s")], output: [.init("echoed", "s")], unprivileged: true) {
                    (arguments, reply) throws(BusError) in
                    try reply.append(try arguments.read(String.self))
                },
                .init("Fail", input: [.init("key", "s")]) { (arguments, _) throws(BusError) in
                    let key = try arguments.read(String.self)
                    throw BusError(name: "io.github.ssetimeline.Test.Error.UnknownKey", message: "no reminder \(key)")
                },
            ],
            properties: [
                .init("Count", "u", change: .emitsChange) { (value) throws(BusError) in try value.append(counter()) }
            ],
            signals: [.init("Happened", arguments: [.init("what", "s"), .init("when", "t")])]
        )
    }

    /// Calls `member` on the test object and steps the loop until the answer came.
    func call(
        _ client: BusConnection,
        _ loop: EventLoop,
        interface: String = Self.name,
        _ member: String,
        destination: String = Self.name,
        arguments: (inout BusMessageWriter) throws(BusError) -> Void = { _ throws(BusError) in }
    ) throws -> Result<BusMessage, BusError> {
        let message = try client.methodCall(
            member,
            at: BusLocator(destination: destination, path: Self.path, interface: interface)
        )
        var writer = message.writer()
        try arguments(&writer)
        var result: Result<BusMessage, BusError>?
        client.call(message) { result = $0 }
        #expect(try run(loop) { result != nil })
        return try #require(result)
    }

    @Test func ownsItsNameAndAnswersCallsOnTheLoop() throws {
        let bus = TestBus()
        let loop = try EventLoop()
        let server = try BusConnection(loop: loop, scope: .address(bus.address), name: Self.name, logger: logs.logger())
        #expect(server.ownsName)
        let object = server.export(path: Self.path, interface: echoInterface { 7 })
        let client = try BusConnection(loop: loop, scope: .address(bus.address), logger: logs.logger())

        let echoed = try call(client, loop, "Echo") { (writer) throws(BusError) in try writer.append("snooze ünïcode") }
        var reader = try echoed.get().reader()
        #expect(try reader.read(String.self) == "snooze ünïcode")

        let failed = try call(client, loop, "Fail") { (writer) throws(BusError) in try writer.append("x|y") }
        #expect(throws: BusError(name: "io.github.ssetimeline.Test.Error.UnknownKey", message: "no reminder x|y")) {
            try failed.get()
        }

        // The standard interfaces come with the vtable: Properties.Get and the introspection data.
        let property = try call(client, loop, interface: "org.freedesktop.DBus.Properties", "Get") {
            (writer) throws(BusError) in
            try writer.append(Self.name)
            try writer.append("Count")
        }
        var propertyReader = try property.get().reader()
        #expect(try propertyReader.read(BusVariant.self) == .uint32(7))
        let introspection = try call(client, loop, interface: "org.freedesktop.DBus.Introspectable", "Introspect")
        var xmlReader = try introspection.get().reader()
        let xml = try xmlReader.read(String.self)
        for expected in [
            "<interface name=\"org.freedesktop.DBus.Peer\">", "<interface name=\"org.freedesktop.DBus.Properties\">",
            "<method name=\"Echo\">", "<arg type=\"s\" name=\"text\" direction=\"in\"/>",
            "<arg type=\"s\" name=\"echoed\" direction=\"out\"/>",
            "<property name=\"Count\" type=\"u\" access=\"read\">",
            "<signal name=\"Happened\">", "<arg type=\"t\" name=\"when\"/>",
        ] {
            #expect(xml.contains(expected), "\(expected) not in \(xml)")
        }
        withExtendedLifetime(object) {}
    }

    @Test func signalsReachSubscribersAndPropertyChangesAreSent() throws {
        let bus = TestBus()
        let loop = try EventLoop()
        let server = try BusConnection(loop: loop, scope: .address(bus.address), name: Self.name, logger: logs.logger())
        var count: UInt32 = 1
        let object = server.export(path: Self.path, interface: echoInterface { count })
        let client = try BusConnection(loop: loop, scope: .address(bus.address), logger: logs.logger())
        var happened: [(String, UInt64)] = []
        let subscription = client.subscribe(
            sender: Self.name,
            path: Self.path,
            interface: Self.name,
            member: "Happened"
        ) {
            var reader = $0.reader()
            if let what = try? reader.read(String.self), let when = try? reader.read(UInt64.self) {
                happened.append((what, when))
            }
        }
        var changed: [BusVariant] = []
        let changes = client.subscribe(
            sender: Self.name,
            path: Self.path,
            interface: "org.freedesktop.DBus.Properties",
            member: "PropertiesChanged"
        ) {
            var reader = $0.reader()
            _ = try? reader.read(String.self)
            if let values = try? reader.read([String: BusVariant].self), let value = values["Count"] {
                changed.append(value)
            }
        }
        // The matches are installed asynchronously: a round trip to the bus after them proves they are in place.
        _ = try call(client, loop, "Echo") { (writer) throws(BusError) in try writer.append("sync") }

        try server.emitSignal(path: Self.path, interface: Self.name, member: "Happened") { (writer) throws(BusError) in
            try writer.append("due")
            try writer.append(UInt64(1_700_000_000_000_000))
        }
        #expect(try run(loop) { !happened.isEmpty })
        #expect(happened.map(\.0) == ["due"])
        #expect(happened.map(\.1) == [1_700_000_000_000_000])

        count = 2
        try server.emitPropertiesChanged(path: Self.path, interface: Self.name, names: ["Count"])
        #expect(try run(loop) { !changed.isEmpty })
        #expect(changed == [.uint32(2)])

        // A cancelled subscription hears nothing more.
        subscription.cancel()
        _ = try call(client, loop, "Echo") { (writer) throws(BusError) in try writer.append("sync") }
        try server.emitSignal(path: Self.path, interface: Self.name, member: "Happened") { (writer) throws(BusError) in
            try writer.append("again")
            try writer.append(UInt64(1))
        }
        _ = try call(client, loop, "Echo") { (writer) throws(BusError) in try writer.append("sync") }
        #expect(happened.count == 1)
        withExtendedLifetime((object, changes)) {}
    }

    @Test func nameOwnerWatchSeesTheServiceComeAndGo() throws {
        let bus = TestBus()
        let loop = try EventLoop()
        let client = try BusConnection(loop: loop, scope: .address(bus.address), logger: logs.logger())
        var owners: [String?] = []
        let watch = client.watchOwner(of: Self.name) { owners.append($0) }
        #expect(try run(loop) { owners.count == 1 })
        #expect(owners == [nil])

        var server: BusConnection? = try BusConnection(
            loop: loop,
            scope: .address(bus.address),
            name: Self.name,
            logger: logs.logger()
        )
        let unique = try #require(server?.uniqueName)
        #expect(try run(loop) { owners.count == 2 })
        #expect(owners.last == unique)
        #expect(watch.owner == unique)

        server = nil
        #expect(try run(loop) { owners.count == 3 })
        #expect(owners.last == .some(nil))
    }

    @Test func callToAMissingServiceFailsWithServiceUnknown() throws {
        let bus = TestBus()
        let loop = try EventLoop()
        let client = try BusConnection(loop: loop, scope: .address(bus.address), logger: logs.logger())
        let result = try call(client, loop, "Echo", destination: "io.github.ssetimeline.Nobody") {
            (writer) throws(BusError) in try writer.append("x")
        }
        guard case .failure(let error) = result else {
            Issue.record("a call to nobody succeeded")
            return
        }
        #expect(error.isServiceUnknown)
    }

    @Test func reconnectsAndInstallsEverythingAgainWhenTheBusRestarts() throws {
        let bus = TestBus()
        let loop = try EventLoop()
        let server = try BusConnection(
            loop: loop,
            scope: .address(bus.address),
            name: Self.name,
            logger: logs.logger(),
            retryDelay: .milliseconds(20)
        )
        let object = server.export(path: Self.path, interface: echoInterface { 3 })
        var connects = 0
        server.onConnected = { connects += 1 }

        bus.stop()
        #expect(try run(loop) { !server.isConnected })
        #expect(!server.ownsName)
        // While the bus is down, tries fail quietly after the first report.
        try loop.runOnce(timeoutMicroseconds: 100_000)
        bus.start()
        #expect(try run(loop) { server.isConnected })
        #expect(server.ownsName)
        #expect(connects == 1)

        let client = try BusConnection(loop: loop, scope: .address(bus.address), logger: logs.logger())
        let echoed = try call(client, loop, "Echo") { (writer) throws(BusError) in try writer.append("back") }
        var reader = try echoed.get().reader()
        #expect(try reader.read(String.self) == "back")
        let lost = logs.all.filter { $0.contains("lost the connection") }
        #expect(lost.count == 1)
        #expect(logs.all.contains { $0.contains("connected to the bus at \(bus.address) again") })
        withExtendedLifetime(object) {}
    }

    /// No D-Bus (yet): the connection waits for the bus's socket to appear, without waking up meanwhile.
    @Test func aBusWhoseSocketDoesNotExistIsWaitedForWithoutWakingUp() throws {
        let bus = TestBus()
        bus.stop()
        let loop = try EventLoop()
        let connection = try BusConnection(
            loop: loop,
            scope: .address(bus.address),
            logger: logs.logger(),
            retryDelay: .milliseconds(10)
        )
        #expect(!connection.isConnected)
        // A timer would retry every 10-20 ms; the socket watch makes no wake-up at all.
        #expect(try loop.runOnce(timeoutMicroseconds: 200_000) == false)
        bus.start()
        #expect(try run(loop) { connection.isConnected })
        #expect(logs.all.contains { $0.contains("connected to the bus at \(bus.address) again") })
    }

    @Test func aConnectionThatCannotReachItsBusRetriesAndTheCallerGoesOn() throws {
        let directory = TemporaryDirectory()
        let loop = try EventLoop()
        let address = "unix:path=\(directory.file("no-bus"))"
        let connection = try BusConnection(loop: loop, scope: .address(address), logger: logs.logger())
        #expect(!connection.isConnected)
        #expect(logs.all.filter { $0.hasPrefix("warning: cannot connect to the bus at \(address)") }.count == 1)
        do {
            _ = try connection.methodCall(
                "Echo",
                at: BusLocator(destination: Self.name, path: Self.path, interface: Self.name)
            )
            Issue.record("a call without a connection was made")
        } catch {
            #expect(error.isNotConnected)
        }
    }
}
