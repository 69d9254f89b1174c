import Timeline

/// One structured log entry: ordered `NAME=value` fields, as the systemd journal stores them.
///
/// `MESSAGE` is the human-readable text and `PRIORITY` a syslog priority (`0`–`7`); any other field (say
/// `MESSAGE_ID`, `REMINDER_KEY`) carries data for machines. A name may appear more than once.
public struct JournalEntry: Sendable, Equatable {
    /// The fields, in the order they are written.
    public var fields: [(name: String, value: String)]

    /// The `SYSLOG_IDENTIFIER` of every entry the daemon writes, by which it reads its own entries back.
    public static let syslogIdentifier = "sse-timeline"

    /// An entry with exactly these fields.
    public init(fields: [(name: String, value: String)]) {
        self.fields = fields
    }

    /// An entry whose first fields are `MESSAGE` and `PRIORITY`, followed by `fields`.
    public init(message: String, priority: Priority = .info, fields: [(name: String, value: String)] = []) {
        self.fields = [("MESSAGE", message), ("PRIORITY", String(priority.rawValue))] + fields
    }

    /// The first value of the field `name`, or nil when there is none.
    public subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Every value of the field `name`, in order.
    public func values(named name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// The `MESSAGE` field.
    public var message: String? {
        self["MESSAGE"]
    }

    /// The `PRIORITY` field, when it is a valid priority.
    public var priority: Priority? {
        self["PRIORITY"].flatMap(Int.init).flatMap(Priority.init(rawValue:))
    }

    public static func == (lhs: JournalEntry, rhs: JournalEntry) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    /// `name` as a valid journal field name: uppercase ASCII letters, digits and `_`, not starting with a
    /// digit or `_` (those are the journal's own), at most 64 bytes.
    ///
    /// Lowercase letters are uppercased, every other character becomes `_`, and a name that would start
    /// with a digit or `_` (or be empty) gets an `X` in front: `reminder-key` → `REMINDER_KEY`,
    /// `_PID` → `X_PID`.
    public static func fieldName(_ name: String) -> String {
        var bytes: [UInt8] = []
        appendFieldName(name, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``fieldName(_:)``, appended to `bytes` without building a string (the sinks do it for every field).
    public static func appendFieldName(_ name: String, to bytes: inout [UInt8]) {
        var length = 0
        for byte in name.utf8 {
            let mapped: UInt8 =
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - 32
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): byte
                default: UInt8(ascii: "_")
                }
            if length == 0, mapped == UInt8(ascii: "_") || mapped <= UInt8(ascii: "9") {
                bytes.append(UInt8(ascii: "X"))
                length = 1
            }
            guard length < 64 else { return }
            bytes.append(mapped)
            length += 1
        }
        if length == 0 { bytes.append(UInt8(ascii: "X")) }
    }
}
