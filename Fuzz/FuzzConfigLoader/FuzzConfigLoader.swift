import FuzzSupport
import Timeline

/// Fuzzes the config loader with whole config sets: the main file and its drop-ins in one input, each
/// drop-in starting after a `#--- drop-in ---` line (at most 8 files). A config that loads is compiled into
/// a schedule and its first reminders are computed, as the daemon does at start.
enum FuzzConfigLoader {
    static let marker = Array("\n#--- drop-in ---\n".utf8)
    static let zones = ZoneDatabase()

    static func run(_ bytes: [UInt8]) {
        let sources = split(bytes).enumerated().map { index, part in
            ConfigSource(name: index == 0 ? "timeline.toml" : "timeline.d/\(10 + index).toml", bytes: part)
        }
        do {
            let config = try ConfigLoader(zones: zones, systemZone: .utc).load(sources)
            for warning in config.warnings { _ = warning.description }
            let schedule = Schedule(config: config)
            // From before the year 1, so that no occurrence is skipped over: bounded by the count, not by
            // how far a rule's DTSTART lies in the past.
            var queue = DueQueue(schedule: schedule, after: Instant(secondsSinceEpoch: .min))
            var previous = Int64.min
            for _ in 0..<64 {
                guard let instance = queue.pop() else { break }
                // The queue hands out instances in firing order.
                precondition(instance.due.secondsSinceEpoch >= previous, "DueQueue went back in time")
                previous = instance.due.secondsSinceEpoch
                _ = schedule.key(of: instance)
            }
        } catch {
            precondition(!error.errors.isEmpty, "a failed load must report at least one error")
            for diagnostic in error.diagnostics {
                precondition(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "bad position")
                _ = diagnostic.description
            }
        }
    }

    /// The files of one input.
    static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var start = 0
        var index = 0
        while index + marker.count <= bytes.count, parts.count < 7 {
            if bytes[index] == marker[0], bytes[index..<index + marker.count].elementsEqual(marker) {
                parts.append(Array(bytes[start..<index]))
                index += marker.count
                start = index
            } else {
                index += 1
            }
        }
        parts.append(Array(bytes[start...]))
        return parts
    }
}

/// libFuzzer's entry point.
@c(LLVMFuzzerTestOneInput)
public func fuzzConfigLoader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzConfigLoader.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer on `fuzzConfigLoader` in a `-DFUZZING` build, else a replay of the corpus files given as arguments.
@main enum FuzzConfigLoaderMain {
    static func main() { FuzzMain.run(fuzzConfigLoader, replay: FuzzConfigLoader.run) }
}
