import FuzzSupport
import Timeline

/// Fuzzes the reminder offset parser ("30 days before", "1 week 2 days after end") and the durations
/// (`catch_up_window = "7 days"`) the loader reads through it. An offset that parses must print
/// (`description`, the canonical text in `REMINDER_KEY`) as text that parses back to an equal offset,
/// unless an amount grew past the per-unit limit when normalized.
enum FuzzReminderOffset {
    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for candidate in [text, text + " after"] {
            guard let offset = ReminderOffset(parsing: candidate) else { continue }
            let canonical = offset.description
            if let again = ReminderOffset(parsing: canonical) {
                precondition(again == offset, "\"\(candidate)\" prints as \"\(canonical)\", which parses differently")
            }
            _ = Int64(offset.days) * 86400 + offset.seconds
        }
    }
}

/// libFuzzer's entry point.
@c(LLVMFuzzerTestOneInput)
public func fuzzReminderOffset(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzReminderOffset.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer on `fuzzReminderOffset` in a `-DFUZZING` build, else a replay of the corpus files given as arguments.
@main enum FuzzReminderOffsetMain {
    static func main() { FuzzMain.run(fuzzReminderOffset, replay: FuzzReminderOffset.run) }
}
