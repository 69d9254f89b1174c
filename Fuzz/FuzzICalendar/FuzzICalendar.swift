import FuzzSupport
import Timeline

/// Fuzzes the iCalendar reader: the input is a `timeline.d/*.ics` drop-in beside an empty main file, loaded as
/// the daemon loads it; what loads is compiled into a schedule and its first reminders and a year of
/// occurrences are computed.
///
/// Beyond no crash: every warning is located inside the input (line ≥ 1, column ≥ 1, line at most the input's
/// line count + 1), and the due queue never goes back in time.
enum FuzzICalendar {
    static let zones = ZoneDatabase()

    static func run(_ bytes: [UInt8]) {
        let sources = [
            ConfigSource(name: "timeline.toml", text: ""),
            ConfigSource(name: "timeline.d/fuzz.ics", bytes: bytes),
        ]
        let lines = bytes.count { $0 == UInt8(ascii: "\n") } + 1
        func checkLocated(_ diagnostics: [Diagnostic]) {
            for diagnostic in diagnostics where diagnostic.location.file == "timeline.d/fuzz.ics" {
                precondition(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "bad position")
                precondition(diagnostic.location.line <= lines + 1, "line \(diagnostic.location.line) past the end")
                _ = diagnostic.description
            }
        }
        do {
            let config = try ConfigLoader(zones: zones, systemZone: .utc).load(sources)
            checkLocated(config.warnings)
            let schedule = Schedule(config: config)
            var queue = DueQueue(schedule: schedule, after: Instant(secondsSinceEpoch: 1_900_000_000))
            var previous = Int64.min
            for _ in 0..<64 {
                guard let instance = queue.pop() else { break }
                precondition(instance.due.secondsSinceEpoch >= previous, "DueQueue went back in time")
                previous = instance.due.secondsSinceEpoch
            }
            let from = Instant(secondsSinceEpoch: 1_900_000_000)
            _ = schedule.occurrences(from: from, through: from.adding(seconds: 365 * 86400))
        } catch {
            checkLocated(error.diagnostics)
        }
    }
}

/// libFuzzer's entry point.
@c(LLVMFuzzerTestOneInput)
public func fuzzICalendar(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzICalendar.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer on `fuzzICalendar` in a `-DFUZZING` build, else a replay of the corpus files given as arguments.
@main enum FuzzICalendarMain {
    static func main() { FuzzMain.run(fuzzICalendar, replay: FuzzICalendar.run) }
}
