import Testing
import Timeline

/// Writes TZif files (RFC 8536) for tests: one local time type per entry of `types`, transitions into them, and a
/// footer for version 2+.
struct TZifFixture {
    var version: UInt8 = UInt8(ascii: "2")
    var transitions: [(time: Int64, type: UInt8)] = []
    var types: [(seconds: Int32, isDST: Bool, abbreviation: String)] = [(0, false, "UTC")]
    var leapSeconds: [(time: Int64, correction: Int32)] = []
    var footer: String? = "UTC0"

    var bytes: [UInt8] {
        var designations: [UInt8] = []
        var indices: [UInt8] = []
        for type in types {
            indices.append(UInt8(designations.count))
            designations += Array(type.abbreviation.utf8) + [0]
        }
        func header(_ version: UInt8) -> [UInt8] {
            var out = Array("TZif".utf8) + [version] + [UInt8](repeating: 0, count: 15)
            for count in [
                types.count, types.count, leapSeconds.count, transitions.count, types.count, designations.count,
            ] {
                out += be(UInt64(count), 4)
            }
            return out
        }
        func block(timeSize: Int) -> [UInt8] {
            var out: [UInt8] = []
            for transition in transitions { out += be(UInt64(bitPattern: transition.time), timeSize) }
            out += transitions.map(\.type)
            for (type, index) in zip(types, indices) {
                out += be(UInt64(UInt32(bitPattern: type.seconds)), 4) + [type.isDST ? 1 : 0, index]
            }
            out += designations
            for leap in leapSeconds {
                out += be(UInt64(bitPattern: leap.time), timeSize) + be(UInt64(UInt32(bitPattern: leap.correction)), 4)
            }
            out += [UInt8](repeating: 0, count: types.count * 2)
            return out
        }
        if version == 0 { return header(0) + block(timeSize: 4) }
        return header(version) + block(timeSize: 4) + header(version) + block(timeSize: 8)
            + (footer.map { Array("\n\($0)\n".utf8) } ?? [])
    }

    /// The low `size` bytes of `value`, big-endian.
    private func be(_ value: UInt64, _ size: Int) -> [UInt8] {
        (0..<size).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    /// The 44-byte header of `bytes` with count number `index` (0 = isutcnt ... 5 = charcnt) replaced.
    static func replacingCount(_ index: Int, with value: UInt32, in bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        for k in 0..<4 { copy[20 + index * 4 + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(3 - k))) }
        return copy
    }
}

@Suite("Zone+TZif")
struct ZoneTZifTests {
    /// A small Paris: CET/CEST switches in 2021, then the footer rule.
    static let miniParis = TZifFixture(
        transitions: [(1_616_893_200, 1), (1_635_642_000, 0)],
        types: [(3600, false, "CET"), (7200, true, "CEST")],
        footer: "CET-1CEST,M3.5.0,M10.5.0/3"
    )

    @Test func parsesTransitionsTypesAndFooter() throws {
        let zone = try Zone(identifier: "Test/Paris", tzif: Self.miniParis.bytes)
        #expect(zone.identifier == "Test/Paris")
        #expect(zone.offset(at: ZoneFixture.instant("2021-01-01T00:00:00Z")).abbreviation == "CET")
        #expect(zone.offset(at: ZoneFixture.instant("2021-07-01T00:00:00Z")).abbreviation == "CEST")
        // Past the last transition the footer rule takes over.
        #expect(zone.offset(at: ZoneFixture.instant("2022-07-01T00:00:00Z")).abbreviation == "CEST")
        #expect(
            zone.nextTransition(after: ZoneFixture.instant("2021-11-01T00:00:00Z"))
                == ZoneFixture.instant("2022-03-27T01:00:00Z")
        )
    }

    @Test func version1KeepsTheLastOffsetForever() throws {
        var fixture = Self.miniParis
        fixture.version = 0
        let zone = try Zone(identifier: "Test/V1", tzif: fixture.bytes)
        #expect(zone.offset(at: ZoneFixture.instant("2021-07-01T00:00:00Z")).abbreviation == "CEST")
        #expect(zone.offset(at: ZoneFixture.instant("2030-07-01T00:00:00Z")).abbreviation == "CET")
        #expect(zone.nextTransition(after: ZoneFixture.instant("2022-01-01T00:00:00Z")) == nil)
    }

    @Test func slimFileWithoutTransitionsUsesTheFooter() throws {
        // zic -b slim writes no transitions when the footer describes everything.
        let fixture = TZifFixture(transitions: [], types: [(3600, false, "CET")], footer: "CET-1CEST,M3.5.0,M10.5.0/3")
        let zone = try Zone(identifier: "Test/Slim", tzif: fixture.bytes)
        #expect(zone.offset(at: ZoneFixture.instant("2021-07-01T00:00:00Z")).abbreviation == "CEST")
        #expect(zone.offset(at: ZoneFixture.instant("1990-01-01T00:00:00Z")).abbreviation == "CET")
        #expect(!zone.isFixed)
    }

    @Test func emptyFooterKeepsTheLastOffset() throws {
        var fixture = Self.miniParis
        fixture.footer = ""
        let zone = try Zone(identifier: "Test/NoRule", tzif: fixture.bytes)
        #expect(zone.offset(at: ZoneFixture.instant("2030-07-01T00:00:00Z")).abbreviation == "CET")
    }

    @Test func versions3And4AndLeapRecordsParse() throws {
        var fixture = TZifFixture(
            transitions: [(-1_000_000_000, 0)],
            types: [(-7200, false, "-02"), (-3600, true, "-01")],
            footer: "<-02>2<-01>,M3.5.0/-1,M10.5.0/0"
        )
        for version in [UInt8(ascii: "3"), UInt8(ascii: "4")] {
            fixture.version = version
            fixture.leapSeconds = [(78_796_800, 1), (94_694_401, 2)]
            let zone = try Zone(identifier: "Test/Nuuk", tzif: fixture.bytes)
            #expect(zone.offset(at: ZoneFixture.instant("2090-03-26T01:00:00Z")).abbreviation == "-01")
        }
    }

    struct MalformedCase: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let code: ZoneError.Code
        let message: String
        var testDescription: String { name }
    }

    static let malformed: [MalformedCase] = {
        let good = miniParis.bytes
        let v2Start = 44 + 2 * 5 + 2 * 6 + 9 + 2 * 2
        var cases: [MalformedCase] = [
            MalformedCase(name: "empty", bytes: [], code: .notTZif, message: "the data is empty"),
            MalformedCase(
                name: "magic only",
                bytes: Array("TZif2".utf8),
                code: .truncated,
                message: "a TZif header needs 44 bytes"
            ),
            MalformedCase(
                name: "truncated header",
                bytes: Array(good[0..<30]),
                code: .truncated,
                message: "a TZif header needs 44 bytes at byte 0, but only 30 remain"
            ),
            MalformedCase(
                name: "wrong magic",
                bytes: Array("TZiX".utf8) + good.dropFirst(4),
                code: .notTZif,
                message: "byte 0 starts with \"TZiX\", expected \"TZif\""
            ),
            MalformedCase(
                name: "text file",
                bytes: Array("# tzdb leap second list\n".utf8),
                code: .notTZif,
                message: "starts with \"# tz\""
            ),
            MalformedCase(
                name: "unknown version",
                bytes: Array(good[0..<4]) + [UInt8(ascii: "1")] + good.dropFirst(5),
                code: .corrupt,
                message: "unknown TZif version byte 49"
            ),
            MalformedCase(
                name: "timecnt larger than the data",
                bytes: TZifFixture.replacingCount(3, with: 1_000_000, in: good),
                code: .truncated,
                message: "the version 1 data block needs 5000025 bytes at byte 44"
            ),
            MalformedCase(
                name: "huge counts",
                bytes: TZifFixture.replacingCount(2, with: .max, in: good),
                code: .truncated,
                message: "needs"
            ),
            MalformedCase(
                name: "no types",
                bytes: TZifFixture.replacingCount(4, with: 0, in: good),
                code: .corrupt,
                message: "typecnt is 0"
            ),
            MalformedCase(
                name: "isstdcnt neither 0 nor typecnt",
                bytes: TZifFixture.replacingCount(1, with: 1, in: good),
                code: .corrupt,
                message: "isstdcnt is 1, expected 0 or typecnt (2)"
            ),
            MalformedCase(
                name: "v2 block cut short",
                bytes: Array(good[0..<(v2Start + 60)]),
                code: .truncated,
                message: "the data block its header announces"
            ),
            MalformedCase(
                name: "missing footer",
                bytes: Array(good[0..<(good.count - "\nCET-1CEST,M3.5.0,M10.5.0/3\n".utf8.count)]),
                code: .truncated,
                message: "the footer (a TZ string between newlines) is missing"
            ),
            MalformedCase(
                name: "footer without closing newline",
                bytes: Array(good.dropLast()),
                code: .truncated,
                message: "has no closing newline"
            ),
        ]

        var garbage = miniParis
        garbage.footer = "CET-1CEST,M3.5.0,Q10"
        cases.append(
            MalformedCase(
                name: "garbage footer",
                bytes: garbage.bytes,
                code: .invalidTZString,
                message: "invalid POSIX TZ string \"CET-1CEST,M3.5.0,Q10\" at column 18"
            )
        )
        var unsorted = miniParis
        unsorted.transitions = [(1_635_642_000, 0), (1_616_893_200, 1)]
        cases.append(MalformedCase(name: "unsorted", bytes: unsorted.bytes, code: .corrupt, message: "is not after"))
        var badIndex = miniParis
        badIndex.transitions = [(1_616_893_200, 7)]
        cases.append(
            MalformedCase(name: "type index", bytes: badIndex.bytes, code: .corrupt, message: "local time type 7")
        )
        var badOffset = miniParis
        badOffset.types[1].seconds = 200_000
        cases.append(MalformedCase(name: "offset", bytes: badOffset.bytes, code: .corrupt, message: "UT offset 200000"))
        var minOffset = miniParis
        minOffset.types[1].seconds = .min
        cases.append(MalformedCase(name: "offset -2^31", bytes: minOffset.bytes, code: .corrupt, message: "UT offset"))

        var isDST = good
        isDST[v2Start + 44 + 2 * 9 + 4] = 2
        cases.append(MalformedCase(name: "isdst 2", bytes: isDST, code: .corrupt, message: "isdst 2"))
        var designation = good
        designation[v2Start + 44 + 2 * 9 + 5] = 200
        cases.append(
            MalformedCase(
                name: "designation index",
                bytes: designation,
                code: .corrupt,
                message: "designation index 200"
            )
        )
        var unterminated = good
        unterminated[v2Start + 44 + 2 * 9 + 2 * 6 + 8] = UInt8(ascii: "X")
        cases.append(
            MalformedCase(
                name: "unterminated designation",
                bytes: unterminated,
                code: .corrupt,
                message: "not NUL-terminated"
            )
        )
        var secondHeader = good
        secondHeader[v2Start + 4] = UInt8(ascii: "3")
        cases.append(
            MalformedCase(
                name: "versions differ",
                bytes: secondHeader,
                code: .corrupt,
                message: "the second header has version 3, the first 2"
            )
        )
        var secondMagic = good
        secondMagic[v2Start] = UInt8(ascii: "X")
        cases.append(
            MalformedCase(
                name: "second magic",
                bytes: secondMagic,
                code: .notTZif,
                message: "byte \(v2Start) starts with"
            )
        )
        var footerStart = good
        footerStart[good.count - "\nCET-1CEST,M3.5.0,M10.5.0/3\n".utf8.count] = UInt8(ascii: "x")
        cases.append(
            MalformedCase(
                name: "footer start",
                bytes: footerStart,
                code: .corrupt,
                message: "must start with a newline"
            )
        )
        return cases
    }()

    @Test(arguments: malformed)
    func malformedDataThrowsAReadableError(_ example: MalformedCase) {
        #expect {
            try Zone(identifier: "Test/Bad", tzif: example.bytes)
        } throws: { error in
            guard let error = error as? ZoneError else { return false }
            return error.code == example.code && error.identifier == "Test/Bad"
                && error.description.contains(example.message)
        }
    }

    @Test func everyPrefixOfARealFileThrowsInsteadOfTrapping() throws {
        let bytes = try ZoneFixture.readFile("/usr/share/zoneinfo/Europe/Paris")
        for length in 0..<bytes.count {
            #expect(throws: ZoneError.self) { try Zone(identifier: "Europe/Paris", tzif: Array(bytes[0..<length])) }
        }
        #expect(throws: Never.self) { try Zone(identifier: "Europe/Paris", tzif: bytes) }
    }

    @Test func mutatedFilesParseOrThrowButNeverTrap() throws {
        var generator = MutationRandom(seed: 0x5eed)
        var parsed = 0
        for name in ["Europe/Paris", "Australia/Lord_Howe", "Pacific/Apia", "UTC"] {
            let original = try ZoneFixture.readFile("/usr/share/zoneinfo/\(name)")
            for _ in 0..<500 {
                var bytes = original
                for _ in 0..<Int(generator.next() % 4 + 1) {
                    let index = Int(generator.next() % UInt64(bytes.count))
                    bytes[index] = UInt8(truncatingIfNeeded: generator.next())
                }
                guard let zone = try? Zone(identifier: name, tzif: bytes) else { continue }
                parsed += 1
                // A zone that parsed must answer every query without trapping.
                for seconds in [Int64.min, -1 << 40, 0, 1_616_893_200, 4_000_000_000, Int64.max] {
                    let instant = Instant(secondsSinceEpoch: seconds)
                    _ = zone.resolve(zone.localTime(at: instant))
                    _ = zone.nextTransition(after: instant)
                }
            }
        }
        #expect(parsed > 0)
    }
}

/// A tiny deterministic generator for the mutation test.
private struct MutationRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
