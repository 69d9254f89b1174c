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
    func echoInterface(label: @escaping () -> String) -> BusInterface {
        BusInterface(
            name: Self.name,
            methods: [
                .method("Echo", input: [("text", "s")], output: [("echoed", "s")], unprivileged: true) {
                    (arguments, reply) throws(BusError) in
                    try reply.append(try arguments.read(String.self))
                },
                .method("Fail", input: [("key", "s")]) { (arguments, _) throws(BusError) in
                    let key = try arguments.read(String.self)
                    throw BusError(name: "io.github.ssetimeline.Test.Error.UnknownKey", message: "no reminder \(key)")
                },
            ],
            properties: [
                .property("Label", signature: "s") { (value) throws(BusError) in try value.append(label()) }
            ],
            signals: [.signal("Happened", arguments: [("what", "s"), ("when", "t")])]
        )
    }

    /// Calls `member` on the test object and steps the loop until the answer came.
    func call(
        _ client: BusConnection,
        _ loop: EventLoop,
        interface: String = Self.name,
        _ member: String,
        destination: String = Self.name,
        timeout: Duration? = nil,
        arguments: (inout BusMessageWriter) throws(BusError) -> Void = { _ throws(BusError) in }
    ) throws -> Result<BusMessage, BusError> {
        let locator = BusLocator(destination: destination, path: Self.path, interface: interface)
        var result: Result<BusMessage, BusError>?
        client.call(member, at: locator, timeout: timeout, arguments: arguments) { result = $0 }
        #expect(try run(loop) { result != nil })
        return try #require(result)
    }

    @Test func ownsItsNameAndAnswersCallsOnTheLoop() throws {
        let bus = TestBus()
        let loop = try EventLoop()
        let server = try BusConnection(loop: loop, scope: .address(bus.address), name: Self.name, logger: logs.logger())
        let object = try server.export(path: Self.path, interface: echoInterface { "seven" })
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
            try writer.append("Label")
        }
        var propertyReader = try property.get().reader()
        #expect(try propertyReader.read(BusVariant.self) == .string("seven"))
        let introspection = try call(client, loop, interface: "org.freedesktop.DBus.Introspectable", "Introspect")
        var xmlReader = try introspection.get().reader()
        let xml = try xmlReader.read(String.self)
        for expected in [
            "<interface name=\"org.freedesktop.DBus.Peer\">", "<interface name=\"org.freedesktop.DBus.Properties\">",
            "<method name=\"Echo\">", "<arg type=\"s\" name=\"text\" direction=\"in\"/>",
            "<arg type=\"s\" name=\"echoed\" direction=\"out\"/>",
            "<property name=\"Label\" type=\"s\" access=\"read\">",
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
        var label = "one"
        let object = try server.export(path: Self.path, interface: echoInterface { label })
        let client = try BusConnection(loop: loop, scope: .address(bus.address), logger: logs.logger())
        var happened: [(String, UInt64)] = []
        var subscription: BusSubscription? = client.subscribe(
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
            if let values = try? reader.read([String: BusVariant].self), let value = values["Label"] {
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

        label = "two"
        try server.emitPropertiesChanged(path: Self.path, interface: Self.name, names: ["Label"])
        #expect(try run(loop) { !changed.isEmpty })
        #expect(changed == [.string("two")])

        // A released subscription hears nothing more.
        withExtendedLifetime(subscription) {}
        subscription = nil
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

        server = nil
        #expect(try run(loop) { owners.count == 3 })
        #expect(owners.last == .some(nil))
        withExtendedLifetime(watch) {}
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

    /// As systemd's daemons: a lost bus ends the loop with EXIT_FAILURE, so that the daemon exits 1 and its unit's
    /// `Restart=on-failure` starts it again.
    @Test func aLostBusEndsTheLoopWithFailure() throws {
        let bus = TestBus()
        let loop = try EventLoop()
        let server = try BusConnection(loop: loop, scope: .address(bus.address), name: Self.name, logger: logs.logger())
        #expect(server.uniqueName != nil)
        bus.stop()
        #expect(try run(loop) { loop.isExiting })
        #expect(try loop.run() == EXIT_FAILURE)
        #expect(logs.all.filter { $0.contains("lost the connection to the bus at \(bus.address)") }.count == 1)
    }

    /// A user instance may start before the user's bus: sd-bus waits for the socket without waking the loop, and
    /// once the bus is up the name is owned and the object answers.
    @Test func aServiceStartedBeforeItsBusAnswersOnceTheBusIsUp() throws {
        // sd-bus watches every directory on the socket's path for new entries, and other tests create files in
        // /tmp all the time: the socket goes where little else is created (/run as root, the runtime directory
        // otherwise), so that what is counted below is the connection's own wake-ups.
        let quietBase =
            access("/run", W_OK) == 0 ? "/run" : (ProcessEnvironment.current()["XDG_RUNTIME_DIR"] ?? "/tmp")
        let bus = TestBus(directoryIn: quietBase)
        bus.stop()
        let loop = try EventLoop()
        let server = try BusConnection(loop: loop, scope: .address(bus.address), name: Self.name, logger: logs.logger())
        let object = try server.export(path: Self.path, interface: echoInterface { "late" })
        // No timer runs while the bus is not there: the loop wakes only for sd-bus's first dispatches (one source
        // each) and when a file appears in a directory on the socket's path, never in a retry loop.
        var wakeUps = 0
        let quiet = SystemClock().now().advanced(by: .milliseconds(300))
        while SystemClock().now() < quiet {
            if try loop.runOnce(timeoutMicroseconds: 50_000) { wakeUps += 1 }
        }
        #expect(wakeUps < 10)
        #expect(server.uniqueName == nil)

        bus.start()
        let client = try BusConnection(loop: loop, scope: .address(bus.address), logger: logs.logger())
        var owners: [String?] = []
        let watch = client.watchOwner(of: Self.name) { owners.append($0) }
        #expect(try run(loop) { server.uniqueName != nil && owners.last == server.uniqueName })
        let echoed = try call(client, loop, "Echo") { (writer) throws(BusError) in try writer.append("up") }
        var reader = try echoed.get().reader()
        #expect(try reader.read(String.self) == "up")
        #expect(!logs.all.contains { $0.contains("cannot own") })
        withExtendedLifetime((object, watch)) {}
    }

    /// A call's timeout is kept to the microsecond: 0.5 s is not sd-bus's 25 s default, for the loop's calls and
    /// the command line's blocking ones alike.
    @Test func aCallTimesOutAfterItsTimeoutOfHalfASecond() throws {
        #expect(Optional(Duration.milliseconds(500)).busMicroseconds == 500_000)
        #expect(Optional(Duration.nanoseconds(1)).busMicroseconds == 1)
        #expect(Duration?.none.busMicroseconds == 0)
        let bus = TestBus()
        // The name's owner never reads its messages: its loop never runs.
        let silentLoop = try EventLoop()
        let silent = try BusConnection(
            loop: silentLoop,
            scope: .address(bus.address),
            name: Self.name,
            logger: logs.logger()
        )
        let loop = try EventLoop()
        let client = try BusConnection(loop: loop, scope: .address(bus.address), logger: logs.logger())
        let clock = ContinuousClock()
        let start = clock.now
        let result = try call(client, loop, "Echo", timeout: .milliseconds(500)) { (writer) throws(BusError) in
            try writer.append("anyone?")
        }
        #expect(throws: BusError.self) { try result.get() }
        #expect(clock.now - start >= .milliseconds(500) && clock.now - start < .seconds(5))

        let blocking = try BusClient(scope: .address(bus.address))
        let blockingStart = clock.now
        #expect(throws: BusError.self) {
            _ = try blocking.call(
                "Echo",
                at: BusLocator(destination: Self.name, path: Self.path, interface: Self.name),
                timeout: .milliseconds(500)
            )
        }
        #expect(clock.now - blockingStart >= .milliseconds(500) && clock.now - blockingStart < .seconds(5))
        withExtendedLifetime(silent) {}
    }

    @Test(
        arguments: [
            (BusScope.system, [:], "unix:path=/run/dbus/system_bus_socket"),
            (.system, ["DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/tmp/system"], "unix:path=/tmp/system"),
            (.user, ["XDG_RUNTIME_DIR": "/run/user/1000"], "unix:path=/run/user/1000/bus"),
            (.user, ["XDG_RUNTIME_DIR": "/tmp/a b,c"], "unix:path=/tmp/a%20b%2cc/bus"),
            (.user, ["DBUS_SESSION_BUS_ADDRESS": "unix:path=/s", "XDG_RUNTIME_DIR": "/r"], "unix:path=/s"),
            (.user, [:], nil),
        ] as [(BusScope, [String: String], String?)]
    )
    func theBusAddressIsFoundAsSdBusFindsIt(scope: BusScope, environment: [String: String], address: String?) {
        #expect(scope.address(environment: environment) == address)
    }
}
