import Gettext
import Logging
import Timeline

extension DaemonService {
    /// The desktop channel of an instance whose bus is a session bus (a user instance, or a bus given by
    /// address): notifications through `bus`, the person's snoozes and dismissals handed to `scheduler`, and its
    /// answer to `arm` (which re-arms the due timer), in the instance's language. Registered as an observer of
    /// `scheduler`. nil for the system instance and without a bus: notifications belong to a person's session.
    static func desktopChannel(
        bus: BusConnection?,
        scheduler: Scheduler,
        clock: any WallClock,
        logger: Logger,
        arm: @escaping (WallTime?) -> Void
    ) -> DesktopChannel? {
        guard let bus, bus.scope != .system else { return nil }
        let followUps = DesktopChannel.FollowUpHandler(
            snooze: { [unowned scheduler] (key, duration) throws(FollowUpError) in
                arm(try scheduler.snooze(key: key, for: duration))
            },
            dismiss: { [unowned scheduler] (key) throws(FollowUpError) in
                arm(try scheduler.dismiss(key: key))
            }
        )
        let channel = DesktopChannel(
            server: BusNotificationServer(connection: bus),
            clock: clock,
            logger: logger,
            followUps: followUps,
            // The process's language: the config's `language` once the timeline is loaded (ReminderEntry makes
            // it the process's), else the session's locale.
            localizer: Gettext.localizer
        )
        scheduler.observers.append(channel)
        return channel
    }

    /// Says once, at start, when the timeline asks for desktop notifications that this instance cannot show.
    static func noteDesktopWithoutSessionBus(_ scheduler: Scheduler, channel: DesktopChannel?, logger: Logger) {
        guard channel == nil else { return }
        let asking = scheduler.milestones.filter { milestone in
            milestone.reminders.indices.contains { milestone.delivery(ofReminder: $0).isDesktop }
        }
        guard !asking.isEmpty else { return }
        let text = scheduler.localizer.trn(
            "%d milestone asks for desktop notifications (notify = [\"desktop\"]), but this instance has no session bus: its reminders go to the journal only. The user instance shows them (systemctl --user enable --now sse-timeline).",
            "%d milestones ask for desktop notifications (notify = [\"desktop\"]), but this instance has no session bus: their reminders go to the journal only. The user instance shows them (systemctl --user enable --now sse-timeline).",
            asking.count
        )
        logger.notice(
            "\(text)",
            metadata: ["message_id": "\(MessageID.desktopUnavailable)"]
        )
    }
}
