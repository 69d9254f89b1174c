/// The one-line text form of a `JournalEntry` that `StderrSink` writes, and its parser.
///
/// ```
/// <5>Exam in 15 minutes [MESSAGE_ID=6b1c… REMINDER_KEY="exam 2025-06-02" NOTE="line one\nline two"]
/// ```
/// - `<P>`: the `PRIORITY` field, when it is `0`–`7` (otherwise `PRIORITY` goes with the other fields).
/// - Then `MESSAGE`, with `\` written `\\`, a newline `\n` and a carriage return `\r`. When the text could
///   be mistaken for the field list or the priority, its `[` are written `\[` and a leading `<` is `\<`.
/// - Then, if the entry has other fields, a space and `[NAME=value …]`. Names are made valid journal field
///   names (`JournalEntry.fieldName(_:)`). A value is written bare unless it is empty or contains a space,
///   tab, `"`, `[`, `]`, `\`, newline or carriage return; then it is quoted: `"…"` with `\\`, `\"`, `\n`,
///   `\r` escapes.
///
/// So one entry is always exactly one line, and `parse(format(entry))` gives the entry back (with field
/// names made valid, `MESSAGE` first and `PRIORITY` second).
enum StderrLine {
    /// `entry` as one line, without the final newline.
    static func format(_ entry: JournalEntry) -> String {
        let message = entry.message ?? ""
        var prefix = ""
        var others: [(name: String, value: String)] = []
        var seenMessage = false
        var seenPriority = false
        for field in entry.fields {
            if field.name == "MESSAGE" && !seenMessage {
                seenMessage = true
            } else if field.name == "PRIORITY" && !seenPriority {
                seenPriority = true
                if let level = Int(field.value), JournalPriority(rawValue: level) != nil, field.value.utf8.count == 1 {
                    prefix = "<\(level)>"
                } else {
                    others.append(field)
                }
            } else {
                others.append(field)
            }
        }
        var block = ""
        if !others.isEmpty {
            block =
                " [" + others.map { JournalEntry.fieldName($0.name) + "=" + quoted($0.value) }.joined(separator: " ")
                + "]"
        }
        let line = prefix + escaped(message, guarded: false, hasPrefix: !prefix.isEmpty) + block
        // Only a message with a `[` or a leading `<` can be misread; checking by parsing costs too much to
        // do for every line of a burst.
        let ambiguous = message.utf8.contains(UInt8(ascii: "[")) || message.utf8.first == UInt8(ascii: "<")
        if !ambiguous || parse(line)?.message == message {
            return line
        }
        return prefix + escaped(message, guarded: true, hasPrefix: !prefix.isEmpty) + block
    }

    /// The entry written as `line` (a final newline is ignored), or nil when the field list is malformed.
    ///
    /// A line without priority, or without field list, gives an entry without those fields.
    static func parse(_ line: some StringProtocol) -> JournalEntry? {
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

    private static func escaped(_ message: String, guarded: Bool, hasPrefix: Bool) -> String {
        var result = ""
        for (offset, scalar) in message.unicodeScalars.enumerated() {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "[" where guarded: result += "\\["
            case "<" where guarded && offset == 0 && !hasPrefix: result += "\\<"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func quoted(_ value: String) -> String {
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
        guard needsQuotes else { return value }
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
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
