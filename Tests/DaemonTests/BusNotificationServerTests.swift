import DaemonTesting
import Testing
import Timeline

@testable import Daemon

/// `BusNotificationServer` against a stand-in notification server on a private bus (`TestBus`): the arguments of
/// `Notify` as they arrive, the signals as they come back, and the owner watch as the server comes and goes. One
/// loop and one thread for both ends; each wait steps the loop until the awaited event, bounded by a deadline.
@Suite(.enabled(if: TestBus.isAvailable), .timeLimit(.minutes(1)))
struct BusNotificationServerTests {
    let logs = LogStore()

    /// Steps `loop` until `done()` holds or 10 s passed; whether it holds.
    func run(_ loop: EventLoop, until done: () -> Bool) throws -> Bool {
        let deadline = SystemClock().now().advanced(by: .seconds(10))
        while !done() && SystemClock().now() < deadline {
            try loop.runOnce(timeoutMicroseconds: 100_000)
        }
        return done()
    }

    /// A stand-in for a notification server: records the calls, answers `Notify` with 42.
    final class StandIn {
        var notify:
            [(
                appName: String, replaces: UInt32, icon: String, summary: String, body: String,
                actions: [String], hints: [String: BusVariant], timeout: Int32
            )] = []
        var closed: [UInt32] = []

        var interface: BusInterface {
            BusInterface(
                name: BusNotificationServer.name,
                methods: [
                    .method("GetCapabilities", output: [("capabilities", "as")]) { (_, reply) throws(BusError) in
                        try reply.append(["actions", "body", "body-markup"])
                    },
                    .method(
                        "Notify",
                        input: [
                            ("app_name", "s"), ("replaces_id", "u"), ("app_icon", "s"),
                            ("summary", "s"), ("body", "s"), ("actions", "as"), ("hints", "a{sv}"),
                            ("expire_timeout", "i"),
                        ],
                        output: [("id", "u")]
                    ) { [unowned self] (arguments, reply) throws(BusError) in
                        self.notify.append(
                            (
                                try arguments.read(String.self), try arguments.read(UInt32.self),
                                try arguments.read(String.self), try arguments.read(String.self),
                                try arguments.read(String.self), try arguments.read([String].self),
                                try arguments.read([String: BusVariant].self), try arguments.read(Int32.self)
                            )
                        )
                        try reply.append(UInt32(42))
                    },
                    .method("CloseNotification", input: [("id", "u")]) {
                        [unowned self] (arguments, _) throws(BusError) in
                        self.closed.append(try arguments.read(UInt32.self))
                    },
                ],
                signals: [
                    .signal("ActionInvoked", arguments: [("id", "u"), ("action_key", "s")]),
                    .signal("NotificationClosed", arguments: [("id", "u"), ("reason", "u")]),
                ]
            )
        }
    }

    func criticalNotification() throws -> DesktopNotification {
        let config = try ConfigLoader(zones: ZoneDatabase(), systemZone: .utc).load([
            ConfigSource(
                name: "t.toml",
                text: """
                    [[milestone]]
                    id = "exam"
                    title = "Exam <1>"
                    start = 2030-01-01T12:00:00Z
                    priority = "alert"
                    notify = ["desktop"]
                    snooze = ["10 minutes"]
                    reminders = ["1 hour before"]
                    """
            )
        ])
        let schedule = Schedule(config: config)
        let instance = schedule.next(after: Instant(secondsSinceEpoch: 0), count: 1)[0]
        let now = WallTime(instance.due)
        let reminder = DeliveredReminder(
            entry: ReminderEntry(schedule: schedule).entry(for: instance, now: now, caughtUp: false),
            key: schedule.key(of: instance),
            milestone: schedule.milestone(of: instance),
            instance: instance,
            isReturn: false
        )
        return DesktopNotification(for: reminder, now: now, capabilities: ["actions", "body-markup"])
    }

    @Test func callsArriveWithTheirArgumentsAndSignalsComeBackFromTheOwnerOnly() throws {
        let bus = TestBus()
        let loop = try EventLoop()
        let client = try BusConnection(loop: loop, scope: .address(bus.address), logger: logs.logger())
        let notifications = BusNotificationServer(connection: client, callTimeout: .seconds(5))
        var events: [NotificationServerEvent] = []
        notifications.onEvent = { events.append($0) }
        #expect(try run(loop) { events == [.ownerChanged(nil)] })

        let standIn = StandIn()
        var server: BusConnection? = try BusConnection(
            loop: loop,
            scope: .address(bus.address),
            name: BusNotificationServer.name,
            logger: logs.logger()
        )
        let object = try server!.export(path: BusNotificationServer.path, interface: standIn.interface)
        let owner = try #require(server?.uniqueName)
        #expect(try run(loop) { events.last == .ownerChanged(owner) })

        var capabilities: Result<[String], BusError>?
        notifications.capabilities { capabilities = $0 }
        #expect(try run(loop) { capabilities != nil })
        #expect(try capabilities?.get() == ["actions", "body", "body-markup"])

        var id: Result<UInt32, BusError>?
        let notification = try criticalNotification()
        notifications.notify(notification, replacing: 7) { id = $0 }
        #expect(try run(loop) { id != nil })
        #expect(try id?.get() == 42)
        let call = try #require(standIn.notify.first)
        #expect(call.appName == "sse-timeline")
        #expect(call.replaces == 7)
        #expect(call.icon == "appointment-soon")
        #expect(call.summary == "Exam <1> starts in 1 hour")
        #expect(call.body == "When: 2030-01-01 12:00 UTC (in 1 hour)")
        #expect(call.actions == ["snooze-600", "Snooze 10 minutes", "dismiss", "Dismiss"])
        #expect(call.hints == ["urgency": .byte(2), "resident": .bool(true)])
        #expect(call.timeout == 0)

        notifications.close(id: 42)
        #expect(try run(loop) { standIn.closed == [42] })

        // A signal from someone else is not the server's; the owner's are passed on.
        let impostor = try BusConnection(loop: loop, scope: .address(bus.address), logger: logs.logger())
        try impostor.emitSignal(
            path: BusNotificationServer.path,
            interface: BusNotificationServer.name,
            member: "ActionInvoked"
        ) {
            (writer) throws(BusError) in
            try writer.append(UInt32(42))
            try writer.append("dismiss")
        }
        try server!.emitSignal(
            path: BusNotificationServer.path,
            interface: BusNotificationServer.name,
            member: "ActionInvoked"
        ) {
            (writer) throws(BusError) in
            try writer.append(UInt32(42))
            try writer.append("snooze-600")
        }
        try server!.emitSignal(
            path: BusNotificationServer.path,
            interface: BusNotificationServer.name,
            member: "NotificationClosed"
        ) { (writer) throws(BusError) in
            try writer.append(UInt32(42))
            try writer.append(UInt32(2))
        }
        #expect(try run(loop) { events.count >= 4 })
        // A round trip through the bus after all three: the impostor's signal had its chance to arrive.
        var again: Result<[String], BusError>?
        notifications.capabilities { again = $0 }
        #expect(try run(loop) { again != nil })
        #expect(
            Array(events.dropFirst(2)) == [.actionInvoked(id: 42, action: "snooze-600"), .closed(id: 42, reason: 2)]
        )

        // The server goes away: the watch says so, and a notification fails as the channel expects.
        withExtendedLifetime(object) {}
        server = nil
        #expect(try run(loop) { events.last == .ownerChanged(nil) })
        var failed: Result<UInt32, BusError>?
        notifications.notify(notification, replacing: 0) { failed = $0 }
        #expect(try run(loop) { failed != nil })
        guard case .failure(let error)? = failed else {
            Issue.record("a notification without a server succeeded")
            return
        }
        #expect(error.isServiceUnknown)
    }
}
