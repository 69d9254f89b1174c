import Gettext
import Logging
import Timeline

/// The edits of one VALARM in an iCalendar text that the write-back makes (RFC 9074), every other byte kept: the
/// seam to the byte-preserving editor. Each takes the file's text, the component's UID and RECURRENCE-ID (nil: the
/// master), and which VALARM of that component (from 0, in file order); each throws when the text has no such
/// alarm.
public struct AlarmEditor: Sendable {
    /// Sets the alarm's `ACKNOWLEDGED` to the instant given.
    public var acknowledge:
        @Sendable (_ text: String, _ uid: String, _ recurrenceID: String?, _ alarmIndex: Int, _ at: Instant) throws
            -> String
    /// Adds the snooze alarm (`RELATED-TO;RELTYPE=SNOOZE`) that fires at `until`, when the alarm has a UID; the
    /// text unchanged otherwise.
    public var snooze:
        @Sendable (
            _ text: String, _ uid: String, _ recurrenceID: String?, _ alarmIndex: Int, _ until: Instant,
            _ now: Instant
        ) throws -> String

    /// An editor of the two edits.
    public init(
        acknowledge: @escaping @Sendable (String, String, String?, Int, Instant) throws -> String,
        snooze: @escaping @Sendable (String, String, String?, Int, Instant, Instant) throws -> String
    ) {
        self.acknowledge = acknowledge
        self.snooze = snooze
    }
}

/// Writes dismissals and snoozes of reminders that came from a calendar item's VALARM back into the item's file,
/// so that vdirsyncer carries them to the server and the person's other devices stop ringing.
///
/// A dismissal sets the alarm's `ACKNOWLEDGED` to the time of the dismissal (for a reminder dismissed before it
/// came due, to its due time, so that the acknowledgement covers it); a snooze adds RFC 9074's snooze alarm when
/// the alarm has a UID. Reminders of a `read_only` calendar, or of an item without VALARM (the calendar's
/// `reminders`), are dismissed locally only, as are all of them when no editor is given. Before the edit the file
/// is read again and the alarm found again in it (by UID, RECURRENCE-ID and the reminder's offset), so that an
/// edit made elsewhere since the daemon read the file is neither lost nor misapplied.
public final class CalendarWriteBack: DeliveryObserver {
    private let calendars: VdirCalendars
    private let editor: AlarmEditor?
    private let milestones: () -> [Milestone]
    private let now: () -> Instant
    private let logger: Logger
    var writer = ItemFileWriter()
    private var saidLocalOnly = false

    /// Writes back through `editor` (nil: dismissals stay local, said once in the log) into the items of
    /// `calendars`; `milestones` are the running timeline's, `now` the wall clock.
    public init(
        calendars: VdirCalendars,
        editor: AlarmEditor?,
        milestones: @escaping () -> [Milestone],
        now: @escaping () -> Instant,
        logger: Logger
    ) {
        self.calendars = calendars
        self.editor = editor
        self.milestones = milestones
        self.now = now
        self.logger = logger
    }

    /// The byte-preserving editor of the core (`AlarmWriteBack`); a snooze of an alarm without a UID is left out
    /// of the file (RFC 9074 relates a snooze alarm to its alarm by UID) and stays local.
    public static let builtInEditor: AlarmEditor? = AlarmEditor(
        acknowledge: { text, uid, recurrenceID, index, at in
            try AlarmWriteBack.acknowledge(text, uid: uid, recurrenceID: recurrenceID, alarmIndex: index, at: at)
        },
        snooze: { text, uid, recurrenceID, index, until, now in
            do {
                return try AlarmWriteBack.snooze(
                    text,
                    uid: uid,
                    recurrenceID: recurrenceID,
                    alarmIndex: index,
                    until: until,
                    now: now
                )
            } catch AlarmWriteBackError.alarmWithoutUID {
                return text
            }
        }
    )

    /// Does nothing: only follow-ups are written back.
    public func delivered(_ reminder: DeliveredReminder) {}

    /// Writes a dismissal or a snooze of a calendar alarm back into its file.
    public func followedUp(_ record: FollowUpRecord) {
        switch record {
        case .dismissed(let key, let due):
            let at = max(now(), Instant(secondsSinceEpoch: due ?? 0))
            writeBack(key, what: "ACKNOWLEDGED") { editor, text, uid, rid, index in
                try editor.acknowledge(text, uid, rid, index, at)
            }
        case .snoozed(let key, let until):
            let now = now()
            writeBack(key, what: Gettext.localizer.tr("a snooze alarm")) { editor, text, uid, rid, index in
                try editor.snooze(text, uid, rid, index, Instant(secondsSinceEpoch: until), now)
            }
        case .returned, .repeating:
            break
        }
    }

    /// Finds the item and alarm of reminder `key` and edits its file; a failure is logged, and the follow-up stays
    /// local.
    func writeBack(
        _ key: String,
        what: String,
        edit: (AlarmEditor, String, String, String?, Int) throws -> String
    ) {
        let parts = key.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let item = calendars.items[String(parts[0])], !item.readOnly else { return }
        let identity = String(parts[2])
        guard let editor else {
            if !saidLocalOnly {
                saidLocalOnly = true
                let text = Gettext.localizer.tr(
                    "dismissals of calendar reminders stay local: this build does not write them back into the files"
                )
                logger.notice("\(text)")
            }
            return
        }
        let milestone = milestones().first { $0.id == String(parts[0]) }
        guard milestone?.reminders.first(where: { $0.identity == identity })?.alarmIndex != nil,
            let importer = calendars.importers[item.calendar]
        else { return }
        do {
            let written = try writer.replace(item.path) { text in
                // The alarm is found again in the text as it is now: another program may have changed the file.
                guard let index = Self.alarmIndex(in: text, of: item, reminder: identity, importer: importer) else {
                    throw ItemFileWriter.Failure(description: "\(item.path): the alarm is no longer in the file")
                }
                return try edit(editor, text, item.component.uid, item.component.recurrenceID, index)
            }
            if written != nil {
                logger.info(
                    .init(
                        stringLiteral: Gettext.localizer.tr(
                            "wrote %s into %s (calendar %s)",
                            what,
                            item.path,
                            item.calendar
                        )
                    ),
                    metadata: ["calendar": "\(item.calendar)"]
                )
            }
        } catch {
            let text = Gettext.localizer.tr(
                "could not write %s back into %s (calendar %s): %s; the reminder is followed up here only",
                what,
                item.path,
                item.calendar,
                "\(error)"
            )
            logger.warning(
                "\(text)",
                metadata: ["calendar": "\(item.calendar)"]
            )
        }
    }

    /// Which VALARM of `item`'s component is the reminder of identity `reminder`, in `text`.
    static func alarmIndex(
        in text: String,
        of item: VdirCalendars.Item,
        reminder: String,
        importer: ICalendarImport
    ) -> Int? {
        var taken: Set<String> = []
        let read = importer.readItems(ConfigSource(name: item.path, text: text), takenIds: &taken)
        for (milestone, origin) in zip(read.milestones, read.items)
        where origin.uid == item.component.uid && origin.recurrenceID == item.component.recurrenceID {
            if let index = milestone.reminders.first(where: { $0.identity == reminder })?.alarmIndex { return index }
        }
        return nil
    }
}
