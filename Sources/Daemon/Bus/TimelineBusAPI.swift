import CSystemd
import Timeline

/// `ReminderDue`'s arguments.
public struct ReminderDueSignal: Equatable, Sendable {
    /// The reminder's key.
    public var key: String
    /// The milestone's id.
    public var milestoneID: String
    /// The milestone's title.
    public var title: String
    /// The reminder as configured.
    public var reminder: String
    /// When it was due, µs since the epoch.
    public var due: UInt64
    /// Its journal entry, whose fields the signal carries (the first value of each name, in the entry's order).
    public var entry: JournalEntry

    /// The fields the signal carries, by name.
    public var fields: [String: String] {
        var fields: [String: String] = [:]
        for (name, value) in entry.fields where fields[name] == nil { fields[name] = value }
        return fields
    }

    /// Writes the fields as `a{ss}`, in the entry's order, without building a dictionary: a burst of reminders
    /// sends one signal each.
    func appendFields(to writer: inout BusMessageWriter) throws(BusError) {
        let fields = entry.fields
        try writer.container("a", "{ss}") { (array) throws(BusError) in
            for (index, field) in fields.enumerated()
            where !fields[..<index].contains(where: { $0.name == field.name }) {
                try array.container("e", "ss") { (pair) throws(BusError) in
                    try field.name.append(to: &pair)
                    try field.value.append(to: &pair)
                }
            }
        }
    }
}

/// Where the bus API sends its signals: the daemon's bus connection (`BusTimelineSignals`), or a test's double.
public protocol TimelineSignalSender: AnyObject {
    /// Whether any client asked for `ReminderDue` (`Subscribe`) and is still on the bus: without one, the
    /// signal is not built at all (a burst of 100,000 reminders would otherwise send 100,000 signals to nobody).
    var hasSubscribers: Bool { get }
    /// Counts the sender of `message` as a subscriber until it calls `Unsubscribe` or leaves the bus.
    func subscribe(_ message: BusMessage) throws(BusError)
    /// Stops counting the sender of `message`.
    func unsubscribe(_ message: BusMessage) throws(BusError)
    /// Sends `ReminderDue`.
    func sendReminderDue(_ signal: ReminderDueSignal) throws(BusError)
    /// Sends `PropertiesChanged` for `names` of the API object.
    func sendPropertiesChanged(_ names: [String]) throws(BusError)
}

/// The API's signals on a bus connection.
public final class BusTimelineSignals: TimelineSignalSender {
    private let connection: BusConnection
    /// The subscribers, as systemd's own managers track theirs (`sd_bus_track`: a peer that leaves the bus is
    /// dropped by sd-bus).
    private let subscribers: OpaquePointer

    /// Signals sent on `connection`.
    ///
    /// - Throws: `BusError` when the subscribers cannot be tracked (no memory).
    public init(connection: BusConnection) throws(BusError) {
        self.connection = connection
        var track: OpaquePointer?
        try BusError.check("sd_bus_track_new", sd_bus_track_new(connection.pointer, &track, nil, nil))
        subscribers = track!
    }

    deinit {
        sd_bus_track_unref(subscribers)
    }

    public var hasSubscribers: Bool { sd_bus_track_count(subscribers) > 0 }

    public func subscribe(_ message: BusMessage) throws(BusError) {
        try BusError.check("sd_bus_track_add_sender", sd_bus_track_add_sender(subscribers, message.pointer))
    }

    public func unsubscribe(_ message: BusMessage) throws(BusError) {
        _ = sd_bus_track_remove_sender(subscribers, message.pointer)
    }

    public func sendReminderDue(_ signal: ReminderDueSignal) throws(BusError) {
        try connection.emitSignal(
            path: TimelineBusAPI.objectPath,
            interface: TimelineBusAPI.interfaceName,
            member: "ReminderDue"
        ) { (writer) throws(BusError) in
            try writer.append(signal.key, signal.milestoneID, signal.title, signal.reminder, signal.due)
            try signal.appendFields(to: &writer)
        }
    }

    public func sendPropertiesChanged(_ names: [String]) throws(BusError) {
        try connection.emitPropertiesChanged(
            path: TimelineBusAPI.objectPath,
            interface: TimelineBusAPI.interfaceName,
            names: names
        )
    }
}

/// The daemon's D-Bus API: one object, `/io/github/ssetimeline/Timeline1`, with the interface
/// `io.github.ssetimeline.Timeline1`:
///
/// ```
/// ListPending(u limit) -> a(ssssstt) reminders   key, state (upcoming|snoozed), milestone id, title, reminder,
///                                                when it comes (µs since the epoch), when it was first due
/// ListDeliveries() -> a(ssuts) deliveries        deliveries to named channels waiting for a retry: key, channel,
///                                                attempts failed, next try (µs since the epoch), last failure
/// Snooze(s key, t seconds) -> t until            comes back at until (µs since the epoch)
/// Dismiss(s key)
/// Reload()
/// ListCalendars() -> a(ssssuuts) calendars        name, directory, display name, color, items, milestones,
///                                                last successful read (µs since the epoch; 0: never), last error
/// NextDue   t   when the next reminder comes (µs since the epoch; 0: nothing more is due)   PropertiesChanged
/// Status    s   what `systemctl status` shows as Status:                                   PropertiesChanged
/// ReminderDue(s key, s milestone_id, s title, s reminder, t due, a{ss} fields)              a reminder was written
/// ```
///
/// Errors: `io.github.ssetimeline.Timeline1.Error.UnknownKey`, `.NotDueYet`, `.InvalidDuration`,
/// `.NoTimeline`, with a message saying what is accepted. Each method is a call into the `Scheduler` on the
/// loop's thread; its answer re-arms the due timer (`arm`).
public final class TimelineBusAPI: DeliveryObserver {
    /// The object path.
    public static let objectPath = "/io/github/ssetimeline/Timeline1"
    /// The interface name (also the daemon's well-known name).
    public static let interfaceName = "io.github.ssetimeline.Timeline1"
    /// Where clients call it: the daemon's name (the interface's), the object, the interface.
    static let locator = BusLocator(destination: interfaceName, path: objectPath, interface: interfaceName)
    /// The prefix of the error names.
    public static let errorPrefix = "io.github.ssetimeline.Timeline1.Error."
    /// `ListPending(0)` lists this many; more than `maximumLimit` are never listed.
    public static let defaultLimit: UInt32 = 50
    /// The most `ListPending` lists.
    public static let maximumLimit: UInt32 = 1000

    private let scheduler: Scheduler
    /// The named channels' deliveries, for `ListDeliveries` (none: the list is empty).
    public weak var channels: ChannelDeliverer?
    private let arm: (WallTime?) -> Void
    private let sender: (any TimelineSignalSender)?
    private let calendars: () -> [VdirCalendars.Status]
    private var published: (nextDue: UInt64, status: String)?
    private var signalFailureReported = false

    /// The API of `scheduler`, signalling through `sender`; `arm` arms the due timer at the scheduler's answers;
    /// `calendars` says how the `[[calendar]]` vdirs were last read.
    public init(
        scheduler: Scheduler,
        sender: (any TimelineSignalSender)?,
        calendars: @escaping () -> [VdirCalendars.Status] = { [] },
        arm: @escaping (WallTime?) -> Void
    ) {
        self.scheduler = scheduler
        self.sender = sender
        self.calendars = calendars
        self.arm = arm
    }

    /// `ListCalendars`: each `[[calendar]]` as last read.
    public func listCalendars() -> [VdirCalendars.Status] { calendars() }

    // MARK: - Methods and properties

    /// `ListPending`: up to `limit` reminders to come (0: `defaultLimit`).
    public func listPending(limit: UInt32) -> [PendingReminder] {
        let count = limit == 0 ? Self.defaultLimit : min(limit, Self.maximumLimit)
        return scheduler.pending(limit: Int(count))
    }

    /// `Snooze`: the reminder `key` comes back `seconds` from now; returns when (µs since the epoch).
    public func snooze(key: String, seconds: UInt64) throws(BusError) -> UInt64 {
        do {
            arm(try scheduler.snooze(key: key, for: .seconds(Int64(clamping: seconds))))
        } catch {
            throw Self.busError(error)
        }
        return scheduler.snoozedUntil(key).map { UInt64(max(0, $0.microsecondsSinceEpoch)) } ?? 0
    }

    /// `Dismiss`: ends the reminder `key` (its snooze; not sent if not due yet).
    public func dismiss(key: String) throws(BusError) {
        do {
            arm(try scheduler.dismiss(key: key))
        } catch {
            throw Self.busError(error)
        }
    }

    /// `Reload`: reads the config again, as SIGHUP does.
    public func reload() {
        arm(scheduler.reload())
    }

    /// `NextDue`: µs since the epoch, 0 when nothing more is due.
    public var nextDue: UInt64 {
        scheduler.nextDeadline.map { UInt64(max(0, $0.microsecondsSinceEpoch)) } ?? 0
    }

    /// `Status`: the scheduler's last STATUS= line.
    public var status: String { scheduler.lastStatus }

    /// The D-Bus error for a refused snooze or dismissal.
    static func busError(_ error: FollowUpError) -> BusError {
        BusError(name: errorPrefix + error.name, message: error.description)
    }

    // MARK: - Signals

    /// Sends `PropertiesChanged` for whatever changed since the last call (the daemon calls it once per
    /// wake-up of the loop).
    public func publishChanges() {
        let now = (nextDue: nextDue, status: status)
        defer { published = now }
        guard let published else { return }
        var names: [String] = []
        if published.nextDue != now.nextDue { names.append("NextDue") }
        if published.status != now.status { names.append("Status") }
        guard !names.isEmpty, let sender else { return }
        do {
            try sender.sendPropertiesChanged(names)
        } catch {
            reportSignalFailure(error)
        }
    }

    /// Sends `ReminderDue` for a reminder just written.
    public func delivered(_ reminder: DeliveredReminder) {
        guard let sender, sender.hasSubscribers else { return }
        let entry = reminder.entry
        let signal = ReminderDueSignal(
            key: reminder.key,
            milestoneID: reminder.milestone.id,
            title: reminder.milestone.title,
            reminder: entry["REMINDER"] ?? "",
            due: UInt64(max(0, WallTime(reminder.instance.due).microsecondsSinceEpoch)),
            entry: entry
        )
        do {
            try sender.sendReminderDue(signal)
        } catch {
            reportSignalFailure(error)
        }
    }

    private func reportSignalFailure(_ error: BusError) {
        guard !signalFailureReported else { return }
        signalFailureReported = true
        let text = scheduler.localizer.tr(
            "cannot send a signal on the bus: %s; the journal has every entry",
            "\(error)"
        )
        scheduler.logger.warning("\(text)")
    }

    // MARK: - The interface

    /// The interface as sd-bus exports it.
    public var interface: BusInterface {
        BusInterface(
            name: Self.interfaceName,
            methods: [
                .method(
                    "ListPending",
                    input: [("limit", "u")],
                    output: [("reminders", "a(ssssstt)")],
                    unprivileged: true
                ) { [unowned self] (arguments, reply) throws(BusError) in
                    let limit = try arguments.read(UInt32.self)
                    try reply.append(self.listPending(limit: limit).map(PendingReminderRecord.init))
                },
                .method("ListDeliveries", output: [("deliveries", "a(ssuts)")], unprivileged: true) {
                    [unowned self] (_, reply) throws(BusError) in
                    try reply.append(self.channels?.waitingRetries ?? [])
                },
                .method("Snooze", input: [("key", "s"), ("seconds", "t")], output: [("until", "t")]) {
                    [unowned self] (arguments, reply) throws(BusError) in
                    let key = try arguments.read(String.self)
                    let seconds = try arguments.read(UInt64.self)
                    try reply.append(try self.snooze(key: key, seconds: seconds))
                },
                .method("Dismiss", input: [("key", "s")]) { [unowned self] (arguments, _) throws(BusError) in
                    try self.dismiss(key: try arguments.read(String.self))
                },
                .method("Reload") { [unowned self] (_, _) throws(BusError) in self.reload() },
                .method("ListCalendars", output: [("calendars", "a(ssssuuts)")], unprivileged: true) {
                    [unowned self] (_, reply) throws(BusError) in
                    try reply.append(self.listCalendars().map(CalendarStatusRecord.init))
                },
                // As systemd's Manager.Subscribe: ReminderDue goes out while a client that called this is on the bus.
                .method("Subscribe", unprivileged: true) { [unowned self] (arguments, _) throws(BusError) in
                    try self.sender?.subscribe(arguments.message)
                },
                .method("Unsubscribe", unprivileged: true) { [unowned self] (arguments, _) throws(BusError) in
                    try self.sender?.unsubscribe(arguments.message)
                },
            ],
            properties: [
                .property("NextDue", signature: "t") { [unowned self] (value) throws(BusError) in
                    try value.append(self.nextDue)
                },
                .property("Status", signature: "s") { [unowned self] (value) throws(BusError) in
                    try value.append(self.status)
                },
            ],
            signals: [
                .signal(
                    "ReminderDue",
                    arguments: [
                        ("key", "s"), ("milestone_id", "s"), ("title", "s"), ("reminder", "s"),
                        ("due", "t"), ("fields", "a{ss}"),
                    ]
                )
            ]
        )
    }
}

/// One element of `ListPending`'s answer, `(ssssstt)`.
public struct PendingReminderRecord: BusValue, Equatable {
    /// The reminder.
    public var reminder: PendingReminder

    /// The record of `reminder`.
    public init(_ reminder: PendingReminder) {
        self.reminder = reminder
    }

    /// `(ssssstt)`.
    public static var busSignature: String { "(ssssstt)" }

    public func append(to writer: inout BusMessageWriter) throws(BusError) {
        try writer.container("r", "ssssstt") { (fields) throws(BusError) in
            try fields.append(reminder.key)
            try fields.append(reminder.state.rawValue)
            try fields.append(reminder.milestoneID)
            try fields.append(reminder.title)
            try fields.append(reminder.reminder)
            try fields.append(UInt64(max(0, reminder.due.microsecondsSinceEpoch)))
            try fields.append(UInt64(max(0, reminder.originalDue.microsecondsSinceEpoch)))
        }
    }

    public static func read(from reader: inout BusMessageReader) throws(BusError) -> PendingReminderRecord {
        try reader.container("r", "ssssstt") { (fields) throws(BusError) in
            let key = try fields.read(String.self)
            let state = try fields.read(String.self)
            let id = try fields.read(String.self)
            let title = try fields.read(String.self)
            let reminder = try fields.read(String.self)
            let due = try fields.read(UInt64.self)
            let originalDue = try fields.read(UInt64.self)
            return PendingReminderRecord(
                PendingReminder(
                    key: key,
                    milestoneID: id,
                    title: title,
                    reminder: reminder,
                    due: WallTime(microsecondsSinceEpoch: Int64(clamping: due)),
                    originalDue: WallTime(microsecondsSinceEpoch: Int64(clamping: originalDue)),
                    state: PendingReminder.State(rawValue: state) ?? .upcoming
                )
            )
        }
    }
}

/// One element of `ListDeliveries`' answer, `(ssuts)`: key, channel, attempts, next try (µs), last failure.
extension ChannelDeliverer.Retry: BusValue {
    /// `(ssuts)`.
    public static var busSignature: String { "(ssuts)" }

    public func append(to writer: inout BusMessageWriter) throws(BusError) {
        let (key, channel) = PendingDelivery.parts(of: id)
        try writer.container("r", "ssuts") { (fields) throws(BusError) in
            try fields.append(key, channel, UInt32(clamping: attempts), UInt64(max(0, next.microsecondsSinceEpoch)))
            try fields.append(lastFailure)
        }
    }

    public static func read(from reader: inout BusMessageReader) throws(BusError) -> ChannelDeliverer.Retry {
        try reader.container("r", "ssuts") { (fields) throws(BusError) in
            let key = try fields.read(String.self)
            let channel = try fields.read(String.self)
            let attempts = try fields.read(UInt32.self)
            let next = try fields.read(UInt64.self)
            return ChannelDeliverer.Retry(
                id: "\(key)|\(channel)",
                attempts: Int(attempts),
                next: WallTime(microsecondsSinceEpoch: Int64(clamping: next)),
                lastFailure: try fields.read(String.self)
            )
        }
    }
}

/// One element of `ListCalendars`' answer, `(ssssuuts)`.
public struct CalendarStatusRecord: BusValue, Equatable {
    /// The calendar as last read.
    public var status: VdirCalendars.Status

    /// The record of `status`.
    public init(_ status: VdirCalendars.Status) {
        self.status = status
    }

    /// `(ssssuuts)`.
    public static var busSignature: String { "(ssssuuts)" }

    public func append(to writer: inout BusMessageWriter) throws(BusError) {
        try writer.container("r", "ssssuuts") { (fields) throws(BusError) in
            try fields.append(status.name)
            try fields.append(status.path)
            try fields.append(status.displayName ?? "")
            try fields.append(status.color ?? "")
            try fields.append(UInt32(clamping: status.itemCount))
            try fields.append(UInt32(clamping: status.milestoneCount))
            try fields.append(status.lastSuccess.map { UInt64(max(0, $0.secondsSinceEpoch)) * 1_000_000 } ?? 0)
            try fields.append(status.lastError ?? "")
        }
    }

    public static func read(from reader: inout BusMessageReader) throws(BusError) -> CalendarStatusRecord {
        try reader.container("r", "ssssuuts") { (fields) throws(BusError) in
            let name = try fields.read(String.self)
            let path = try fields.read(String.self)
            let displayName = try fields.read(String.self)
            let color = try fields.read(String.self)
            let items = try fields.read(UInt32.self)
            let milestones = try fields.read(UInt32.self)
            let lastSuccess = try fields.read(UInt64.self)
            let lastError = try fields.read(String.self)
            return CalendarStatusRecord(
                VdirCalendars.Status(
                    name: name,
                    path: path,
                    displayName: displayName.isEmpty ? nil : displayName,
                    color: color.isEmpty ? nil : color,
                    itemCount: Int(items),
                    milestoneCount: Int(milestones),
                    lastSuccess: lastSuccess == 0 ? nil : Instant(secondsSinceEpoch: Int64(lastSuccess / 1_000_000)),
                    lastError: lastError.isEmpty ? nil : lastError
                )
            )
        }
    }
}
