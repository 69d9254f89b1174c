/// Reads an iCalendar file (`timeline.d/*.ics`) into milestones: one per VEVENT, one reminder per VALARM.
///
/// UID gives the id (lower-cased, other characters as `-`, the part before `@`; a short hash of the UID
/// is appended when that id is taken, so ids stay the same across reloads). SUMMARY, DESCRIPTION,
/// LOCATION, URL and CATEGORIES give title, description, location, source and tags; DTSTART, DTEND or
/// DURATION, RRULE, RDATE and EXDATE the dates, in the zone of DTSTART's TZID (a tz database name, or
/// another name whose VTIMEZONE matches a system zone); RECURRENCE-ID events move one occurrence (or, with
/// STATUS:CANCELLED, remove it); one whose series is not in the file (an invitation to one occurrence) is an
/// event of its own. Every milestone is marked ``Milestone/Origin/iCalendar``.
///
/// The files are other people's, so they are read leniently: a content line that cannot be read, or an event
/// with a value that cannot be read, is skipped with a warning at its line and column, and the rest of the file
/// stays. Only a file that is not iCalendar at all (not UTF-8, no `BEGIN:VCALENDAR`) is an error. What is not
/// supported (VTODO unless `readsTasks`, an event's ATTENDEE...) is skipped with one warning per file.
///
/// With `readsTasks` (calendars), a VTODO with DUE is a milestone starting at DUE, its VALARMs its reminders
/// (a trigger relative to the start counts from DUE, as todoman and Thunderbird place it); a task COMPLETED or
/// CANCELLED, like a CANCELLED event, reminds no one.
public struct ICalendarImport: Sendable {
    /// Where TZIDs are looked up.
    public var zones: ZoneDatabase
    /// The zone of floating times and all-day events, and the reminders of events without VALARM.
    public var defaults: Defaults
    /// Whether VTODOs with a DUE are read (calendars) rather than skipped (`.ics` drop-ins).
    public var readsTasks = false

    /// Which component of the file a milestone came from: what a dismissal is written back into.
    public struct Item: Hashable, Sendable {
        /// The milestone's id.
        public var milestoneID: String
        /// The component's UID (unescaped).
        public var uid: String
        /// The RECURRENCE-ID value of the component whose VALARMs are the milestone's reminders, as written; nil:
        /// the master's (or the only) component.
        public var recurrenceID: String?
    }

    /// What one file gives: its milestones, which component each came from, and every problem found.
    public struct FileItems: Sendable {
        /// The milestones, in file order.
        public var milestones: [Milestone]
        /// One per milestone, in the same order.
        public var items: [Item]
        /// Every problem, sorted by place.
        public var diagnostics: [Diagnostic]

        /// What a file gives; nothing by default.
        public init(milestones: [Milestone] = [], items: [Item] = [], diagnostics: [Diagnostic] = []) {
            self.milestones = milestones
            self.items = items
            self.diagnostics = diagnostics
        }
    }

    /// An importer.
    public init(zones: ZoneDatabase, defaults: Defaults) {
        self.zones = zones
        self.defaults = defaults
    }

    /// The milestones of one file and every problem found; `takenIds` are the ids already used (other files),
    /// and get this file's.
    public func read(_ source: ConfigSource, takenIds: inout Set<String>) -> (
        milestones: [Milestone], diagnostics: [Diagnostic]
    ) {
        let result = readItems(source, takenIds: &takenIds)
        return (result.milestones, result.diagnostics)
    }

    /// The milestones of one file with the component each came from; see `read(_:takenIds:)`.
    public func readItems(_ source: ConfigSource, takenIds: inout Set<String>) -> FileItems {
        var file = FileImport(source: source, zones: zones, defaults: defaults, readsTasks: readsTasks)
        let milestones = file.run(takenIds: &takenIds)
        return FileItems(
            milestones: milestones,
            items: file.items,
            diagnostics: file.diagnostics.sorted { $0.location < $1.location }
        )
    }
}

/// The state of reading one file.
struct FileImport {
    let source: ConfigSource
    let zones: ZoneDatabase
    let defaults: Defaults
    let readsTasks: Bool
    var diagnostics: [Diagnostic] = []
    /// Which component each milestone came from, in the order of the milestones.
    var items: [ICalendarImport.Item] = []
    /// The component of each milestone read, by id, until `keep` takes it.
    var componentOf: [String: ICalendarImport.Item] = [:]
    var timeZones: [String: ICalendarComponent] = [:]
    var zoneCache: [String: Zone?] = [:]
    /// Why a TZID names no zone, repeated at every property that uses it.
    var zoneFailures: [String: (message: LocalizedText, hint: LocalizedText?)] = [:]
    var skippedComponents: [String: Int] = [:]
    var skippedProperties: [String: Int] = [:]

    /// Properties read, or ignored on purpose (bookkeeping that means nothing for a reminder).
    static let eventProperties: Set<String> = [
        "UID", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "CATEGORIES", "DTSTART", "DTEND", "DURATION", "RRULE",
        "RDATE", "EXDATE", "RECURRENCE-ID", "STATUS", "DTSTAMP", "CREATED", "LAST-MODIFIED", "SEQUENCE", "TRANSP",
        "CLASS", "PRIORITY",
    ]
    /// What a VTODO has beyond an event's properties that is read, or means nothing for a reminder.
    static let taskProperties: Set<String> = ["DUE", "COMPLETED", "PERCENT-COMPLETE"]
    static let alarmProperties: Set<String> = [
        "ACTION", "TRIGGER", "DESCRIPTION", "SUMMARY", "UID", "ACKNOWLEDGED", "RELATED-TO", "ATTENDEE",
    ]

    mutating func report(
        _ severity: Diagnostic.Severity,
        _ line: Int,
        _ column: Int,
        key: String,
        value: String? = nil,
        _ message: LocalizedText,
        hint: LocalizedText? = nil
    ) {
        diagnostics.append(
            Diagnostic(
                severity,
                at: SourceLocation(file: source.name, line: line, column: column),
                key: key,
                value: value,
                message: message,
                hint: hint
            )
        )
    }

    /// Reports a problem with a property's value.
    mutating func report(
        _ severity: Diagnostic.Severity,
        _ property: ContentLine,
        _ message: LocalizedText,
        hint: LocalizedText? = nil
    ) {
        report(
            severity,
            property.valueLine,
            property.valueColumn,
            key: property.name,
            value: property.value,
            message,
            hint: hint
        )
    }

    mutating func run(takenIds: inout Set<String>) -> [Milestone] {
        if let bad = firstInvalidUTF8Offset(source.bytes) {
            report(
                .error,
                1,
                1,
                key: "",
                .tr("invalid UTF-8 (byte offset %s)", bad),
                hint: .tr("save the file as UTF-8")
            )
            return []
        }
        let parser = ICalendarParser(bytes: source.bytes)
        for problem in parser.problems {
            let effect: LocalizedText =
                problem.skipsLine ? .tr("skipped") : .tr("the components are closed there and read")
            report(.warning, problem.line, problem.column, key: "", problem.text, hint: effect)
        }
        let calendars = parser.components.filter { $0.name == "VCALENDAR" }
        if calendars.isEmpty {
            report(.error, 1, 1, key: "", .tr("no BEGIN:VCALENDAR: not an iCalendar file"), hint: .tr("see RFC 5545"))
            return []
        }
        for other in parser.components where other.name != "VCALENDAR" {
            skippedComponents[other.name, default: 0] += 1
        }
        var events: [ICalendarComponent] = []
        for calendar in calendars {
            for component in calendar.components {
                switch component.name {
                case "VEVENT": events.append(component)
                case "VTODO" where readsTasks:
                    // A task without a date is nothing to be reminded of; a finished one reminds no one.
                    let status = component.property("STATUS")?.value.uppercased()
                    if component.property("DUE") == nil || component.property("COMPLETED") != nil
                        || status == "COMPLETED" || status == "CANCELLED"
                    {
                        continue
                    }
                    events.append(component)
                case "VTIMEZONE":
                    if let tzid = component.property("TZID") { timeZones[tzid.value] = component }
                default: skippedComponents[component.name, default: 0] += 1
                }
            }
        }
        // Masters first, in file order; then the overrides of each UID.
        var masters: [ICalendarComponent] = []
        var overrides: [String: [ICalendarComponent]] = [:]
        var masterLine: [String: Int] = [:]
        for event in events {
            let uid = event.property("UID").map { ICalendarValue.text($0.value) } ?? ""
            if event.property("RECURRENCE-ID") != nil {
                overrides[uid, default: []].append(event)
            } else if !uid.isEmpty, let first = masterLine[uid] {
                let property = event.property("UID")!
                report(
                    .warning,
                    property,
                    .tr("duplicate UID, first at %s:%s; this %s is skipped", source.name, first, event.name),
                    hint: .tr("each event needs its own UID")
                )
            } else {
                masterLine[uid] = event.line
                masters.append(event)
            }
        }
        var milestones: [Milestone] = []
        for master in masters {
            let uid = master.property("UID").map { ICalendarValue.text($0.value) } ?? ""
            let moved = overrides.removeValue(forKey: uid) ?? []
            let read = skippingIfUnreadable(master) { $0.importEvent(master, overrides: moved, takenIds: &takenIds) }
            for milestone in read ?? [] { keep(milestone, into: &milestones) }
        }
        // What is left are occurrences whose series is not in the file, in file order.
        for orphan in overrides.values.joined().sorted(by: { $0.line < $1.line }) {
            if let milestone = skippingIfUnreadable(orphan, { $0.importOrphan(orphan, takenIds: &takenIds) }) {
                keep(milestone, into: &milestones)
            }
        }
        summarizeSkipped()
        return milestones
    }

    /// Adds `milestone` and the component it came from (noted by `importEvent` or `importOrphan`).
    mutating func keep(_ milestone: Milestone, into milestones: inout [Milestone]) {
        milestones.append(milestone)
        items.append(
            componentOf.removeValue(forKey: milestone.id)
                ?? ICalendarImport.Item(milestoneID: milestone.id, uid: "", recurrenceID: nil)
        )
    }

    /// Runs `body` on one component (an event, a moved occurrence, an alarm); when it reported errors, they
    /// become warnings that say the component is skipped, and its result is dropped: one unreadable event does
    /// not refuse the file.
    mutating func skippingIfUnreadable<Result>(
        _ event: ICalendarComponent,
        _ body: (inout FileImport) -> Result?
    ) -> Result? {
        let before = diagnostics.count
        let result = body(&self)
        var unreadable = false
        for index in before..<diagnostics.count where diagnostics[index].severity == .error {
            diagnostics[index].severity = .warning
            diagnostics[index].text =
                diagnostics[index].text + .tr(" (the %s of line %s is skipped)", event.name, event.line)
            unreadable = true
        }
        return unreadable ? nil : result
    }

    mutating func summarizeSkipped() {
        // The names and counts are as written, "VJOURNAL (1), VTODO (2)": only the words around them translate.
        func listed(_ counts: [String: Int]) -> String {
            counts.keys.sorted().map { "\($0) (\(counts[$0]!))" }.joined(separator: ", ")
        }
        var skipped: LocalizedText?
        if !skippedComponents.isEmpty { skipped = .tr("components %s", listed(skippedComponents)) }
        if !skippedProperties.isEmpty {
            let properties = LocalizedText.tr("properties %s", listed(skippedProperties))
            skipped = skipped.map { $0 + "; " + properties } ?? properties
        }
        guard let skipped else { return }
        report(
            .warning,
            1,
            1,
            key: "",
            .tr("skipped what a reminder has no use for: %s", skipped),
            hint: .tr("only VEVENT with its dates, texts and VALARMs become milestones")
        )
    }

    // MARK: Ids

    /// `[a-z0-9-]` from a UID: its part before `@`, lower-cased, other characters as `-`, at most 80.
    static func slug(_ uid: String) -> String {
        let local = uid.split(separator: "@").first.map(String.init) ?? uid
        var result = ""
        for scalar in local.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else if !result.isEmpty, result.last != "-" {
                result.append("-")
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        if result.count > 80 { result = String(result.prefix(80)) }
        while result.hasSuffix("-") { result.removeLast() }
        return result.isEmpty ? "event" : result
    }

    /// `base`, or `base-<8 hex digits of a hash of uid>` when taken, or that with `-2`, `-3`...
    static func uniqueId(_ base: String, uid: String, takenIds: inout Set<String>) -> String {
        var id = base
        if takenIds.contains(id) {
            var hash: UInt32 = 2_166_136_261
            for byte in uid.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
            let hex = String(hash, radix: 16)
            id = base + "-" + String(repeating: "0", count: 8 - hex.count) + hex
            var n = 2
            let hashed = id
            while takenIds.contains(id) {
                id = "\(hashed)-\(n)"
                n += 1
            }
        }
        takenIds.insert(id)
        return id
    }
}
