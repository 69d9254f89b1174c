/// Writes a dismissal or a snooze into one VALARM of an iCalendar text, as RFC 9074 says, changing nothing else.
///
/// The text is edited line by line, never reparsed and rewritten: every other byte (unknown properties,
/// parameters, order, folding, CRLF or LF) stays. Lines are unfolded only to find `BEGIN`, `END`, `UID`,
/// `RECURRENCE-ID` and the alarm's own properties. Inserted lines end as the file's first line ends and are
/// folded at 75 octets.
///
/// The item is the first VEVENT or VTODO whose UID (unescaped) is `uid` and whose RECURRENCE-ID value is
/// `recurrenceID` as written in the file (`20270607T090000`; nil: the component without RECURRENCE-ID, the
/// master). `alarmIndex` counts that component's VALARMs in file order from 0, snooze alarms included (a snooze
/// alarm is added after the others, or in place of the one it replaces, so the indexes of the others stay).
public enum AlarmWriteBack {
    /// The text with `ACKNOWLEDGED:<at, UTC>` set in the alarm: the alarm's first ACKNOWLEDGED line replaced, or
    /// one added before its `END:VALARM`.
    public static func acknowledge(
        _ text: String,
        uid: String,
        recurrenceID: String?,
        alarmIndex: Int,
        at: Instant
    ) throws(AlarmWriteBackError) -> String {
        var file = EditableCalendar(text)
        let alarm = try file.alarm(uid: uid, recurrenceID: recurrenceID, index: alarmIndex).alarm
        file.apply([file.acknowledgement(of: alarm, at: at)])
        return file.text
    }

    /// The text with the alarm snoozed until `until` (RFC 9074 section 6): the alarm acknowledged at `now`, and a
    /// snooze alarm (`RELATED-TO;RELTYPE=SNOOZE:<the alarm's UID>`, `TRIGGER;VALUE=DATE-TIME:<until, UTC>`)
    /// added to the item, or put in place of the snooze alarm that UID already has.
    ///
    /// Snoozing a snooze alarm snoozes the alarm it relates to again: its snooze alarm is replaced. Throws
    /// ``AlarmWriteBackError/alarmWithoutUID(uid:recurrenceID:alarmIndex:)`` when the alarm has no `UID` (nor
    /// Apple's `X-WR-ALARMUID`): RFC 9074 relates a snooze to its alarm by that UID.
    public static func snooze(
        _ text: String,
        uid: String,
        recurrenceID: String?,
        alarmIndex: Int,
        until: Instant,
        now: Instant
    ) throws(AlarmWriteBackError) -> String {
        var file = EditableCalendar(text)
        let (item, alarm) = try file.alarm(uid: uid, recurrenceID: recurrenceID, index: alarmIndex)
        let alarms = item.children.filter { $0.name == "VALARM" }
        // The alarm a snooze relates to is the one that rang first, whichever of the two was snoozed.
        var original = alarm
        if let related = alarm.snoozedAlarmUID {
            original = alarms.first { $0.alarmUID.map(ICalendarValue.text) == ICalendarValue.text(related) } ?? alarm
        }
        guard let originalUID = original.snoozedAlarmUID ?? original.alarmUID else {
            throw .alarmWithoutUID(uid: uid, recurrenceID: recurrenceID, alarmIndex: alarmIndex)
        }
        // Only a whole snooze alarm is replaced: one without END or holding components keeps what it holds.
        let previous = alarms.first { candidate in
            candidate.hasEnd && candidate.children.isEmpty
                && candidate.snoozedAlarmUID.map(ICalendarValue.text) == ICalendarValue.text(originalUID)
        }
        let description =
            original.property("DESCRIPTION")?.line.value ?? item.property("SUMMARY")?.line.value ?? "Reminder"
        let snoozeLines = [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:" + description,
            "TRIGGER;VALUE=DATE-TIME:" + ICalendarFormat.utc(until),
            "RELATED-TO;RELTYPE=SNOOZE:" + originalUID,
            "END:VALARM",
        ]
        var edits: [EditableCalendar.Edit] = []
        if let previous {
            edits.append(.init(range: previous.begin..<previous.endInsert + 1, lines: snoozeLines))
        } else {
            edits.append(.init(range: item.endInsert..<item.endInsert, lines: snoozeLines))
        }
        if original.begin != previous?.begin { edits.append(file.acknowledgement(of: original, at: now)) }
        file.apply(edits)
        return file.text
    }
}

/// Why a write-back found nothing to write to.
public enum AlarmWriteBackError: Error, Hashable, CustomStringConvertible {
    /// No VEVENT or VTODO has that UID and RECURRENCE-ID.
    case componentNotFound(uid: String, recurrenceID: String?)
    /// The component has `alarms` VALARMs, and `alarmIndex` is not one of them.
    case alarmNotFound(uid: String, recurrenceID: String?, alarmIndex: Int, alarms: Int)
    /// The alarm has no UID, so no snooze alarm can relate to it (RFC 9074 section 6).
    case alarmWithoutUID(uid: String, recurrenceID: String?, alarmIndex: Int)

    /// What was looked for and not found, in a sentence.
    public var description: String {
        func item(_ uid: String, _ recurrenceID: String?) -> String {
            "UID \"\(uid)\"" + (recurrenceID.map { " with RECURRENCE-ID \($0)" } ?? " (the master, no RECURRENCE-ID)")
        }
        switch self {
        case .componentNotFound(let uid, let recurrenceID):
            return "no VEVENT or VTODO with \(item(uid, recurrenceID))"
        case .alarmNotFound(let uid, let recurrenceID, let index, let count):
            return "no VALARM number \(index) in \(item(uid, recurrenceID)): it has \(count) (numbered from 0)"
        case .alarmWithoutUID(let uid, let recurrenceID, let index):
            return "VALARM number \(index) of \(item(uid, recurrenceID)) has no UID, so it cannot be snoozed "
                + "in the file (RFC 9074 relates a snooze alarm to its alarm by UID)"
        }
    }
}

/// An iCalendar text as physical lines, with the components found in it and where each starts and ends.
struct EditableCalendar {
    /// One unfolded property and the physical lines (0-based, inclusive) it spans.
    struct Property {
        var line: ContentLine
        var first: Int
        var last: Int
    }

    /// A component: where its BEGIN is, where new lines go at its end (its END line, or where it was closed
    /// without one), its properties and sub-components.
    struct Node {
        var name: String
        var begin: Int
        var endInsert = 0
        var hasEnd = false
        var properties: [Property] = []
        var children: [Node] = []

        func property(_ name: String) -> Property? { properties.first { $0.line.name == name } }

        /// RFC 9074's alarm UID, or Apple's older X-WR-ALARMUID.
        var alarmUID: String? { (property("UID") ?? property("X-WR-ALARMUID"))?.line.value }

        /// The UID of the alarm this one snoozes (`RELATED-TO;RELTYPE=SNOOZE`), if it is a snooze alarm.
        var snoozedAlarmUID: String? {
            properties.first {
                $0.line.name == "RELATED-TO" && $0.line.parameter("RELTYPE")?.uppercased() == "SNOOZE"
            }?.line.value
        }
    }

    /// Physical lines, each with its line end (the last may have none).
    private var lines: [[UInt8]]
    /// CRLF or LF, as the file's first line ends (CRLF for a file of one line).
    private let newline: [UInt8]
    private var components: [Node] = []

    init(_ text: String) {
        lines = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            current.append(byte)
            if byte == UInt8(ascii: "\n") {
                lines.append(current)
                current = []
            }
        }
        if !current.isEmpty { lines.append(current) }
        let firstEnded = lines.first { $0.last == UInt8(ascii: "\n") }
        newline = firstEnded.map { $0.count >= 2 && $0[$0.count - 2] == 0x0D ? [0x0D, 0x0A] : [0x0A] } ?? [0x0D, 0x0A]
        readComponents(text)
    }

    /// The edited text.
    var text: String { String(decoding: lines.joined(), as: UTF8.self) }

    /// Builds the component tree as ``ICalendarParser`` does, closing components at an outer END or at the end.
    private mutating func readComponents(_ text: String) {
        var scratch = ICalendarParser("")
        var stack: [Node] = []
        func close(_ stack: inout [Node], at insert: Int, hasEnd: Bool, into components: inout [Node]) {
            var node = stack.removeLast()
            node.endInsert = insert
            node.hasEnd = hasEnd
            if stack.isEmpty { components.append(node) } else { stack[stack.count - 1].children.append(node) }
        }
        for logical in ICalendarParser.logicalLines(text) {
            guard let line = scratch.parseLine(logical) else { continue }
            let first = logical.segments[0].line - 1
            let last = logical.segments[logical.segments.count - 1].line - 1
            switch line.name {
            case "BEGIN":
                stack.append(Node(name: line.value.uppercased(), begin: first))
            case "END":
                let name = line.value.uppercased()
                guard stack.contains(where: { $0.name == name }) else { continue }
                while stack.last!.name != name { close(&stack, at: first, hasEnd: false, into: &components) }
                close(&stack, at: first, hasEnd: true, into: &components)
            default:
                guard !stack.isEmpty else { continue }
                stack[stack.count - 1].properties.append(Property(line: line, first: first, last: last))
            }
        }
        while !stack.isEmpty { close(&stack, at: lines.count, hasEnd: false, into: &components) }
    }

    /// The VEVENT or VTODO with that UID and RECURRENCE-ID, and its VALARM number `index`.
    func alarm(uid: String, recurrenceID: String?, index: Int) throws(AlarmWriteBackError) -> (item: Node, alarm: Node)
    {
        let wantedRID = recurrenceID.map { $0.trimmingSpaces().uppercased() }
        func find(_ nodes: [Node]) -> Node? {
            for node in nodes {
                if node.name == "VEVENT" || node.name == "VTODO",
                    node.property("UID").map({ ICalendarValue.text($0.line.value) }) == uid,
                    node.property("RECURRENCE-ID").map({ $0.line.value.trimmingSpaces().uppercased() }) == wantedRID
                {
                    return node
                }
                if let found = find(node.children) { return found }
            }
            return nil
        }
        guard let item = find(components) else {
            throw .componentNotFound(uid: uid, recurrenceID: recurrenceID)
        }
        let alarms = item.children.filter { $0.name == "VALARM" }
        guard alarms.indices.contains(index) else {
            throw .alarmNotFound(uid: uid, recurrenceID: recurrenceID, alarmIndex: index, alarms: alarms.count)
        }
        return (item, alarms[index])
    }

    /// Lines `range` replaced by `lines` (logical lines, folded when applied).
    struct Edit {
        var range: Range<Int>
        var lines: [String]
    }

    /// The edit that sets `ACKNOWLEDGED` in `alarm`: its first one replaced, or one added before its END.
    func acknowledgement(of alarm: Node, at instant: Instant) -> Edit {
        let line = "ACKNOWLEDGED:" + ICalendarFormat.utc(instant)
        if let existing = alarm.property("ACKNOWLEDGED") {
            return Edit(range: existing.first..<existing.last + 1, lines: [line])
        }
        return Edit(range: alarm.endInsert..<alarm.endInsert, lines: [line])
    }

    /// Applies edits of ranges that do not overlap, the last in the file first, so that the line numbers of
    /// the others still hold.
    mutating func apply(_ edits: [Edit]) {
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            replace(edit.range, with: edit.lines)
        }
    }

    /// Replaces the physical lines `range` with `logicalLines`, folded, each ended as the file's lines end.
    private mutating func replace(_ range: Range<Int>, with logicalLines: [String]) {
        var inserted: [[UInt8]] = []
        for logical in logicalLines {
            var folded = ICalendarWriter.fold(Array(logical.utf8))
            if newline == [0x0A] { folded.removeAll { $0 == 0x0D } }
            inserted.append(folded)
        }
        // A last line without a line end gets one before anything follows it.
        if range.lowerBound == lines.count, let last = lines.last, last.last != UInt8(ascii: "\n") {
            lines[lines.count - 1] += newline
        }
        lines.replaceSubrange(range, with: inserted)
    }
}
