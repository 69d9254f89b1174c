import ArgumentParser
import Gettext
import Timeline

/// `sse-timeline export --format json|ics`: the whole timeline as data, or as an iCalendar file.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: HelpText.tr("Print the whole timeline as JSON or as an iCalendar (.ics) file."),
        discussion: HelpText.paragraphs(
            HelpText.tr(
                """
                json: the shape is documented in docs/configuration.md ("JSON output"). ics: an RFC 5545 calendar \
                with one event per milestone, its recurrence, time zones and one alarm per reminder, for calendar \
                apps (docs/configuration.md, "iCalendar export").
                """
            ),
            HelpText.examples(
                "sse-timeline export --format json > timeline.json",
                "sse-timeline export --format ics > sse-timeline.ics"
            )
        )
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, ics
    }

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp(HelpText.tr("Output format.")))
    var format: Format = .json

    @Option(
        help: ArgumentHelp(
            HelpText.tr(
                """
                The DTSTAMP of every event (ics only; default: now), for output that does not change between runs.
                """
            ),
            valueName: HelpText.tr("time")
        )
    )
    var dtstamp: String?

    @Flag(
        help: ArgumentHelp(
            HelpText.tr(
                """
                Also write each milestone's texts in the other languages as SUMMARY;LANGUAGE=... lines (ics only).
                """
            ),
            discussion: HelpText.tr(
                """
                The events' texts are in the config's language (or the locale's) either way. RFC 5545 allows one \
                SUMMARY, DESCRIPTION and LOCATION per event: most calendar apps show the first and drop the rest, and \
                strict validators refuse the file; sse-timeline import reads them all.
                """
            )
        )
    )
    var allLanguages = false

    func run() throws {
        let loaded = try options.loadOrExit()
        let config = loaded.config
        if format == .ics {
            let stamp =
                try dtstamp.map { try TimeArgument.parse($0, option: "--dtstamp", zone: .utc) } ?? SystemTime.now()
            // The instance's language: the config's `language`, else the locale's.
            let localizer = config.defaults.language.map(Gettext.localizer(for:)) ?? Gettext.localizer
            let bytes = ICalendarExport(
                config: config,
                dtstamp: stamp,
                localizer: localizer,
                alternatives: allLanguages
            ).bytes()
            Output.out(bytes: bytes)
            return
        }
        let d = config.defaults
        let defaults: JSON = .object(
            [
                ("timezone", .string(d.zone.identifier)),
                (
                    "all_day_time",
                    .string(
                        CivilDateTime(date: CivilDate(year: 2000, month: 1, day: 1)!, secondOfDay: d.allDayTime)
                            .description
                            .suffix(8).description
                    )
                ),
                ("reminders", .array(d.reminders.map(Self.reminder))),
                ("priority", .string(d.priority.name)),
                ("catch_up_window_seconds", .int(d.catchUpWindow)),
            ] + Self.delivery(d.delivery)
        )
        let milestones: [JSON] = config.milestones.map { m in
            var fields: [(String, JSON)] = [
                ("id", .string(m.id)),
                ("title", .string(m.title)),
                (
                    "start",
                    .string(
                        m.isAllDay
                            ? m.start.date.description : ReminderMath.iso8601(m.zone.instant(for: m.start), in: m.zone)
                    )
                ),
                (
                    "end",
                    m.end.map { e in
                        .string(
                            m.isAllDay ? e.date.description : ReminderMath.iso8601(m.zone.instant(for: e), in: m.zone)
                        )
                    } ?? .null
                ),
                ("all_day", .bool(m.isAllDay)),
                ("precision", .string(m.precision.rawValue)),
                ("timezone", .string(m.zone.identifier)),
                ("description", .optional(m.description)),
                ("location", .optional(m.location)),
                ("source", .optional(m.source)),
                ("tags", .array(m.tags.map(JSON.string))),
                ("priority", .string(m.priority.name)),
                ("reminders", .array(m.reminders.map(Self.reminder))),
            ]
            fields += Self.delivery(m.delivery)
            if let r = m.recurrence {
                let dateText: (CivilDateTime) -> JSON = { .string(m.isAllDay ? $0.date.description : $0.description) }
                fields.append(("rrule", .optional(r.ruleText)))
                fields.append(("rdate", .array(r.rdates.map(dateText))))
                fields.append(("exdate", .array(r.exdates.map(dateText))))
            } else {
                fields.append(("rrule", .null))
            }
            return .object(fields)
        }
        Output.out(
            JSON.object([
                ("config", .string(loaded.description)),
                ("defaults", defaults),
                ("milestones", .array(milestones)),
            ]).render()
        )
    }

    static func reminder(_ r: Reminder) -> JSON {
        var fields: [(String, JSON)] = [
            ("offset", .string(r.text)),
            ("canonical", .string(r.offset.description)),
            ("priority", r.priority.map { .string($0.name) } ?? .null),
        ]
        // Only what the reminder's own table overrides.
        if let override = r.delivery {
            if let channels = override.channels {
                fields.append(("notify", .array((channels.names + override.remote).map(JSON.string))))
            }
            if let snooze = override.snooze { fields.append(("snooze_seconds", .array(snooze.map(JSON.int)))) }
            if let repetition = override.repetition { fields.append(("repeat", Self.repetition(repetition))) }
        }
        return .object(fields)
    }

    /// `notify`, `snooze_seconds` and `repeat` (null without one) of a delivery.
    static func delivery(_ d: Delivery) -> [(String, JSON)] {
        [
            ("notify", .array(d.channelNames.map(JSON.string))),
            ("snooze_seconds", .array(d.snooze.map(JSON.int))),
            ("repeat", Self.repetition(d.repetition)),
        ]
    }

    static func repetition(_ r: Delivery.Repetition?) -> JSON {
        guard let r else { return .null }
        return .object([("every_seconds", .int(r.every)), ("times", .int(Int64(r.times)))])
    }
}
