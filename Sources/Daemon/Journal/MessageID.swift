/// The fixed 128-bit MESSAGE_IDs of this daemon's journal entries (explained by
/// `systemd/sse-timeline.catalog`, so `journalctl -x` shows what each means).
public enum MessageID {
    /// A reminder came due and was sent on time.
    public static let reminderDue = "5d62f99487414d09a86c67131bc79872"
    /// A reminder that came due while the daemon was not running (or the clock jumped) sent late.
    public static let reminderCaughtUp = "56917b90748648e782bd402cf29b16f2"
    /// Reminders older than the catch-up window, recorded as missed in one summary entry.
    public static let remindersMissed = "da782e2976c845e88f1c7c7ff1063349"
    /// The daemon started with a timeline.
    public static let timelineLoaded = "78a933bccce148dda28b4f43b25024c2"
    /// A reload (SIGHUP) took a new timeline.
    public static let timelineReloaded = "af7d6442ef984da3a95669da0e611632"
    /// A reload failed; the previous timeline keeps running.
    public static let reloadFailed = "f27d112d57714245a006dc03c9d3a692"
    /// The state directory or file had a problem.
    public static let stateError = "3ddf402d29b54e0fa5820d3faa5aff4c"

    /// A reminder was snoozed (through the bus, the command line or the desktop): it comes back later.
    public static let reminderSnoozed = "ef00c3c3556f46f7aec4fdd2e846d0ba"
    /// A reminder was dismissed: no snooze or repeat brings it back.
    public static let reminderDismissed = "07db1169f41643d88c439b56caecfe10"
    /// A snoozed reminder came back: written again, with every field of the reminder.
    public static let reminderReturned = "c6c7298c4669417aa63518f442586c62"
    /// An `on_due` action was handed to systemd: a unit started, or a command as a transient service.
    public static let actionStarted = "eeb99dc57e5f4562a06b2a528345bf4d"
    /// The job of an `on_due` action finished (its result: done, failed, ...).
    public static let actionFinished = "bdfb5609cc8b495e9a69265125af60d7"
    /// An `on_due` action could not be started (systemd refused it, no bus, not allowed).
    public static let actionFailed = "4cb9a38647614890bbaab3ec70985c84"

    /// A nagging reminder (`repeat = { every = ..., times = ... }`) was written again: it was not dismissed yet.
    public static let reminderRepeated = "7e36d920fbe34491b9baadc27159abbf"
    /// Desktop notifications cannot be shown (no notification server on the session bus, or it failed), or can
    /// be again; logged once each way.
    public static let desktopUnavailable = "f271a3ec1eb642cd89f202074e6a69ec"

    /// A delivery to a named channel (`[channel.NAME]`) was recorded in the state; its unit starts next.
    public static let deliveryQueued = "b0c166fd18f842a992c0e331b2aff9bd"
    /// A delivery to a named channel was given up: its `retry_for` passed, or its channel or reminder is gone.
    public static let deliveryGivenUp = "2ca84aee06de4f4c88e12fb78a6cbf40"
    /// A calendar feed was downloaded and its new copy replaced the old one (`sse-timeline fetch`).
    public static let feedUpdated = "44c80f22fb25459e8fce52e269d9676a"
    /// A calendar feed could not be fetched: a warning at the first failure of an outage, then at info.
    public static let feedFailed = "cae9e27317954514a9c2ef12ba80e512"
    /// A calendar feed that failed can be fetched again.
    public static let feedRecovered = "396a1d0562084e1486a1253c70598784"

    // ---- Issue 21, the delivery unit (`sse-timeline deliver`) ----
    /// `sse-timeline deliver` handed a reminder to the mailer or to Apprise (one attempt of a delivery).
    public static let deliverySent = "eaee9a90e3794eb7b1cd888d437ffdf6"
    /// `sse-timeline deliver` could not send a reminder to a channel: `REASON` says why; the daemon retries.
    public static let deliveryFailed = "92259820a2314de2b51171b5388b6ba8"
    // ---- End of issue 21, the delivery unit ----

    /// The IDs under which reminders are written (for reading them back from the journal).
    public static let reminderIDs = [reminderDue, reminderCaughtUp]
}
