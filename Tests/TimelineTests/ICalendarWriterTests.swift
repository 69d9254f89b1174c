import Testing

@testable import Timeline

@Suite("ICalendarWriter")
struct ICalendarWriterTests {
    /// The physical lines of `bytes`, without their CRLF; fails when a line does not end in CRLF.
    static func physicalLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                lines.append(current)
                current = []
                index += 2
                continue
            }
            #expect(bytes[index] != 0x0A, "a bare LF")
            current.append(bytes[index])
            index += 1
        }
        #expect(current.isEmpty, "the last line has no CRLF")
        return lines
    }

    /// Joins folded lines back (RFC 5545 section 3.1: a CRLF followed by a space is removed).
    static func unfold(_ lines: [[UInt8]]) -> [UInt8] {
        var result: [UInt8] = []
        for (index, line) in lines.enumerated() {
            if index == 0 { result += line } else { result += line.dropFirst() }
        }
        return result
    }

    @Test(arguments: [0, 1, 2, 3, 40, 73, 74, 75, 76, 200])
    func foldsAt75OctetsWithoutSplittingUTF8(prefixLength: Int) throws {
        // Two-, three- and four-byte sequences at every alignment against the fold points.
        let value = String(repeating: "x", count: prefixLength) + String(repeating: "é€🌍a", count: 40)
        var writer = ICalendarWriter()
        writer.line("DESCRIPTION", value: value)
        let lines = Self.physicalLines(writer.bytes)
        #expect(lines.count > 1)
        for (index, line) in lines.enumerated() {
            #expect(line.count <= 75)
            if index > 0 { #expect(line.first == UInt8(ascii: " ")) }
            // Each physical line on its own is whole UTF-8.
            #expect(String(validating: line, as: UTF8.self) != nil)
            // Folds fall as late as the sequence allows: a line is short only by a sequence's length.
            if index < lines.count - 1 { #expect(line.count >= 72) }
        }
        #expect(Self.unfold(lines) == Array("DESCRIPTION:\(value)".utf8))
    }

    @Test func shortLinesAreNotFolded() {
        var writer = ICalendarWriter()
        writer.line("SUMMARY", value: String(repeating: "a", count: 75 - 8))
        #expect(writer.bytes == Array(("SUMMARY:" + String(repeating: "a", count: 67) + "\r\n").utf8))
        var longer = ICalendarWriter()
        longer.line("SUMMARY", value: String(repeating: "a", count: 68))
        #expect(Self.physicalLines(longer.bytes).map(\.count) == [75, 2])
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("a, b; c", "a\\, b\\; c"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines", "two\\nlines"),
        ("crlf\r\nline", "crlf\\nline"),
        ("bell\u{7}gone", "bellgone"),
        ("Olivia Grégoire: \"quoted\"", "Olivia Grégoire: \"quoted\""),
    ])
    func escapesText(input: String, expected: String) {
        #expect(ICalendarWriter.text(input) == expected)
    }

    @Test func quotesParameterValuesThatNeedIt() {
        var writer = ICalendarWriter()
        writer.line(
            "X-A",
            [.init("TZID", "Europe/Paris"), .init("X-B", "a:b"), .init("X-C", "say \"hi\"")],
            value: "v"
        )
        #expect(writer.bytes == Array("X-A;TZID=Europe/Paris;X-B=\"a:b\";X-C=say ^'hi^':v\r\n".utf8))
    }

    @Test(arguments: [
        (0, Int64(0), "PT0S"),
        (-7, Int64(0), "-P7D"),
        (0, Int64(-3600), "-PT1H"),
        (0, Int64(5400), "PT1H30M"),
        (-29, Int64(-54000), "-P29DT15H"),
        (1, Int64(61), "P1DT1M1S"),
    ])
    func writesDurations(days: Int, seconds: Int64, expected: String) {
        #expect(ICalendarFormat.duration(days: days, seconds: seconds) == expected)
    }

    @Test(arguments: [(7200, "+0200"), (-18000, "-0500"), (20700, "+0545"), (-2349, "-003909"), (0, "+0000")])
    func writesUTCOffsets(seconds: Int, expected: String) {
        #expect(ICalendarFormat.offset(seconds) == expected)
    }
}
