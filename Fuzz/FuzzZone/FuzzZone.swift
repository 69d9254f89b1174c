import FuzzSupport
import Timeline

/// Fuzzes the time zone parsers: a TZif file (`Zone(identifier:tzif:)`, input starting with `TZif`) or a
/// POSIX TZ string (`Zone(identifier:posixTZ:)`, any other input), then asks the zone what the daemon asks:
/// offsets, transitions and local-time resolution around the years the schedule covers.
enum FuzzZone {
    /// Instants from the year 1 to 9999, with the edges and the DST seasons in between.
    static let probes: [Int64] = [
        -62_135_596_800, -2_208_988_800, -1, 0, 1, 954_000_000, 1_711_846_800, 1_900_000_000, 1_919_000_000,
        4_102_444_800, 32_503_680_000, 253_402_300_799,
    ]

    static func run(_ bytes: [UInt8]) {
        let zone: Zone
        do {
            if bytes.starts(with: Array("TZif".utf8)) {
                zone = try Zone(identifier: "Fuzz/TZif", tzif: bytes)
            } else {
                zone = try Zone(identifier: "Fuzz/TZ", posixTZ: String(decoding: bytes, as: UTF8.self))
            }
        } catch {
            _ = error.description
            return
        }
        for probe in probes {
            let instant = Instant(secondsSinceEpoch: probe)
            let offset = zone.offset(at: instant)
            precondition(abs(offset.seconds) <= Zone.maximumOffsetSeconds, "offset \(offset.seconds) out of range")
            let local = zone.localTime(at: instant)
            _ = zone.resolve(local)
            _ = zone.instant(for: local)
            // The scheduler sleeps until the next transition: it must lie strictly ahead, or it would spin.
            var current = instant
            for _ in 0..<8 {
                guard let next = zone.nextTransition(after: current) else { break }
                precondition(next > current, "nextTransition(after: \(current)) = \(next) is not later")
                current = next
            }
        }
    }
}

/// libFuzzer's entry point.
@c(LLVMFuzzerTestOneInput)
public func fuzzZone(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzZone.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer on `fuzzZone` in a `-DFUZZING` build, else a replay of the corpus files given as arguments.
@main enum FuzzZoneMain {
    static func main() { FuzzMain.run(fuzzZone, replay: FuzzZone.run) }
}
