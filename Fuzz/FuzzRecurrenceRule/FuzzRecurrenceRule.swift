import FuzzSupport
import Timeline

/// Fuzzes the RRULE parser and a bounded expansion.
///
/// Input: an optional first line `YYYYMMDDTHHMMSS` (DTSTART; default 2030-01-15T09:30:00), then the rule
/// text. A rule that parses must print (`rfcString`) as a rule that parses back equal; its first 500
/// occurrences must be ascending, not before DTSTART, not after UNTIL and at most COUNT; `neverOccursReason`
/// must give a reason exactly when there is no occurrence; and seeking to, just before or just after an
/// occurrence must yield the same occurrences as walking there.
enum FuzzRecurrenceRule {
    static let defaultStart = CivilDateTime(date: CivilDate(year: 2030, month: 1, day: 15)!, hour: 9, minute: 30)!

    static func run(_ bytes: [UInt8]) {
        var start = defaultStart
        var text = bytes[...]
        if bytes.count >= 16, bytes[15] == UInt8(ascii: "\n"), let parsed = dateTime(bytes[0..<15]) {
            start = parsed
            text = bytes[16...]
        }
        let rule: RecurrenceRule
        do {
            rule = try RecurrenceRule(parsing: String(decoding: text, as: UTF8.self))
        } catch {
            for problem in error { _ = problem.description }
            return
        }
        let printed = rule.rfcString
        guard let reparsed = try? RecurrenceRule(parsing: printed) else {
            fatalError("rfcString does not parse back: \(printed)")
        }
        precondition(reparsed == rule, "rfcString does not round-trip: \(printed)")

        let untilLocal = rule.until?.localBound { $0 }
        let reason = rule.neverOccursReason(from: start, untilLocal: untilLocal)
        let occurrences = rule.occurrences(from: start, untilLocal: untilLocal)
        let walked = Array(occurrences.prefix(500))
        precondition(
            (reason == nil) == !walked.isEmpty,
            "\(printed): \(walked.count) occurrences but reason \(reason?.description ?? "nil")"
        )
        for (index, occurrence) in walked.enumerated() {
            precondition(occurrence >= start, "\(printed): \(occurrence) is before DTSTART \(start)")
            if let untilLocal { precondition(occurrence <= untilLocal, "\(printed): \(occurrence) is after UNTIL") }
            if index > 0 { precondition(walked[index - 1] < occurrence, "\(printed): \(occurrence) out of order") }
        }
        if let count = rule.count { precondition(walked.count <= count, "\(printed): \(walked.count) occurrences") }

        // Seeking, at a point the input chooses.
        guard !walked.isEmpty else { return }
        let pivot = walked[bytes.count % walked.count]
        for target in [pivot.adding(seconds: -1), pivot, pivot.adding(seconds: 1)] {
            let expected = walked.filter { $0 >= target }
            var iterator = occurrences.makeIterator()
            iterator.seek(to: target)
            for occurrence in expected.prefix(50) {
                let sought = iterator.next()
                precondition(
                    sought == occurrence,
                    "\(printed): seek to \(target) gave \(sought.map { "\($0)" } ?? "nil")"
                )
            }
            if walked.count < 500, expected.count <= 50 {
                precondition(iterator.next() == nil, "\(printed): seek to \(target) gave more")
            }
        }
    }

    /// `YYYYMMDDTHHMMSS` as a civil date-time, or nil.
    static func dateTime(_ bytes: ArraySlice<UInt8>) -> CivilDateTime? {
        let b = Array(bytes)
        guard b.count == 15, b[8] == UInt8(ascii: "T") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for c in b[range] {
                guard (48...57).contains(c) else { return nil }
                n = n * 10 + Int(c - 48)
            }
            return n
        }
        guard let y = number(0..<4), y >= 1, let m = number(4..<6), let d = number(6..<8),
            let hh = number(9..<11), let mm = number(11..<13), let ss = number(13..<15),
            let date = CivilDate(year: y, month: m, day: d)
        else { return nil }
        return CivilDateTime(date: date, hour: hh, minute: mm, second: ss)
    }
}

/// libFuzzer's entry point.
@c(LLVMFuzzerTestOneInput)
public func fuzzRecurrenceRule(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzRecurrenceRule.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer on `fuzzRecurrenceRule` in a `-DFUZZING` build, else a replay of the corpus files given as arguments.
@main enum FuzzRecurrenceRuleMain {
    static func main() { FuzzMain.run(fuzzRecurrenceRule, replay: FuzzRecurrenceRule.run) }
}
