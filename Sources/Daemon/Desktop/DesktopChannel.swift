import Gettext
import Logging
import Timeline

/// The desktop channel: a reminder whose delivery lists `desktop` becomes a notification of the session's server,
/// whose "Snooze ..." and "Dismiss" actions go back to the scheduler as any snooze or dismissal does.
///
/// The journal entry is the record, the notification a courtesy: without a server, the failure is logged once
/// (`desktopUnavailable`); when one appears, the critical reminders not acknowledged are shown on it. An action
/// closes its notification (dunst would leave it on screen); the person closing it (reason 2) dismisses it; a
/// snooze or dismissal from elsewhere closes it; a repeat or a return replaces it (`replaces_id`). One thread.
public final class DesktopChannel: DeliveryObserver {
    /// Where the person's choices go: the scheduler's `snooze(key:for:)` and `dismiss(key:)` (and the daemon
    /// re-arms its timer at their answer).
    public struct FollowUpHandler {
        /// Snoozes the reminder with the key for the duration.
        public var snooze: (_ key: String, _ duration: Duration) throws(FollowUpError) -> Void
        /// Dismisses the reminder with the key.
        public var dismiss: (_ key: String) throws(FollowUpError) -> Void

        /// A handler of the two.
        public init(
            snooze: @escaping (_ key: String, _ duration: Duration) throws(FollowUpError) -> Void,
            dismiss: @escaping (_ key: String) throws(FollowUpError) -> Void
        ) {
            self.snooze = snooze
            self.dismiss = dismiss
        }
    }

    private struct Shown {
        var key: String
        var reminder: DeliveredReminder
    }

    private enum Owner: Equatable {
        case unknown
        case known(String?)
    }

    private let server: any NotificationServer
    private let clock: any WallClock
    private let logger: Logger
    private let followUps: FollowUpHandler
    private let localizer: Localizer

    private var owner = Owner.unknown
    private var capabilities: Set<String>?
    private var askingCapabilities = false
    /// Reminders to show once the capabilities are known.
    private var waiting: [DeliveredReminder] = []
    /// What is on the server now, by notification id.
    private var shown: [UInt32: Shown] = [:]
    private var idOfKey: [String: UInt32] = [:]
    /// Critical reminders not acknowledged yet (no action, not closed, not snoozed or dismissed): shown again on a
    /// server that replaces the one they were on, or on the first one when none ran.
    private var unacknowledged: [String: DeliveredReminder] = [:]
    private var unavailableReported = false

    /// A channel showing notifications on `server` in `localizer`'s language, stamping them with `clock`'s time,
    /// handing the person's choices to `followUps`, logging to `logger`.
    public init(
        server: any NotificationServer,
        clock: any WallClock,
        logger: Logger,
        followUps: FollowUpHandler,
        localizer: Localizer = .english
    ) {
        self.server = server
        self.clock = clock
        self.logger = logger
        self.followUps = followUps
        self.localizer = localizer
        server.onEvent = { [unowned self] event in self.handle(event) }
    }

    /// How many notifications are on the server (for tests and the status).
    public var shownCount: Int { shown.count }

    /// At most this many notifications are remembered: a server that never reports them closed must not make
    /// the daemon grow; the oldest are forgotten (their actions then do nothing).
    static let maximumRemembered = 256

    // MARK: - Reminders

    /// Shows `reminder` when its delivery lists the desktop (after asking the server what it can do, once).
    public func delivered(_ reminder: DeliveredReminder) {
        guard reminder.milestone.delivery(ofReminder: Int(reminder.instance.reminderIndex)).isDesktop else { return }
        if DesktopNotification.Urgency(reminder.entry.priority ?? reminder.milestone.priority) == .critical {
            unacknowledged[reminder.key] = reminder
            forgetOldest()
        }
        show(reminder)
    }

    /// Closes the notification of a reminder snoozed or dismissed elsewhere.
    public func followedUp(_ record: FollowUpRecord) {
        switch record {
        case .snoozed(let key, _), .dismissed(let key, _):
            unacknowledged[key] = nil
            if let id = idOfKey.removeValue(forKey: key) {
                shown[id] = nil
                server.close(id: id)
            }
        case .returned, .repeating:
            break
        }
    }

    private func show(_ reminder: DeliveredReminder) {
        guard let capabilities else {
            waiting.append(reminder)
            askCapabilities()
            return
        }
        let notification = DesktopNotification(
            for: reminder,
            now: clock.now(),
            capabilities: capabilities,
            localizer: localizer
        )
        let replacing = idOfKey[reminder.key] ?? 0
        server.notify(notification, replacing: replacing) { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let id):
                self.available()
                if replacing != 0, replacing != id { self.shown[replacing] = nil }
                if let previous = self.idOfKey[reminder.key], previous != id { self.shown[previous] = nil }
                self.shown[id] = Shown(key: reminder.key, reminder: reminder)
                self.idOfKey[reminder.key] = id
                self.forgetOldest()
            case .failure(let error):
                self.unavailable(error)
            }
        }
    }

    private func askCapabilities() {
        guard !askingCapabilities else { return }
        askingCapabilities = true
        server.capabilities { [weak self] result in
            guard let self else { return }
            self.askingCapabilities = false
            let reminders = self.waiting
            self.waiting = []
            switch result {
            case .success(let list):
                self.capabilities = Set(list)
                for reminder in reminders { self.show(reminder) }
            case .failure(let error):
                // Those reminders are in the journal; the next one asks again.
                self.unavailable(error)
            }
        }
    }

    // MARK: - The server

    private func handle(_ event: NotificationServerEvent) {
        switch event {
        case .ownerChanged(let newOwner):
            ownerChanged(to: newOwner)
        case .actionInvoked(let id, let key):
            guard let action = DesktopNotification.Action(key: key), let item = forget(id: id) else { return }
            server.close(id: id)
            do throws(FollowUpError) {
                switch action {
                case .snooze(let seconds): try followUps.snooze(item.key, .seconds(seconds))
                case .dismiss: try followUps.dismiss(item.key)
                }
            } catch {
                let l10n = Gettext.localizer
                let text =
                    switch action {
                    case .snooze:
                        l10n.tr("cannot snooze %s from its desktop notification: %s", item.key, "\(error)")
                    case .dismiss:
                        l10n.tr("cannot dismiss %s from its desktop notification: %s", item.key, "\(error)")
                    }
                logger.warning("\(text)")
            }
        case .closed(let id, let reason):
            guard let item = forget(id: id), reason == 2 else { return }
            do throws(FollowUpError) {
                try followUps.dismiss(item.key)
            } catch {
                let text = Gettext.localizer.tr(
                    "cannot dismiss %s, whose desktop notification was closed: %s",
                    item.key,
                    "\(error)"
                )
                logger.warning("\(text)")
            }
        }
    }

    /// Forgets the oldest notifications (the lowest ids: servers count up) beyond `maximumRemembered`, and
    /// critical reminders beyond that many.
    private func forgetOldest() {
        while shown.count > Self.maximumRemembered, let oldest = shown.keys.min() {
            _ = forget(id: oldest)
        }
        while unacknowledged.count > Self.maximumRemembered,
            let oldest = unacknowledged.min(by: { $0.value.instance.due < $1.value.instance.due })
        {
            unacknowledged[oldest.key] = nil
        }
    }

    /// Forgets the notification `id` (acted upon or closed); what it showed, if it was ours.
    private func forget(id: UInt32) -> Shown? {
        guard let item = shown.removeValue(forKey: id) else { return nil }
        if idOfKey[item.key] == id { idOfKey[item.key] = nil }
        unacknowledged[item.key] = nil
        return item
    }

    private func ownerChanged(to newOwner: String?) {
        let previous = owner
        guard previous != .known(newOwner) else { return }
        owner = .known(newOwner)
        // The first answer after connecting: what was delivered meanwhile went to this owner already.
        guard previous != .unknown else { return }
        // Another server, or none: the ids and capabilities of the old one mean nothing now.
        capabilities = nil
        shown = [:]
        idOfKey = [:]
        guard let newOwner else { return }
        available(because: newOwner)
        showUnacknowledged()
    }

    private func showUnacknowledged() {
        for reminder in unacknowledged.values.sorted(by: { $0.key < $1.key })
        where !waiting.contains(where: { $0.key == reminder.key }) {
            show(reminder)
        }
    }

    // MARK: - Logging once

    /// Says once that notifications show again; `owner` is the unique name that now owns the server's name.
    private func available(because owner: String? = nil) {
        guard unavailableReported else { return }
        unavailableReported = false
        let l10n = Gettext.localizer
        let text =
            owner.map { l10n.tr("desktop notifications are on again: %s owns %s", $0, BusNotificationServer.name) }
            ?? l10n.tr("desktop notifications are on again")
        logger.notice(
            "\(text)",
            metadata: ["message_id": "\(MessageID.desktopUnavailable)"]
        )
    }

    private func unavailable(_ error: BusError) {
        guard !unavailableReported else { return }
        unavailableReported = true
        let l10n = Gettext.localizer
        let why: String
        if error.isServiceUnknown {
            why = l10n.tr("no notification server on the session bus (nobody owns %s)", BusNotificationServer.name)
        } else if error.isNotConnected {
            why = l10n.tr("not connected to the session bus")
        } else {
            why = l10n.tr("the notification server failed: %s", "\(error)")
        }
        let text = l10n.tr(
            "desktop notifications cannot be shown: %s; the reminders are in the journal, and notifications resume when a server appears",
            why
        )
        logger.warning(
            "\(text)",
            metadata: ["message_id": "\(MessageID.desktopUnavailable)"]
        )
    }
}
