import Glibc
import Timeline

/// Runs the `on_due` actions of the reminders written: `unit` starts a unit (a template with the escaped key as
/// its instance and the fields in `$RUNTIME_DIRECTORY/due/<key>.env`), `exec` a transient service with the fields
/// as `SSE_*` environment; the job and its result go into the journal.
///
/// Only TOML milestones from files the owner controls (`ConfigTrust`) act. The system instance starts only
/// `sse-timeline-action-*` units (its polkit rule) and runs no `exec`: polkit sees no unit name for a transient one.
public final class DueActionRunner: DeliveryObserver {
    /// The journal fields passed on, each as `SSE_<NAME>`.
    public static let passedFields =
        [
            "MILESTONE_ID", "MILESTONE_TITLE", "MILESTONE_START", "MILESTONE_END", "MILESTONE_LOCATION", "REMINDER",
            "REMINDER_KEY", "DUE_AT", "OCCURRENCE", "TAGS", "SOURCE_URL", "PRIORITY", "CAUGHT_UP", "SNOOZED_UNTIL",
            "MESSAGE",
        ] + MilestoneTexts.languages.map { "MILESTONE_TITLE_" + $0.uppercased() }

    private let manager: any UnitManager
    private let systemInstance: Bool
    private let runtimeDirectory: String?
    private let write: (JournalEntry) -> Void
    private let trust: (String) -> String?
    private let localizer: () -> Localizer
    private var jobs: [BusObjectPath: (key: String, unit: String, environmentFile: String?)] = [:]
    private var counter = 0

    /// A runner starting units through `manager`, writing its entries with `write`. `systemInstance` applies
    /// the system instance's limits; `runtimeDirectory` is where the templates' environment files go;
    /// `trust` says why a config file may not define actions (nil: it may); `localizer` gives the language of the
    /// entries (the scheduler's).
    public init(
        manager: any UnitManager,
        systemInstance: Bool,
        runtimeDirectory: String?,
        write: @escaping (JournalEntry) -> Void,
        trust: @escaping (String) -> String? = { ConfigTrust.problem(with: $0) },
        localizer: @escaping () -> Localizer = { .english }
    ) {
        self.localizer = localizer
        self.manager = manager
        self.systemInstance = systemInstance
        self.runtimeDirectory = runtimeDirectory
        self.write = write
        self.trust = trust
        let others = manager.jobRemoved
        manager.jobRemoved = { [weak self] in
            others?($0)
            self?.finished($0)
        }
    }

    public func delivered(_ reminder: DeliveredReminder) {
        // Once per reminder, when it comes due: not again when a snooze brings it back or when it nags.
        guard let action = reminder.milestone.onDue, !reminder.isRepeat, !reminder.isReturn else { return }
        guard reminder.milestone.origin == .config else {
            refuse(
                reminder,
                action,
                localizer().tr("it comes from an iCalendar file; actions come only from the TOML config")
            )
            return
        }
        if let problem = trust(action.file) {
            refuse(
                reminder,
                action,
                localizer().tr("%s; actions come only from files this instance's owner controls", problem)
            )
            return
        }
        let environment = Self.environment(of: reminder.entry)
        switch action.kind {
        case .unit(let template):
            guard !systemInstance || template.hasPrefix(DueAction.systemUnitPrefix) else {
                refuse(
                    reminder,
                    action,
                    localizer().tr(
                        "the system instance starts only units named %s* (docs/operations.md)",
                        DueAction.systemUnitPrefix
                    )
                )
                return
            }
            let unit = Self.unitName(template, key: reminder.key)
            let file = writeEnvironmentFile(unit: unit, key: reminder.key, environment: environment)
            manager.startUnit(unit) { [weak self] result in
                self?.started(reminder, action, unit: unit, environmentFile: file, result)
            }
        case .exec(let command):
            guard !systemInstance else {
                refuse(
                    reminder,
                    action,
                    localizer().tr(
                        "the system instance runs no commands; name a unit %sNAME@.service instead",
                        DueAction.systemUnitPrefix
                    )
                )
                return
            }
            counter += 1
            let stamp = max(0, SystemClock().now().microsecondsSinceEpoch)
            let unit = "sse-timeline-exec-\(reminder.milestone.id)-\(stamp)-\(counter).service"
            let service = TransientService(
                name: unit,
                description: "sse-timeline: \(reminder.milestone.title) (\(reminder.entry["REMINDER"] ?? ""))",
                command: command,
                environment: environment
            )
            manager.startTransient(service) { [weak self] result in
                self?.started(reminder, action, unit: unit, environmentFile: nil, result)
            }
        }
    }

    /// `name@.service` with the key, escaped as `systemd-escape` does, as its instance; any other name as is.
    public static func unitName(_ template: String, key: String) -> String {
        guard let at = template.firstIndex(of: "@"), template[template.index(after: at)...].hasPrefix(".") else {
            return template
        }
        return String(template[...at]) + escape(key) + String(template[template.index(after: at)...])
    }

    /// `text` escaped for a unit name as `systemd-escape` does: `/` becomes `-`, and every byte outside
    /// `[A-Za-z0-9:_.]` (and a leading `.`) becomes `\xNN`.
    public static func escape(_ text: String) -> String {
        var result = ""
        for (index, byte) in text.utf8.enumerated() {
            let isPlain =
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x3A || byte == 0x5F || (byte == 0x2E && index > 0)
            if byte == 0x2F {
                result += "-"
            } else if isPlain {
                result.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                let hex = String(byte, radix: 16)
                result += "\\x" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return result
    }

    /// `SSE_<FIELD>=value` for the passed fields the entry has (control characters become spaces).
    public static func environment(of entry: JournalEntry) -> [String] {
        passedFields.compactMap { name in
            entry[name].map { value in
                "SSE_\(name)="
                    + String(value.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
            }
        }
    }

    // MARK: - Journal entries

    private func fields(_ reminder: DeliveredReminder, _ action: DueAction) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = [
            ("SYSLOG_IDENTIFIER", JournalEntry.syslogIdentifier),
            ("MILESTONE_ID", reminder.milestone.id),
            ("MILESTONE_TITLE", reminder.milestone.title),
            ("REMINDER_KEY", reminder.key),
            ("CONFIG_FILE", action.file),
        ]
        switch action.kind {
        case .unit(let unit): fields += [("ACTION", "unit"), ("ACTION_UNIT", unit)]
        case .exec(let command): fields += [("ACTION", "exec"), ("ACTION_COMMAND", command.joined(separator: " "))]
        }
        return fields
    }

    private func refuse(_ reminder: DeliveredReminder, _ action: DueAction, _ why: String) {
        write(
            JournalEntry(
                message: localizer().tr("The on_due action of %s was not run: %s.", reminder.milestone.id, why),
                priority: .warning,
                fields: [("MESSAGE_ID", MessageID.actionFailed)] + fields(reminder, action)
            )
        )
    }

    private func started(
        _ reminder: DeliveredReminder,
        _ action: DueAction,
        unit: String,
        environmentFile: String?,
        _ result: Result<BusObjectPath, BusError>
    ) {
        switch result {
        case .success(let job):
            jobs[job] = (reminder.key, unit, environmentFile)
            write(
                JournalEntry(
                    message: localizer().tr("Started %s for %s.", unit, reminder.label(localizer())),
                    priority: .info,
                    fields: [("MESSAGE_ID", MessageID.actionStarted)] + fields(reminder, action) + [
                        ("UNIT", unit), ("JOB", job.rawValue),
                    ]
                )
            )
        case .failure(let error):
            if let environmentFile { unlink(environmentFile) }
            write(
                JournalEntry(
                    message: localizer().tr(
                        "Could not start %s for %s: %s.",
                        unit,
                        reminder.milestone.title(in: localizer().language),
                        "\(error)"
                    ),
                    priority: .warning,
                    fields: [("MESSAGE_ID", MessageID.actionFailed)] + fields(reminder, action) + [
                        ("UNIT", unit), ("ERROR", error.name), ("ERROR_MESSAGE", error.message),
                    ]
                )
            )
        }
    }

    private func finished(_ job: JobResult) {
        guard let started = jobs.removeValue(forKey: job.path) else { return }
        if let file = started.environmentFile { unlink(file) }
        write(
            JournalEntry(
                message: localizer().tr("%s for %s: %s.", job.unit, started.key, job.result),
                priority: job.result == "done" ? .info : .warning,
                fields: [
                    ("MESSAGE_ID", MessageID.actionFinished), ("SYSLOG_IDENTIFIER", JournalEntry.syslogIdentifier),
                    ("REMINDER_KEY", started.key), ("UNIT", job.unit), ("JOB", job.path.rawValue),
                    ("JOB_RESULT", job.result),
                ]
            )
        )
    }

    /// Writes the fields for a template instance to `$RUNTIME_DIRECTORY/due/<key>.env` (mode 0644), which the
    /// unit reads with `EnvironmentFile=-%t/sse-timeline/due/%I.env`: `%I` is the key itself. (Not the escaped
    /// `%i`: systemd reads `EnvironmentFile=` as a glob pattern, where each `\` of `\x2d` escapes a character.)
    /// Its path, or nil.
    private func writeEnvironmentFile(unit: String, key: String, environment: [String]) -> String? {
        guard let runtimeDirectory, unit.contains("@"), !key.contains("/"), !key.hasPrefix(".") else { return nil }
        return EnvironmentFile.write(environment, directory: runtimeDirectory + "/due", name: key + ".env")
    }
}
