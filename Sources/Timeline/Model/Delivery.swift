/// Where a reminder goes and how people can follow it up: the channels beside the journal (the desktop, and the
/// named `[channel.NAME]` tables in `remote`), the snooze
/// durations offered, and the nagging repeats until it is dismissed (`notify`, `snooze` and `repeat` in
/// `[defaults]`, a milestone, or one reminder's table).
///
/// A milestone holds the delivery resolved against `[defaults]`; a reminder holds only what its own table
/// overrides (`DeliveryOverride`), applied at delivery time. The fields live in one shared, immutable box:
/// milestones that do not override anything share the defaults' box, so a timeline of 100,000 milestones
/// pays 8 bytes a milestone for it.
public struct Delivery: Hashable, Sendable {
    /// The channels a reminder goes to. The journal entry is always written: it is the record.
    public struct Channels: OptionSet, Hashable, Sendable {
        /// The bits: 1 the journal, 2 the desktop.
        public let rawValue: UInt8

        /// A set from its bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// The systemd journal (always included).
        public static let journal = Channels(rawValue: 1 << 0)
        /// A desktop notification (`org.freedesktop.Notifications` on the session bus of the user instance).
        public static let desktop = Channels(rawValue: 1 << 1)

        /// The names accepted in `notify`, in order, with their channel.
        public static let named: [(name: String, channel: Channels)] = [("journal", .journal), ("desktop", .desktop)]

        /// The channels' names, in the order of `named`.
        public var names: [String] { Self.named.filter { contains($0.channel) }.map(\.name) }
    }

    /// Nagging: the reminder is written again every `every` seconds, `times` more times, until it is dismissed
    /// (iCalendar's VALARM `REPEAT` and `DURATION`).
    public struct Repetition: Hashable, Sendable {
        /// Seconds between two repeats (and between the reminder and its first repeat).
        public var every: Int64
        /// How many repeats follow the reminder.
        public var times: Int
    }

    private struct Fields: Hashable, Sendable {
        var channels: Channels = [.journal]
        var remote: [String] = []
        var mailTo: [String] = []
        var snooze: [Int64] = Delivery.defaultSnooze
        var repetition: Repetition?
    }

    private var box: SharedBox<Fields>

    /// The snooze durations offered when none are configured: 10 minutes and 1 hour.
    public static let defaultSnooze: [Int64] = [600, 3600]
    /// The built-in delivery: the journal only, snoozes of 10 minutes and 1 hour, no repeat.
    public static let standard = Delivery(box: SharedBox(Fields()))

    private init(box: SharedBox<Fields>) { self.box = box }

    /// A delivery to `channels` (the journal is added) and the named channels `remote`, offering `snooze`
    /// (seconds), repeating per `repetition`.
    public init(
        channels: Channels = [.journal],
        remote: [String] = [],
        snooze: [Int64] = Delivery.defaultSnooze,
        repetition: Repetition? = nil
    ) {
        box = SharedBox(
            Fields(channels: channels.union(.journal), remote: remote.sorted(), snooze: snooze, repetition: repetition)
        )
    }

    /// The channels; always includes `.journal`.
    public var channels: Channels {
        get { box.value.channels }
        set { change { $0.channels = newValue.union(.journal) } }
    }

    /// The named channels (`[channel.NAME]`, or `ics-mail`), sorted.
    public var remote: [String] {
        get { box.value.remote }
        set { change { $0.remote = newValue.sorted() } }
    }

    /// The addresses of an iCalendar `ACTION:EMAIL` alarm that the config allows (`mail_allow`): the recipients
    /// of its `ics-mail` channel.
    public var mailTo: [String] {
        get { box.value.mailTo }
        set { change { $0.mailTo = newValue } }
    }

    /// Every name as `notify` lists it: `journal`, `desktop`, then the named channels.
    public var channelNames: [String] { channels.names + remote }

    /// The snooze durations offered, in seconds, in the order configured (empty: only Dismiss is offered).
    public var snooze: [Int64] {
        get { box.value.snooze }
        set { change { $0.snooze = newValue } }
    }

    /// The nagging repeats, if any.
    public var repetition: Repetition? {
        get { box.value.repetition }
        set { change { $0.repetition = newValue } }
    }

    /// Whether reminders go to the desktop too.
    public var isDesktop: Bool { channels.contains(.desktop) }

    /// This delivery with what `override` sets taken from it.
    public func applying(_ override: DeliveryOverride?) -> Delivery {
        guard let override, !override.isEmpty else { return self }
        var result = self
        if let channels = override.channels {
            result.channels = channels
            result.remote = override.remote
        }
        if !override.mailTo.isEmpty {
            result.remote = Array(Set(result.remote + [Channel.icsMail]))
            result.mailTo = override.mailTo
        }
        if let snooze = override.snooze { result.snooze = snooze }
        if let repetition = override.repetition { result.repetition = repetition }
        return result
    }

    private mutating func change(_ body: (inout Fields) -> Void) {
        var fields = box.value
        body(&fields)
        if fields != box.value { box = SharedBox(fields) }
    }
}

/// What one reminder's table (`{ at = "15 minutes before", notify = [...], snooze = [...], repeat = ... }`)
/// changes of its milestone's `Delivery`; nil fields keep the milestone's. Immutable, its fields in one box, so a
/// reminder without one pays 8 bytes for it.
public struct DeliveryOverride: Hashable, Sendable {
    private struct Fields: Hashable, Sendable {
        var channels: Delivery.Channels?
        var remote: [String] = []
        var mailTo: [String] = []
        var snooze: [Int64]?
        var repetition: Delivery.Repetition??
    }

    private let box: SharedBox<Fields>

    /// An override of the given fields: `remote` (the named channels) goes with `channels` (a `notify` of its
    /// own); `mailTo` adds the `ics-mail` channel to those addresses; `repetition` is `.some(nil)` for
    /// `repeat = false` (no repeat though the milestone has one), `.some(r)` for a repeat of its own, nil to keep
    /// the milestone's.
    public init(
        channels: Delivery.Channels? = nil,
        remote: [String] = [],
        mailTo: [String] = [],
        snooze: [Int64]? = nil,
        repetition: Delivery.Repetition?? = nil
    ) {
        box = SharedBox(
            Fields(
                channels: channels.map { $0.union(.journal) },
                remote: remote.sorted(),
                mailTo: mailTo,
                snooze: snooze,
                repetition: repetition
            )
        )
    }

    /// The channels, when the reminder lists its own `notify`.
    public var channels: Delivery.Channels? { box.value.channels }
    /// The named channels of its own `notify` (with `channels`), sorted.
    public var remote: [String] { box.value.remote }
    /// The addresses of an iCalendar `ACTION:EMAIL` alarm (the `ics-mail` channel), when it has any allowed.
    public var mailTo: [String] { box.value.mailTo }
    /// The snooze durations, when the reminder has its own `snooze`.
    public var snooze: [Int64]? { box.value.snooze }
    /// The repeat, when the reminder has its own `repeat` (`.some(nil)`: `repeat = false`).
    public var repetition: Delivery.Repetition?? { box.value.repetition }

    /// Whether it changes nothing.
    public var isEmpty: Bool { channels == nil && mailTo.isEmpty && snooze == nil && repetition == nil }
}
