import DaemonTesting
import Foundation
import Synchronization
import Testing
import Timeline

@testable import Daemon

/// Records the API's signals instead of sending them: the double of the bus.
final class RecordedSignals: TimelineSignalSender {
    var reminders: [ReminderDueSignal] = []
    var changes: [[String]] = []
    var hasSubscribers = true

    func subscribe(_ message: BusMessage) throws(BusError) { hasSubscribers = true }
    func unsubscribe(_ message: BusMessage) throws(BusError) { hasSubscribers = false }
    func sendReminderDue(_ signal: ReminderDueSignal) throws(BusError) { reminders.append(signal) }
    func sendPropertiesChanged(_ names: [String]) throws(BusError) { changes.append(names) }
}

/// The bus API against a scheduler on the manual clock, its signals recorded by a double.
@Suite("Timeline bus API")
struct TimelineBusAPITests {
    let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: followUpTimeline)
    let signals = RecordedSignals()

    func api(acts: @escaping (WallTime?) -> Void = { _ in }) throws -> TimelineBusAPI {
        let scheduler = try #require(harness.scheduler)
        let api = TimelineBusAPI(scheduler: scheduler, sender: signals, arm: acts)
        scheduler.observers.append(api)
        return api
    }

    @Test func listsSnoozesAndDismissesAndArmsTheTimerWithTheAnswer() throws {
        try harness.start()
        var acts: [WallTime?] = []
        let api = try api { acts.append($0) }
        #expect(api.listPending(limit: 0).map(\.key) == [examHourBefore, examAtStart])
        #expect(api.listPending(limit: 1).map(\.key) == [examHourBefore])

        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        let until = try api.snooze(key: examHourBefore, seconds: 300)
        #expect(until == UInt64(wall("2030-01-01T11:05:00Z").microsecondsSinceEpoch))
        #expect(acts == [wall("2030-01-01T11:05:00Z")])
        #expect(api.nextDue == UInt64(wall("2030-01-01T11:05:00Z").microsecondsSinceEpoch))
        try api.dismiss(key: examHourBefore)
        #expect(acts.last == wall("2030-01-01T12:00:00Z"))
        harness.stop()
    }

    @Test(arguments: [
        ("exam|2030-01-01T12:00:00|never", UInt64(60), "io.github.ssetimeline.Timeline1.Error.UnknownKey"),
        (examHourBefore, UInt64(0), "io.github.ssetimeline.Timeline1.Error.InvalidDuration"),
        (examAtStart, UInt64(60), "io.github.ssetimeline.Timeline1.Error.NotDueYet"),
    ])
    func refusalsAreDBusErrorsWithClearMessages(key: String, seconds: UInt64, name: String) throws {
        try harness.start()
        let api = try api()
        do {
            _ = try api.snooze(key: key, seconds: seconds)
            Issue.record("snoozed \(key)")
        } catch {
            #expect(error.name == name)
            #expect(!error.message.isEmpty)
        }
        harness.stop()
    }

    @Test func sendsReminderDueWithEveryFieldAndPropertiesChangedOncePerChange() throws {
        try harness.start()
        let api = try api()
        api.publishChanges()  // The first call only takes note.
        #expect(signals.changes.isEmpty)

        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        let signal = try #require(signals.reminders.first)
        #expect(signal.key == examHourBefore)
        #expect(signal.milestoneID == "exam")
        #expect(signal.title == "Exam")
        #expect(signal.reminder == "1 hour before")
        #expect(signal.due == UInt64(wall("2030-01-01T11:00:00Z").microsecondsSinceEpoch))
        #expect(signal.fields["MESSAGE_ID"] == MessageID.reminderDue)
        #expect(signal.fields["REMINDER_KEY"] == examHourBefore)
        #expect(signal.fields["MESSAGE"] == harness.sink.reminders.first?.message)

        api.publishChanges()
        #expect(signals.changes == [["NextDue", "Status"]])
        api.publishChanges()
        #expect(signals.changes.count == 1)

        // A snoozed reminder's return is signalled too.
        harness.clock.time = wall("2030-01-01T11:00:10Z")
        try harness.snooze(key: examHourBefore, for: .seconds(60))
        harness.advance(to: wall("2030-01-01T11:01:10Z"))
        #expect(signals.reminders.map(\.fields["MESSAGE_ID"]) == [MessageID.reminderDue, MessageID.reminderReturned])
        harness.stop()
    }
}

/// The API exported on a real bus: what a client sees.
@Suite(.enabled(if: TestBus.isAvailable), .timeLimit(.minutes(1)))
struct TimelineBusObjectTests {
    /// Runs `body` on a thread of its own while stepping `loop` on this one, until `body` returned (at most
    /// 20 s); its result, or nil when it threw or did not finish.
    /// A private bus, the follow-up timeline started on a manual clock, and a connection that owns the API's name on
    /// a loop of the test's own.
    func startServer() throws -> (TestBus, LogStore, SchedulerHarness, EventLoop, BusConnection) {
        let bus = TestBus()
        let logs = LogStore()
        let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: followUpTimeline)
        try harness.start()
        let loop = try EventLoop()
        let server = try BusConnection(
            loop: loop,
            scope: .address(bus.address),
            name: TimelineBusAPI.interfaceName,
            logger: logs.logger()
        )
        return (bus, logs, harness, loop, server)
    }

    func serve<Result: Sendable>(_ loop: EventLoop, _ body: @escaping @Sendable () throws -> Result) throws -> Result? {
        let box = ResultBox<Result>()
        let thread = Thread { box.set(try? body()) }
        thread.start()
        let deadline = SystemClock().now().advanced(by: .seconds(20))
        while !box.done && SystemClock().now() < deadline {
            try loop.runOnce(timeoutMicroseconds: 50_000)
        }
        return box.value
    }

    @Test func introspectionListsTheAPIAndErrorsCrossTheBus() throws {
        let (bus, logs, harness, loop, server) = try startServer()
        let api = TimelineBusAPI(
            scheduler: try #require(harness.scheduler),
            sender: try BusTimelineSignals(connection: server),
            arm: { _ in }
        )
        let object = try server.export(path: TimelineBusAPI.objectPath, interface: api.interface)
        // The command line's client blocks in its calls: it runs on a thread of the test's own while the
        // test's thread runs the server's loop, as two processes would.
        let address = bus.address
        let answers = try serve(loop) {
            let client = try BusClient(scope: .address(address))
            let timeline = TimelineClient(bus: client)
            let pending = try timeline.pending(limit: 10)
            var failure: BusError?
            do throws(BusError) {
                _ = try timeline.snooze(key: "nope|x|y", seconds: 60)
            } catch {
                failure = error
            }
            var introspection = try client.call(
                "Introspect",
                at: TimelineBusAPI.locator.interface("org.freedesktop.DBus.Introspectable")
            ).reader()
            let xml = try introspection.read(String.self)
            return (pending, failure, xml, try timeline.status())
        }
        let (pending, failure, xml, status): ([PendingReminder], BusError?, String, String) = try #require(answers)
        #expect(pending.map(\.key) == [examHourBefore, examAtStart])
        #expect(failure?.name == "io.github.ssetimeline.Timeline1.Error.UnknownKey")
        #expect(failure?.message.contains("no reminder \"nope|x|y\"") == true)
        #expect(status.hasPrefix("1 milestone, 2 reminders pending"))
        for expected in [
            "<interface name=\"io.github.ssetimeline.Timeline1\">", "<method name=\"ListPending\">",
            "<arg type=\"u\" name=\"limit\" direction=\"in\"/>",
            "<arg type=\"a(ssssstt)\" name=\"reminders\" direction=\"out\"/>", "<method name=\"Snooze\">",
            "<method name=\"Dismiss\">", "<method name=\"Reload\">",
            "<property name=\"NextDue\" type=\"t\" access=\"read\">",
            "<property name=\"Status\" type=\"s\" access=\"read\">", "<signal name=\"ReminderDue\">",
            "<arg type=\"a{ss}\" name=\"fields\"/>", "org.freedesktop.DBus.Introspectable",
            "org.freedesktop.DBus.Properties", "org.freedesktop.DBus.Peer",
        ] {
            #expect(xml.contains(expected), "\(expected)")
        }
        withExtendedLifetime((object, logs)) {}
        harness.stop()
    }
}

extension TimelineBusObjectTests {
    /// ReminderDue goes out only while a client that called Subscribe is on the bus (as systemd's
    /// Manager.Subscribe): without one, a burst does not send a signal per reminder to nobody.
    @Test func reminderDueGoesToSubscribersOnly() throws {
        let (bus, logs, harness, loop, server) = try startServer()
        let scheduler = try #require(harness.scheduler)
        let signals = try BusTimelineSignals(connection: server)
        let api = TimelineBusAPI(scheduler: scheduler, sender: signals, arm: { _ in })
        scheduler.observers.append(api)
        let object = try server.export(path: TimelineBusAPI.objectPath, interface: api.interface)
        let client = try BusConnection(loop: loop, scope: .address(bus.address), logger: logs.logger())
        var received: [String] = []
        let subscription = client.subscribe(
            sender: TimelineBusAPI.interfaceName,
            path: TimelineBusAPI.objectPath,
            interface: TimelineBusAPI.interfaceName,
            member: "ReminderDue"
        ) { message in
            var reader = message.reader()
            if let key = try? reader.read(String.self) { received.append(key) }
        }
        func step(until done: () -> Bool) throws -> Bool {
            let deadline = SystemClock().now().advanced(by: .seconds(10))
            while !done() && SystemClock().now() < deadline { try loop.runOnce(timeoutMicroseconds: 50_000) }
            return done()
        }
        let locator = BusLocator(
            destination: TimelineBusAPI.interfaceName,
            path: TimelineBusAPI.objectPath,
            interface: TimelineBusAPI.interfaceName
        )

        // Nobody subscribed: the first reminder is written, no signal is built.
        #expect(!signals.hasSubscribers)
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        #expect(harness.sink.reminders.count == 1)

        var subscribed = false
        client.call("Subscribe", at: locator) { result in subscribed = (try? result.get()) != nil }
        #expect(try step { subscribed })
        #expect(signals.hasSubscribers)
        harness.advance(to: wall("2030-01-01T12:00:00Z"))
        #expect(try step { !received.isEmpty })
        #expect(received == [examAtStart])

        var unsubscribed = false
        client.call("Unsubscribe", at: locator) { result in unsubscribed = (try? result.get()) != nil }
        #expect(try step { unsubscribed })
        #expect(!signals.hasSubscribers)
        withExtendedLifetime((object, subscription)) {}
        harness.stop()
    }
}

/// A value handed from a thread to the test's.
final class ResultBox<Value: Sendable>: Sendable {
    private let state = Mutex<(done: Bool, value: Value?)>((false, nil))

    func set(_ value: Value?) { state.withLock { $0 = (true, value) } }
    var done: Bool { state.withLock { $0.done } }
    var value: Value? { state.withLock { $0.value } }
}

extension TimelineBusObjectTests {
    /// `ListDeliveries` carries the deliveries waiting for a retry across the bus, as `pending` shows them.
    @Test func deliveriesWaitingForARetryCrossTheBus() throws {
        let (bus, logs, _, loop, server) = try startServer()
        let runtime = TemporaryDirectory()
        let harness = SchedulerHarness(now: wall("2030-01-01T11:00:00Z"), config: ChannelDelivererTests.timeline())
        let channels = try ChannelDelivererTests.Instance(harness, runtime: runtime.path)
        channels.advance(to: wall("2030-01-01T12:00:00Z"))
        channels.manager.end(channels.manager.answer(), "failed")
        let api = TimelineBusAPI(scheduler: try #require(harness.scheduler), sender: nil, arm: { _ in })
        api.channels = channels.deliverer
        let object = try server.export(path: TimelineBusAPI.objectPath, interface: api.interface)
        let address = bus.address
        let listed = try serve(loop) {
            try TimelineClient(bus: try BusClient(scope: .address(address))).deliveries()
        }
        let expected = try #require(channels.deliverer?.waitingRetries)
        #expect(expected.count == 2)
        #expect(listed == expected)
        #expect(listed?.first?.lastFailure == "failed")
        withExtendedLifetime((object, logs)) {}
        harness.stop()
    }

    /// ListCalendars carries each calendar's status across the bus, a calendar never read and one read included.
    @Test func listCalendarsCrossesTheBus() throws {
        let (bus, logs, harness, loop, server) = try startServer()
        let statuses = [
            VdirCalendars.Status(
                name: "team", path: "/srv/calendars/team", displayName: "Team", color: "#ff8800", itemCount: 12,
                milestoneCount: 14, lastSuccess: Instant(secondsSinceEpoch: 1_799_142_600),
                lastError: "/srv/calendars/team/x.ics:3:9: warning: DTSTART: not a date-time"
            ),
            VdirCalendars.Status(name: "home", path: "/home/ann/cal", itemCount: 0, milestoneCount: 0),
        ]
        let api = TimelineBusAPI(
            scheduler: try #require(harness.scheduler),
            sender: try BusTimelineSignals(connection: server),
            calendars: { statuses },
            arm: { _ in }
        )
        let object = try server.export(path: TimelineBusAPI.objectPath, interface: api.interface)
        let address = bus.address
        let answer = try serve(loop) {
            try TimelineClient(bus: try BusClient(scope: .address(address))).calendars()
        }
        #expect(try #require(answer) == statuses)
        withExtendedLifetime((object, logs)) {}
        harness.stop()
    }
}
