import Daemon
import FuzzSupport

/// Fuzzes the stderr line format (`StderrLine`), which is the daemon's output without journald and the
/// ledger of the kill -9 test.
///
/// Two modes, by the first byte:
/// - `0x01`: the rest is an entry, fields separated by `0x02`, name and value by `0x03`. Its line must be
///   one line (no newline) and parse back to the entry with `MESSAGE` first, `PRIORITY` second (when it is
///   `0`-`7`) and every name made a valid journal field name.
/// - anything else: the input is a line. It must parse, and the entry it gives must format to a line that
///   parses to the same entry (names made valid).
enum FuzzStderrLine {
    static func run(_ bytes: [UInt8]) {
        if bytes.first == 1 {
            checkEntry(bytes.dropFirst())
        } else {
            checkLine(String(decoding: bytes, as: UTF8.self))
        }
    }

    static func checkLine(_ line: String) {
        guard let entry = StderrLine.parse(line) else { fatalError("parse never fails, but did") }
        let formatted = StderrLine.format(entry)
        precondition(!formatted.utf8.contains(10), "a formatted entry spans several lines")
        // The parser also takes names the formatter never writes (`1A`, `_A`, longer than 64 bytes); those
        // come back made valid, like any name.
        let valid = JournalEntry(fields: entry.fields.map { (JournalEntry.fieldName($0.name), $0.value) })
        precondition(StderrLine.parse(formatted) == valid, "parse(format(parse(line))) differs: \(formatted)")
    }

    static func checkEntry(_ bytes: ArraySlice<UInt8>) {
        var fields: [(name: String, value: String)] = []
        for field in bytes.split(separator: 2, omittingEmptySubsequences: false) {
            let parts = field.split(separator: 3, maxSplits: 1, omittingEmptySubsequences: false)
            fields.append(
                (
                    String(decoding: parts[0], as: UTF8.self),
                    parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : ""
                )
            )
        }
        let entry = JournalEntry(fields: fields)
        let line = StderrLine.format(entry)
        precondition(!line.utf8.contains(10) && !line.utf8.contains(13), "a formatted entry spans several lines")
        guard let parsed = StderrLine.parse(line) else { fatalError("parse never fails, but did") }
        precondition(parsed == expected(entry), "parse(format(entry)) differs: \(line)")
    }

    /// What `parse(format(entry))` gives: `MESSAGE` first, a `0`-`7` `PRIORITY` second, the rest in order.
    static func expected(_ entry: JournalEntry) -> JournalEntry {
        var head: [(name: String, value: String)] = [("MESSAGE", entry.message ?? "")]
        var others: [(name: String, value: String)] = []
        var seenMessage = false
        var seenPriority = false
        for field in entry.fields {
            if field.name == "MESSAGE" && !seenMessage {
                seenMessage = true
            } else if field.name == "PRIORITY" && !seenPriority, field.value.utf8.count == 1,
                let digit = field.value.utf8.first, (48...55).contains(digit)
            {
                seenPriority = true
                head.append(field)
            } else {
                if field.name == "PRIORITY" { seenPriority = true }
                others.append((JournalEntry.fieldName(field.name), field.value))
            }
        }
        return JournalEntry(fields: head + others)
    }
}

/// libFuzzer's entry point.
@c(LLVMFuzzerTestOneInput)
public func fuzzStderrLine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzStderrLine.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer on `fuzzStderrLine` in a `-DFUZZING` build, else a replay of the corpus files given as arguments.
@main enum FuzzStderrLineMain {
    static func main() { FuzzMain.run(fuzzStderrLine, replay: FuzzStderrLine.run) }
}
