import DaemonTesting
import Testing
import Timeline

@testable import Daemon

let desktopTimeline = """
    [defaults]
    notify = ["journal", "desktop"]
    snooze = ["10 minutes", "1 hour"]

    [[milestone]]
    id = "exam"
    title = "Exam"
    start = 2030-01-01T12:00:00Z
    end = 2030-01-01T14:00:00Z
    location = "Room 3 & 4"
    source = "https://example.org/exam?a=1&b=2"
    reminders = ["1 hour before", { at = "at start", priority = "crit", repeat = { every = "5 minutes", times = 2 } }]

    [[milestone]]
    id = "quiet"
    title = "Quiet"
    start = 2030-01-01T11:30:00Z
    notify = ["journal"]
    reminders = ["at start"]
    """
let examHour = "exam|2030-01-01T12:00:00|1 hour before"
let examStart = "exam|2030-01-01T12:00:00|at start"

/// The desktop channel on the manual clock, with a recording double for the notification server and the real
/// scheduler behind it: what is shown, and what the person's choices do to the state.
@Suite("Desktop channel")
struct DesktopChannelTests {
    let harness = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: desktopTimeline)
    let server = RecordingNotificationServer()
    let channel: DesktopChannel

    init() throws {
        let harness = harness
        channel = DesktopChannel(
            server: server,
            clock: harness.clock,
            logger: harness.logs.logger(),
            followUps: DesktopChannel.FollowUpHandler(
                snooze: { [unowned harness] (key, duration) throws(FollowUpError) in
                    try harness.snooze(key: key, for: duration)
                },
                dismiss: { [unowned harness] (key) throws(FollowUpError) in try harness.dismiss(key: key) }
            )
        )
        let channel = channel
        harness.prepare = { $0.observers.append(channel) }
        try harness.start()
    }

    func entries(_ id: String) -> [JournalEntry] {
        harness.sink.entries.filter { $0["MESSAGE_ID"] == id }
    }

    @Test func aDesktopReminderIsShownWithItsTextUrgencyAndActions() throws {
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        #expect(server.calls.count == 2)
        #expect(server.calls.first == .capabilities)
        let shown = try #require(server.shown.first)
        #expect(shown.summary == "Exam starts in 1 hour")
        #expect(
            shown.body == """
                When: 2030-01-01 12:00 to 14:00 UTC (in 1 hour)
                Where: Room 3 &amp; 4
                Source: https://example.org/exam?a=1&amp;b=2
                """
        )
        #expect(shown.icon == "appointment-soon")
        #expect(shown.urgency == .normal)
        #expect(shown.hints == ["urgency": .byte(1)])
        #expect(shown.expireTimeout == -1)
        #expect(
            shown.actionStrings == [
                "snooze-600", "Snooze 10 minutes", "snooze-3600", "Snooze 1 hour", "dismiss", "Dismiss",
            ]
        )
        // The journal entry went out as always.
        #expect(harness.sink.reminderNames == ["exam 1 hour before"])

        // A journal-only milestone is not shown; the capabilities are asked once.
        harness.advance(to: wall("2030-01-01T11:30:00Z"))
        #expect(harness.sink.reminderNames == ["exam 1 hour before", "quiet at start"])
        #expect(server.calls.count == 2)
        #expect(channel.shownCount == 1)
    }

    @Test func aCriticalReminderNeverExpiresAndIsResident() throws {
        harness.run(through: wall("2030-01-01T12:00:00Z"))
        let shown = try #require(server.shown.last)
        #expect(shown.summary == "Exam starts now")
        #expect(shown.urgency == .critical)
        #expect(shown.hints == ["urgency": .byte(2), "resident": .bool(true)])
        #expect(shown.expireTimeout == 0)
    }

    @Test func withoutTheActionsCapabilityOnlyTheTextIsShown() throws {
        server.capabilityList = ["body"]
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        let shown = try #require(server.shown.first)
        #expect(shown.actions.isEmpty)
        #expect(shown.actionStrings.isEmpty)
        // No body-markup: the text goes as it is.
        #expect(shown.body.contains("Where: Room 3 & 4"))
    }

    @Test func snoozeOnTheNotificationSnoozesAndTheReminderComesBackAsANotification() throws {
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        harness.clock.time = wall("2030-01-01T11:00:20Z")
        server.send(.actionInvoked(id: 1, action: "snooze-600"))
        #expect(harness.scheduler?.snoozedUntil(examHour) == wall("2030-01-01T11:10:20Z"))
        #expect(harness.deadline == wall("2030-01-01T11:10:20Z"))
        #expect(entries(MessageID.reminderSnoozed).map { $0["REMINDER_KEY"] } == [examHour])
        // dunst leaves a notification on screen after an action: the channel closes it.
        #expect(server.closed == [1])
        // The close that follows is not taken for a dismissal.
        server.send(.closed(id: 1, reason: 2))
        #expect(entries(MessageID.reminderDismissed).isEmpty)

        harness.advance(to: wall("2030-01-01T11:10:20Z"))
        #expect(entries(MessageID.reminderReturned).count == 1)
        let back = try #require(server.shown.last)
        #expect(server.shown.count == 2)
        #expect(back.summary == "Exam starts in 49 minutes")
        #expect(back.body.hasSuffix("\nBack after a snooze."))
        #expect(server.calls.last == .notify(back, replacing: 0))
    }

    @Test(arguments: [
        (NotificationServerEvent.actionInvoked(id: 1, action: "dismiss"), true),
        (.closed(id: 1, reason: 2), true),
        (.closed(id: 1, reason: 1), false),
        (.closed(id: 1, reason: 3), false),
        (.closed(id: 99, reason: 2), false),
        (.actionInvoked(id: 1, action: "default"), false),
    ])
    func dismissOrClosingByThePersonDismissesAndNothingElseDoes(event: NotificationServerEvent, dismisses: Bool) {
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        server.send(event)
        #expect(entries(MessageID.reminderDismissed).map { $0["REMINDER_KEY"] } == (dismisses ? [examHour] : []))
    }

    @Test func aRepeatReplacesItsNotification() throws {
        harness.run(through: wall("2030-01-01T12:00:00Z"))
        let id = UInt32(server.shown.count)
        server.clearCalls()
        harness.advance(to: wall("2030-01-01T12:05:00Z"))
        guard case .notify(let shown, let replacing)? = server.calls.first else {
            Issue.record("no notification for the repeat: \(server.calls)")
            return
        }
        #expect(replacing == id)
        #expect(shown.summary == "Exam started 5 minutes ago")
        #expect(shown.body.hasSuffix("\nRepeated: 1 more repeat unless dismissed."))
    }

    @Test func noServerIsLoggedOnceAndItsReturnToo() throws {
        server.capabilityList = nil
        harness.run(through: wall("2030-01-01T12:00:00Z"))
        #expect(harness.sink.reminderNames == ["exam 1 hour before", "quiet at start", "exam at start"])
        let warnings = harness.logs.all.filter { $0.contains("desktop notifications cannot be shown") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("no notification server on the session bus") == true)
        #expect(server.shown.isEmpty)

        server.capabilityList = ["actions", "body"]
        server.send(.ownerChanged(nil))
        server.send(.ownerChanged(":1.9"))
        #expect(harness.logs.all.filter { $0.contains("desktop notifications are on again") }.count == 1)
        // The critical reminder nobody saw is shown now; the normal one has gone by.
        #expect(server.shown.map(\.summary) == ["Exam starts now"])
    }

    @Test func aServerThatRestartsGetsTheUnacknowledgedCriticalRemindersAgain() throws {
        server.send(.ownerChanged(":1.1"))
        harness.run(through: wall("2030-01-01T12:00:00Z"))
        #expect(server.shown.count == 2)
        server.clearCalls()
        server.send(.ownerChanged(nil))
        server.send(.ownerChanged(":1.2"))
        #expect(server.calls.first == .capabilities)
        #expect(server.shown.map(\.summary) == ["Exam starts now"])
        // Ids of the old server mean nothing on the new one.
        #expect(server.calls.last.map { if case .notify(_, 0) = $0 { true } else { false } } == true)
        #expect(harness.logs.all.filter { $0.contains("on again") }.isEmpty)
    }

    @Test func anInstanceWithoutASessionBusSaysOnceThatItCannotShowNotifications() throws {
        let scheduler = try #require(harness.scheduler)
        let logs = LogStore()
        DaemonService.noteDesktopWithoutSessionBus(scheduler, channel: nil, logger: logs.logger())
        #expect(logs.all.count == 1)
        #expect(logs.all.first?.hasPrefix("notice: 1 milestone asks for desktop notifications") == true)
        // With a channel, or with a timeline that asks for none, nothing is said.
        DaemonService.noteDesktopWithoutSessionBus(scheduler, channel: channel, logger: logs.logger())
        let quiet = SchedulerHarness(now: wall("2030-01-01T10:00:00Z"), config: followUpTimeline)
        try quiet.start()
        DaemonService.noteDesktopWithoutSessionBus(try #require(quiet.scheduler), channel: nil, logger: logs.logger())
        #expect(logs.all.count == 1)
        quiet.stop()
    }

    @Test func aSnoozeOrDismissalFromElsewhereClosesTheNotification() throws {
        harness.advance(to: wall("2030-01-01T11:00:00Z"))
        harness.clock.time = wall("2030-01-01T11:01:00Z")
        try harness.dismiss(key: examHour)
        #expect(server.closed == [1])
        #expect(channel.shownCount == 0)
    }
}

/// The desktop channel alone, with reminders made up for it.
@Suite("Desktop channel memory")
struct DesktopChannelMemoryTests {
    @Test func aServerThatNeverClosesNotificationsDoesNotMakeTheChannelGrow() throws {
        let config = try ConfigLoader(zones: ZoneDatabase(), systemZone: .utc).load([
            ConfigSource(name: "t.toml", text: desktopTimeline)
        ])
        let schedule = Schedule(config: config)
        let instance = schedule.next(after: Instant(secondsSinceEpoch: 0), count: 1)[0]
        let entry = ReminderEntry(schedule: schedule).entry(for: instance, now: WallTime(instance.due), caughtUp: false)
        let server = RecordingNotificationServer()
        var dismissed: [String] = []
        let channel = DesktopChannel(
            server: server,
            clock: ManualClock(now: WallTime(instance.due)),
            logger: LogStore().logger(),
            followUps: DesktopChannel.FollowUpHandler(
                snooze: { (_, _) throws(FollowUpError) in },
                dismiss: { (key) throws(FollowUpError) in dismissed.append(key) }
            )
        )
        let count = DesktopChannel.maximumRemembered + 44
        for n in 1...count {
            channel.delivered(
                DeliveredReminder(
                    entry: entry,
                    key: "k\(n)",
                    milestone: schedule.milestone(of: instance),
                    instance: instance,
                    isReturn: false
                )
            )
        }
        #expect(server.shown.count == count)
        #expect(channel.shownCount == DesktopChannel.maximumRemembered)
        // The oldest were forgotten: their actions do nothing; the newest still work.
        server.send(.actionInvoked(id: 1, action: "dismiss"))
        server.send(.actionInvoked(id: UInt32(count), action: "dismiss"))
        #expect(dismissed == ["k\(count)"])
    }
}

/// The text of a notification, built from a reminder and the time it is shown.
@Suite("Desktop notification")
struct DesktopNotificationTests {
    func delivered(_ config: String, at now: String, index: Int = 0) throws -> DeliveredReminder {
        let loaded = try ConfigLoader(zones: ZoneDatabase(), systemZone: .utc).load([
            ConfigSource(name: "t.toml", text: config)
        ])
        let schedule = Schedule(config: loaded)
        let instance = schedule.next(after: Instant(secondsSinceEpoch: wall(now).seconds - 1), count: 10)[index]
        let entry = ReminderEntry(schedule: schedule).entry(for: instance, now: wall(now), caughtUp: false)
        return DeliveredReminder(
            entry: entry,
            key: schedule.key(of: instance),
            milestone: schedule.milestone(of: instance),
            instance: instance,
            isReturn: false
        )
    }

    @Test func anAllDayMilestoneCountsInDaysAndShowsItsDates() throws {
        let reminder = try delivered(
            """
            [[milestone]]
            id = "ilc"
            title = "International Labour Conference"
            start = 2030-06-03
            end = 2030-06-14
            timezone = "Europe/Zurich"
            location = "Geneva"
            priority = "info"
            notify = ["desktop"]
            snooze = []
            reminders = ["1 day before", "at end"]
            """,
            at: "2030-06-02T07:00:00Z"
        )
        let notification = DesktopNotification(
            for: reminder,
            now: wall("2030-06-02T07:00:00Z"),
            capabilities: ["actions"]
        )
        #expect(notification.summary == "International Labour Conference starts tomorrow")
        #expect(notification.body == "When: 2030-06-03 to 2030-06-14 (tomorrow)\nWhere: Geneva")
        #expect(notification.urgency == .low)
        #expect(notification.actions == [.dismiss])
    }

    @Test(arguments: [
        ("2030-06-14T07:00:00Z", "ends today"), ("2030-06-16T07:00:00Z", "ended 2 days ago"),
        ("2030-06-15T07:00:00Z", "ended yesterday"), ("2030-06-10T07:00:00Z", "ends in 4 days"),
    ])
    func anEndReminderCountsToTheEnd(now: String, relation: String) throws {
        let reminder = try delivered(
            """
            [[milestone]]
            id = "ilc"
            title = "ILC"
            start = 2030-06-03
            end = 2030-06-14
            timezone = "Europe/Zurich"
            reminders = ["at end"]
            """,
            at: "2030-06-14T07:00:00Z"
        )
        let notification = DesktopNotification(for: reminder, now: wall(now), capabilities: [])
        #expect(notification.summary == "ILC \(relation)")
    }

    @Test(arguments: [
        (Priority.emergency, DesktopNotification.Urgency.critical), (.alert, .critical), (.critical, .critical),
        (.error, .normal), (.warning, .normal), (.notice, .normal), (.info, .low), (.debug, .low),
    ])
    func urgencyFollowsThePriority(priority: Priority, urgency: DesktopNotification.Urgency) {
        #expect(DesktopNotification.Urgency(priority) == urgency)
    }

    @Test(arguments: [
        ("snooze-600", DesktopNotification.Action.snooze(seconds: 600)), ("dismiss", .dismiss),
        ("snooze-0", nil), ("snooze-x", nil), ("default", nil),
    ])
    func actionKeysReadBack(key: String, action: DesktopNotification.Action?) {
        #expect(DesktopNotification.Action(key: key) == action)
        if let action { #expect(action.key == key) }
    }

    @Test(arguments: [(Int64(600), "10 minutes"), (3600, "1 hour"), (5400, "1 hour 30 minutes"), (172_800, "2 days")])
    func durationsReadAsTheConfigWritesThem(seconds: Int64, text: String) {
        #expect(DesktopNotification.durationText(seconds) == text)
    }
}
