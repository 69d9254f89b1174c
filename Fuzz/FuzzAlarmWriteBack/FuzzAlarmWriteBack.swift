import FuzzSupport
import Timeline

/// Fuzzes the write-back of dismissals and snoozes (``AlarmWriteBack``): the input is an iCalendar text; every
/// alarm of every VEVENT and VTODO with a UID is acknowledged, and snoozed when it has a UID.
///
/// Beyond no crash: after an acknowledgement the text parses to the same components and properties (positions
/// and the VALARMs' ACKNOWLEDGED aside), that alarm has the ACKNOWLEDGED written, the importer reads the same
/// events (acknowledgements aside), and no line but the written one changes; after a snooze the item has a
/// snooze alarm at the instant asked and every other component is still there.
enum FuzzAlarmWriteBack {
    static let zones = ZoneDatabase()
    static let now = Instant(secondsSinceEpoch: 1_900_000_000)
    static let until = Instant(secondsSinceEpoch: 1_900_000_600)

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let parsed = ICalendarParser(text)
        let before = shape(parsed.components)
        // The importer's reading of the original, once, and only for a text with alarms to write to.
        var original: [Milestone]?
        for target in items(parsed.components) {
            for index in 0..<target.alarms {
                let written: String
                do {
                    written = try AlarmWriteBack.acknowledge(
                        text,
                        uid: target.uid,
                        recurrenceID: target.recurrenceID,
                        alarmIndex: index,
                        at: now
                    )
                } catch {
                    // Only a UID that another item with the same RECURRENCE-ID holds first can hide an alarm.
                    preconditionFailure("acknowledge \(target) #\(index): \(error)")
                }
                let reparsed = ICalendarParser(written)
                precondition(shape(reparsed.components) == before, "acknowledging \(target) #\(index) changed the text")
                let events = original ?? read(text)
                original = events
                precondition(read(written) == events, "acknowledging \(target) #\(index) changed the events")
                // Written at the end of a text without a final line end, the write-back ends its last line first.
                // That line end is the file's own (CRLF or LF), so compare with the text as it ends it.
                let ended =
                    text.isEmpty || text.utf8.last == UInt8(ascii: "\n") ? text
                    : written.hasPrefix(text + "\r\n") ? text + "\r\n"
                    : written.hasPrefix(text + "\n") ? text + "\n" : text
                let changed = differingLines(ended, written)
                // One line written (none when the alarm already had that very line), only its old one removed.
                precondition(
                    changed.added == ["ACKNOWLEDGED:" + ICalendarFormat.utc(now)]
                        || (changed.added.isEmpty && changed.removed.isEmpty),
                    "acknowledging \(target) #\(index) wrote \(changed.added)"
                )
                precondition(
                    changed.removed.allSatisfy {
                        $0.uppercased().hasPrefix("ACKNOWLEDGED") || $0.hasPrefix(" ") || $0.hasPrefix("\t")
                    },
                    "acknowledging \(target) #\(index) removed \(changed.removed)"
                )

                guard
                    let snoozed = try? AlarmWriteBack.snooze(
                        text,
                        uid: target.uid,
                        recurrenceID: target.recurrenceID,
                        alarmIndex: index,
                        until: until,
                        now: now
                    )
                else { continue }
                let after = ICalendarParser(snoozed)
                let snoozeTrigger = "TRIGGER;VALUE=DATE-TIME:" + ICalendarFormat.utc(until)
                precondition(snoozed.contains(snoozeTrigger), "no snooze alarm for \(target) #\(index)")
                precondition(count(after.components) >= count(parsed.components), "snoozing lost a component")
            }
        }
    }

    struct Item: CustomStringConvertible {
        var uid: String
        var recurrenceID: String?
        var alarms: Int
        var description: String { "\(uid) \(recurrenceID ?? "-")" }
    }

    /// The VEVENTs and VTODOs the write-back finds first for their UID and RECURRENCE-ID.
    static func items(_ components: [ICalendarComponent]) -> [Item] {
        var result: [Item] = []
        var seen: Set<String> = []
        func walk(_ components: [ICalendarComponent]) {
            for component in components {
                if component.name == "VEVENT" || component.name == "VTODO", let uid = component.property("UID") {
                    let item = Item(
                        uid: ICalendarValue.text(uid.value),
                        recurrenceID: component.property("RECURRENCE-ID")?.value,
                        alarms: component.components.count { $0.name == "VALARM" }
                    )
                    // The write-back compares RECURRENCE-IDs without case and surrounding blanks.
                    let rid = item.recurrenceID.map { $0.trimmingCharacters(in: " \t").uppercased() }
                    let key = item.uid + "\u{0}" + (rid ?? "\u{1}")
                    if seen.insert(key).inserted { result.append(item) }
                }
                walk(component.components)
            }
        }
        walk(components)
        return result
    }

    /// The tree without positions, the VALARMs' ACKNOWLEDGED left out.
    static func shape(_ components: [ICalendarComponent]) -> [String] {
        var result: [String] = []
        func walk(_ component: ICalendarComponent) {
            result.append("BEGIN:" + component.name)
            for property in component.properties where !(component.name == "VALARM" && property.name == "ACKNOWLEDGED")
            {
                result.append(
                    property.name + property.parameters.map { ";\($0.name)=\($0.values)" }.joined() + ":"
                        + property.value
                )
            }
            component.components.forEach(walk)
            result.append("END:" + component.name)
        }
        components.forEach(walk)
        return result
    }

    static func count(_ components: [ICalendarComponent]) -> Int {
        components.reduce(components.count) { $0 + count($1.components) }
    }

    /// The milestones the importer reads, acknowledgements cleared.
    static func read(_ text: String) -> [Milestone] {
        var taken: Set<String> = []
        let importer = ICalendarImport(zones: zones, defaults: Defaults())
        return importer.read(ConfigSource(name: "f.ics", text: text), takenIds: &taken).milestones.map { milestone in
            var plain = milestone
            plain.reminders = plain.reminders.map { reminder in
                var copy = reminder
                copy.acknowledged = nil
                return copy
            }
            return plain
        }
    }

    /// The lines between the common first and last lines of two texts, without their line ends.
    static func differingLines(_ a: String, _ b: String) -> (removed: [Substring], added: [Substring]) {
        // Without their line ends: CRLF and LF compare equal.
        func lines(_ text: String) -> [Substring] {
            text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
                let text = Substring(line)
                return text.utf8.last == 0x0D ? Substring(text.utf8.dropLast()) : text
            }
        }
        let x = lines(a)
        let y = lines(b)
        var prefix = 0
        while prefix < min(x.count, y.count), x[prefix] == y[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(x.count, y.count) - prefix, x[x.count - 1 - suffix] == y[y.count - 1 - suffix] {
            suffix += 1
        }
        return (Array(x[prefix..<x.count - suffix]), Array(y[prefix..<y.count - suffix]))
    }
}

/// libFuzzer's entry point.
@c(LLVMFuzzerTestOneInput)
public func fuzzAlarmWriteBack(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzAlarmWriteBack.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer on `fuzzAlarmWriteBack` in a `-DFUZZING` build, else a replay of the corpus files given as arguments.
@main enum FuzzAlarmWriteBackMain {
    static func main() { FuzzMain.run(fuzzAlarmWriteBack, replay: FuzzAlarmWriteBack.run) }
}

extension String {
    /// Without leading and trailing characters of `set`.
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
