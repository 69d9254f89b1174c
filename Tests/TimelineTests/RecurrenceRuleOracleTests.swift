import Testing

@testable import Timeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Random rules expanded by python-dateutil (`scripts/rrule-oracle.py` writes the fixture), compared
/// occurrence by occurrence.
@Suite("RecurrenceRule against dateutil")
struct RecurrenceRuleOracleTests {
    /// One fixture case.
    struct Case {
        let rule: String
        let start: CivilDateTime
        let bound: CivilDateTime
        let limit: Int
        let expected: [CivilDateTime]
        /// Set where dateutil 2.9 has a known bug and `expected` is RFC 5545's answer instead.
        let dateutilDiffers: String?
    }

    fileprivate static func loadCases() throws -> (header: [String: FixtureJSON], cases: [Case]) {
        let directory = String(#filePath).split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        let bytes = try #require(readFile(directory + "/Fixtures/rrule-oracle.json"), "the fixture is missing")
        var parser = FixtureJSONParser(bytes: bytes)
        let root = try #require(parser.parseDocument()?.object, "the fixture is not JSON")
        let cases = try #require(root["cases"]?.array).map { value -> Case in
            let object = try #require(value.object)
            return Case(
                rule: try #require(object["rule"]?.string),
                start: try #require(object["dtstart"]?.string.flatMap(RecurrenceTesting.iso)),
                bound: try #require(object["bound"]?.string.flatMap(RecurrenceTesting.iso)),
                limit: try #require(object["limit"]?.int),
                expected: try #require(object["expected"]?.array).map {
                    try #require($0.string.flatMap(RecurrenceTesting.iso))
                },
                dateutilDiffers: object["dateutilDiffers"]?.string
            )
        }
        return (root, cases)
    }

    @Test func everyFixtureRuleExpandsAsTheOracleDoes() throws {
        let (header, cases) = try Self.loadCases()
        #expect(cases.count >= 1000)
        #expect(header["rules"]?.int == cases.count)
        var mismatches: [String] = []
        for item in cases {
            let rule: RecurrenceRule
            do {
                rule = try RecurrenceRule(parsing: item.rule)
            } catch {
                mismatches.append("\(item.rule): does not parse: \(error)")
                continue
            }
            // The fixture has no UTC UNTIL (dateutil refuses one with a floating DTSTART). The bound ends the
            // expansion the way an earlier UNTIL would, so sparse rules are not walked to the year 9999.
            let until = min(rule.until?.localBound(localTimeForUTC: { $0 }) ?? item.bound, item.bound)
            let produced = Array(rule.occurrences(from: item.start, untilLocal: until).prefix(item.limit))
            if produced != item.expected {
                let firstDifference =
                    produced.indices.first { $0 >= item.expected.count || produced[$0] != item.expected[$0] }
                    ?? produced.count
                mismatches.append(
                    "\(item.rule) from \(item.start): at #\(firstDifference) got "
                        + "\(produced.dropFirst(firstDifference).prefix(3).map(\.description)), expected "
                        + "\(item.expected.dropFirst(firstDifference).prefix(3).map(\.description))"
                )
            }
        }
        #expect(
            mismatches.isEmpty,
            "\(mismatches.count) of \(cases.count) rules differ:\n\(mismatches.prefix(20).joined(separator: "\n"))"
        )
    }

    /// Seeking to a time yields exactly the occurrences at or after it: at every expected occurrence, a second
    /// before and after it, and past the last, for every fixture rule (with and without COUNT).
    @Test func seekingYieldsTheOccurrencesFromThatTimeOn() throws {
        let (_, cases) = try Self.loadCases()
        var mismatches: [String] = []
        for item in cases {
            let rule = try RecurrenceRule(parsing: item.rule)
            let until = min(rule.until?.localBound(localTimeForUTC: { $0 }) ?? item.bound, item.bound)
            let occurrences = rule.occurrences(from: item.start, untilLocal: until)
            let ended = item.expected.count < item.limit
            var targets = [item.start.adding(seconds: -86400 * 400)]
            for (index, time) in item.expected.enumerated() where index % 7 == 0 || index == item.expected.count - 1 {
                targets += [time.adding(seconds: -1), time, time.adding(seconds: 1)]
            }
            if let last = item.expected.last { targets.append(last.adding(seconds: 86400 * 800)) }
            for target in targets {
                let expected = item.expected.filter { $0 >= target }
                var iterator = occurrences.makeIterator()
                iterator.seek(to: target)
                var produced: [CivilDateTime] = []
                while produced.count < expected.count, let next = iterator.next() { produced.append(next) }
                // Past the fixture's last occurrence, only a rule the fixture saw end must be over.
                let extra = ended ? iterator.next() : nil
                if produced != expected || extra != nil {
                    mismatches.append(
                        "\(item.rule) from \(item.start), seek to \(target): got \(produced.prefix(3).map(\.description))"
                            + "\(extra.map { " then \($0)" } ?? ""), expected \(expected.prefix(3).map(\.description))"
                    )
                }
            }
        }
        #expect(
            mismatches.isEmpty,
            "\(mismatches.count) seeks differ:\n\(mismatches.prefix(20).joined(separator: "\n"))"
        )
    }

    @Test func fixtureCoversEveryPartAndFrequency() throws {
        let (_, cases) = try Self.loadCases()
        let rules = try cases.map { try RecurrenceRule(parsing: $0.rule) }
        for frequency in RecurrenceRule.Frequency.allCases {
            #expect(rules.contains { $0.frequency == frequency })
        }
        #expect(rules.contains { !$0.byWeekNumber.isEmpty })
        #expect(rules.contains { !$0.byYearDay.isEmpty })
        #expect(rules.contains { !$0.byMonthDay.isEmpty && $0.byMonthDay.contains { $0 < 0 } })
        #expect(rules.contains { $0.byDay.contains { $0.ordinal != nil } })
        #expect(rules.contains { !$0.bySetPosition.isEmpty && $0.frequency == .weekly })
        #expect(rules.contains { !$0.byHour.isEmpty && !$0.byMinute.isEmpty })
        #expect(rules.contains { $0.interval > 1 && $0.weekStart != .monday })
        #expect(rules.contains { if case .date = $0.until { true } else { false } })
        #expect(rules.contains { if case .local = $0.until { true } else { false } })
        #expect(rules.contains { $0.count != nil })
        #expect(cases.contains { $0.dateutilDiffers != nil })
    }
}

/// The whole file at `path`, or nil when it cannot be read.
private func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let read = fread(&buffer, 1, buffer.count, file)
        if read <= 0 { break }
        bytes.append(contentsOf: buffer[0..<read])
    }
    return bytes
}

/// A JSON value, as much of JSON as the fixture needs.
private enum FixtureJSON {
    case object([String: FixtureJSON])
    case array([FixtureJSON])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    var object: [String: FixtureJSON]? { if case .object(let value) = self { value } else { nil } }
    var array: [FixtureJSON]? { if case .array(let value) = self { value } else { nil } }
    var string: String? { if case .string(let value) = self { value } else { nil } }
    var int: Int? { if case .number(let value) = self { Int(exactly: value) } else { nil } }
}

/// A small recursive-descent JSON reader over UTF-8 bytes.
private struct FixtureJSONParser {
    let bytes: [UInt8]
    var index = 0

    mutating func parseDocument() -> FixtureJSON? {
        guard let value = parseValue() else { return nil }
        skipSpace()
        return index == bytes.count ? value : nil
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func parseValue() -> FixtureJSON? {
        skipSpace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var object: [String: FixtureJSON] = [:]
            if consume(UInt8(ascii: "}")) { return .object(object) }
            repeat {
                skipSpace()
                guard let key = parseString(), consume(UInt8(ascii: ":")), let value = parseValue() else { return nil }
                object[key] = value
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "}")) ? .object(object) : nil
        case UInt8(ascii: "["):
            index += 1
            var array: [FixtureJSON] = []
            if consume(UInt8(ascii: "]")) { return .array(array) }
            repeat {
                guard let value = parseValue() else { return nil }
                array.append(value)
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]")) ? .array(array) : nil
        case UInt8(ascii: "\""):
            return parseString().map(FixtureJSON.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default:
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            return Double(String(decoding: bytes[start..<index], as: UTF8.self)).map(FixtureJSON.number)
        }
    }

    private mutating func literal(_ word: String, _ value: FixtureJSON) -> FixtureJSON? {
        let word = Array(word.utf8)
        guard bytes.count - index >= word.count, Array(bytes[index..<index + word.count]) == word else { return nil }
        index += word.count
        return value
    }

    private mutating func parseString() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() {
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            raw.removeAll()
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): raw.append(0x0A)
                case UInt8(ascii: "t"): raw.append(0x09)
                case UInt8(ascii: "r"): raw.append(0x0D)
                case UInt8(ascii: "b"): raw.append(0x08)
                case UInt8(ascii: "f"): raw.append(0x0C)
                case UInt8(ascii: "u"):
                    guard bytes.count - index >= 4,
                        let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    else { return nil }
                    index += 4
                    flush()
                    scalars.append(scalar)
                default: raw.append(escaped)
                }
            default:
                raw.append(byte)
            }
        }
        return nil
    }
}
