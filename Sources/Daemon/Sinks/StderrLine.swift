/// The one-line text form of a `JournalEntry` that `StderrSink` writes, and its parser.
///
/// ```
/// <5>Exam in 15 minutes [MESSAGE_ID=6b1c… REMINDER_KEY="exam 2025-06-02" NOTE="line one\nline two"]
/// ```
/// - `<P>`: the `PRIORITY` field, when it is `0`–`7` (otherwise `PRIORITY` goes with the other fields).
/// - Then `MESSAGE`, with `\` written `\\`, a newline `\n` and a carriage return `\r`. When the text could
///   be mistaken for the field list or the priority, its `[` are written `\[` and a leading `<` is `\<`.
/// - Then, if the entry has other fields, ` [NAME=value …]`, names made valid (`JournalEntry.fieldName(_:)`),
///   a value quoted `"…"` (with `\\`, `\"`, `\n`, `\r` escapes) when it is empty or holds a space, tab, `"`,
///   `[`, `]`, `\`, newline or carriage return.
///
/// One entry is one line, and `parse(format(entry))` gives it back (`MESSAGE` first, `PRIORITY` second).
public enum StderrLine {
    /// `entry` as one line, without the final newline.
    public static func format(_ entry: JournalEntry) -> String {
        String(decoding: bytes(of: entry), as: UTF8.self)
    }

    /// ``format(_:)`` as UTF-8 bytes, built in one buffer (a burst formats tens of thousands of lines).
    public static func bytes(of entry: JournalEntry) -> [UInt8] {
        let message = entry.message ?? ""
        // The first MESSAGE is the text; the first PRIORITY is the `<P>` prefix when it is one digit 0-7.
        var messageIndex: Int?
        var priorityIndex: Int?
        var level: UInt8?
        for (index, field) in entry.fields.enumerated() {
            if field.name == "MESSAGE" {
                if messageIndex == nil { messageIndex = index }
            } else if field.name == "PRIORITY", priorityIndex == nil {
                priorityIndex = index
                let value = Array(field.value.utf8)
                if value.count == 1, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(value[0]) { level = value[0] }
            }
        }
        // " [NAME=value …]", or nothing when the entry has no other fields.
        var fieldList: [UInt8] = []
        fieldList.reserveCapacity(entry.fields.count * 48)
        for (index, field) in entry.fields.enumerated()
        where index != messageIndex && !(index == priorityIndex && level != nil) {
            fieldList += fieldList.isEmpty ? [UInt8(ascii: " "), UInt8(ascii: "[")] : [UInt8(ascii: " ")]
            JournalEntry.appendFieldName(field.name, to: &fieldList)
            fieldList.append(UInt8(ascii: "="))
            appendQuoted(field.value, to: &fieldList)
        }
        if !fieldList.isEmpty { fieldList.append(UInt8(ascii: "]")) }
        func line(guarded: Bool) -> [UInt8] {
            var line: [UInt8] = level.map { [UInt8(ascii: "<"), $0, UInt8(ascii: ">")] } ?? []
            line.reserveCapacity(message.utf8.count + fieldList.count + 8)
            appendEscaped(message, guarded: guarded, hasPrefix: level != nil, to: &line)
            line += fieldList
            return line
        }
        let plain = line(guarded: false)
        // Only a message with a `[` or a leading `<` can be misread; checking by parsing costs too much to
        // do for every line of a burst.
        let ambiguous = message.utf8.contains(UInt8(ascii: "[")) || message.utf8.first == UInt8(ascii: "<")
        if !ambiguous || parse(String(decoding: plain, as: UTF8.self))?.message == message {
            return plain
        }
        return line(guarded: true)
    }

    /// The entry written as `line` (a final newline is ignored), or nil when the field list is malformed.
    ///
    /// A line without priority, or without field list, gives an entry without those fields.
    public static func parse(_ line: some StringProtocol) -> JournalEntry? {
        var bytes = Array(line.utf8)
        if bytes.last == UInt8(ascii: "\n") {
            bytes.removeLast()
        }
        var start = 0
        var fields: [(name: String, value: String)] = []
        var priority: String?
        if bytes.count >= 3, bytes[0] == UInt8(ascii: "<"), bytes[2] == UInt8(ascii: ">"),
            (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[1])
        {
            priority = String(decoding: bytes[1...1], as: UTF8.self)
            start = 3
        }
        var messageEnd = bytes.count
        var index = start
        // The field list starts at the first " [" after which the rest of the line is a valid list.
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: " "), bytes[index + 1] == UInt8(ascii: "["),
                let list = parseFieldList(bytes, from: index + 2)
            {
                messageEnd = index
                fields = list
                break
            }
            index += 1
        }
        var head: [(name: String, value: String)] = [("MESSAGE", unescape(bytes[start..<messageEnd]))]
        if let priority {
            head.append(("PRIORITY", priority))
        }
        return JournalEntry(fields: head + fields)
    }

    // MARK: - Writing

    private static func appendEscaped(_ message: String, guarded: Bool, hasPrefix: Bool, to line: inout [UInt8]) {
        // Every escape is ASCII, so bytes can be looked at one by one: no byte of a multi-byte character is ASCII.
        var atStart = true
        for byte in message.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): line += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): line += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): line += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "[") where guarded: line += [UInt8(ascii: "\\"), UInt8(ascii: "[")]
            case UInt8(ascii: "<") where guarded && atStart && !hasPrefix:
                line += [UInt8(ascii: "\\"), UInt8(ascii: "<")]
            default: line.append(byte)
            }
            atStart = false
        }
    }

    private static func appendQuoted(_ value: String, to line: inout [UInt8]) {
        let needsQuotes =
            value.isEmpty
            || value.utf8.contains { byte in
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\""), UInt8(ascii: "["), UInt8(ascii: "]"),
                    UInt8(ascii: "\\"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    true
                default: false
                }
            }
        guard needsQuotes else {
            line.append(contentsOf: value.utf8)
            return
        }
        line.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): line += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\""): line += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\n"): line += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): line += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: line.append(byte)
            }
        }
        line.append(UInt8(ascii: "\""))
    }

    // MARK: - Reading

    private static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.endIndex, let plain = unescaped(bytes[index + 1]) {
                result.append(plain)
                index += 2
            } else {
                result.append(byte)
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func unescaped(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "n"): UInt8(ascii: "\n")
        case UInt8(ascii: "r"): UInt8(ascii: "\r")
        case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "["), UInt8(ascii: "<"): byte
        default: nil
        }
    }

    /// Parses `NAME=value …]` running exactly to the end of `bytes`; nil when it does not.
    private static func parseFieldList(_ bytes: [UInt8], from start: Int) -> [(name: String, value: String)]? {
        var fields: [(name: String, value: String)] = []
        var index = start
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            return index + 1 == bytes.count ? [] : nil
        }
        while true {
            let nameStart = index
            while index < bytes.count, isNameByte(bytes[index]) {
                index += 1
            }
            guard index > nameStart, index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                return nil
            }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
            index += 1
            var value: [UInt8] = []
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                index += 1
                while true {
                    guard index < bytes.count else { return nil }
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        index += 1
                        break
                    }
                    if byte == UInt8(ascii: "\\") {
                        guard index + 1 < bytes.count, let plain = unescaped(bytes[index + 1]) else { return nil }
                        value.append(plain)
                        index += 2
                    } else {
                        value.append(byte)
                        index += 1
                    }
                }
            } else {
                while index < bytes.count, bytes[index] != UInt8(ascii: " "), bytes[index] != UInt8(ascii: "]") {
                    guard bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "[") else { return nil }
                    value.append(bytes[index])
                    index += 1
                }
                guard !value.isEmpty else { return nil }
            }
            fields.append((name, String(decoding: value, as: UTF8.self)))
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "]") {
                return index + 1 == bytes.count ? fields : nil
            }
            guard bytes[index] == UInt8(ascii: " ") else { return nil }
            index += 1
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "_")
    }
}
