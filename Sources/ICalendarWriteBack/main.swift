import Glibc
import Timeline

// The write-back of dismissals and snoozes (``AlarmWriteBack``) as a command, for
// integration/icalendar/writeback.py, which checks its output with python's icalendar:
//
//   ICalendarWriteBack acknowledge FILE UID RECURRENCE-ID INDEX AT
//   ICalendarWriteBack snooze FILE UID RECURRENCE-ID INDEX UNTIL NOW
//
// RECURRENCE-ID is the value as written in the file, or "" for the master; instants are seconds since the epoch.
// The edited text goes to stdout; an error to stderr, with exit status 1 (2 for a usage error).

func fail(_ message: String, status: Int32) -> Never {
    let line = "ICalendarWriteBack: \(message)\n"
    _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    exit(status)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 6, let index = Int(arguments[4]), let first = Int64(arguments[5]) else {
    fail(
        "usage: acknowledge FILE UID RECURRENCE-ID INDEX AT | snooze FILE UID RECURRENCE-ID INDEX UNTIL NOW",
        status: 2
    )
}
guard let file = fopen(arguments[1], "rb") else { fail("cannot open \(arguments[1])", status: 1) }
var bytes: [UInt8] = []
var buffer = [UInt8](repeating: 0, count: 65536)
while case let count = fread(&buffer, 1, buffer.count, file), count > 0 { bytes += buffer[0..<count] }
fclose(file)
let text = String(decoding: bytes, as: UTF8.self)
let uid = arguments[2]
let recurrenceID = arguments[3].isEmpty ? nil : arguments[3]
do {
    let written: String
    switch arguments[0] {
    case "acknowledge":
        written = try AlarmWriteBack.acknowledge(
            text,
            uid: uid,
            recurrenceID: recurrenceID,
            alarmIndex: index,
            at: Instant(secondsSinceEpoch: first)
        )
    case "snooze":
        guard arguments.count == 7, let now = Int64(arguments[6]) else { fail("snooze needs UNTIL and NOW", status: 2) }
        written = try AlarmWriteBack.snooze(
            text,
            uid: uid,
            recurrenceID: recurrenceID,
            alarmIndex: index,
            until: Instant(secondsSinceEpoch: first),
            now: Instant(secondsSinceEpoch: now)
        )
    default:
        fail("unknown command \(arguments[0]): acknowledge or snooze", status: 2)
    }
    print(written, terminator: "")
} catch {
    fail(error.description, status: 1)
}
