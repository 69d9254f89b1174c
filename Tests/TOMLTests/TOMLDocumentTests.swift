import Testing

@testable import TOML

@Suite("TOMLDocument")
struct TOMLDocumentTests {
    @Test func readsEveryKindOfValue() throws {
        let document = TOMLDocument(
            parsing: """
                s = "a\\tb \\u00E9 \\U0001F600"
                l = 'C:\\path'
                ml = \"\"\"
                one \\
                  two\"\"\"
                mll = '''
                x
                y'''
                i = [42, -7, 1_000, 0x2A, 0o52, 0b101010, -9223372036854775808]
                f = [3.14, -1e6, 5E+2, inf, -inf]
                b = [true, false]
                d = 2027-06-10
                t = 13:05:09.25
                ldt = 2027-06-10 13:05:09
                odt = 2027-06-10T13:05:09.5-02:30
                z = 1979-05-27T07:32:00z
                """
        )
        #expect(document.errors.isEmpty, "\(document.errors)")
        let root = document.root
        #expect(root["s"]?.value == .string("a\tb é 😀"))
        #expect(root["l"]?.value == .string(#"C:\path"#))
        #expect(root["ml"]?.value == .string("one two"))
        #expect(root["mll"]?.value == .string("x\ny"))
        #expect(root["i"]?.elements.map(\.value) == [42, -7, 1000, 42, 42, 42, Int64.min].map { .integer($0) })
        #expect(root["f"]?.elements.map(\.value) == [3.14, -1e6, 500, .infinity, -.infinity].map { .float($0) })
        #expect(root["b"]?.elements.map(\.value) == [.boolean(true), .boolean(false)])
        #expect(root["d"]?.value == .date(year: 2027, month: 6, day: 10))
        #expect(root["t"]?.value == .time(hour: 13, minute: 5, second: 9, nanosecond: 250_000_000))
        #expect(
            root["ldt"]?.value
                == .dateTime(
                    year: 2027,
                    month: 6,
                    day: 10,
                    hour: 13,
                    minute: 5,
                    second: 9,
                    nanosecond: 0,
                    offsetMinutes: nil
                )
        )
        #expect(
            root["odt"]?.value
                == .dateTime(
                    year: 2027,
                    month: 6,
                    day: 10,
                    hour: 13,
                    minute: 5,
                    second: 9,
                    nanosecond: 500_000_000,
                    offsetMinutes: -150
                )
        )
        #expect(
            root["z"]?.value
                == .dateTime(
                    year: 1979,
                    month: 5,
                    day: 27,
                    hour: 7,
                    minute: 32,
                    second: 0,
                    nanosecond: 0,
                    offsetMinutes: 0
                )
        )
        #expect(root.keys == ["s", "l", "ml", "mll", "i", "f", "b", "d", "t", "ldt", "odt", "z"])
    }

    @Test func nanIsAFloat() throws {
        let value = try #require(TOMLDocument(parsing: "n = -nan").root["n"]?.value)
        guard case .float(let f) = value else {
            Issue.record("\(value)")
            return
        }
        #expect(f.isNaN)
    }

    @Test func tablesArraysOfTablesDottedAndQuotedKeys() throws {
        let document = TOMLDocument(
            parsing: """
                [defaults]
                a.b = 1
                "quoted key" = 2
                "esc\\u0061ped" = 3

                [[milestone]]
                id = "one"
                [milestone.extra]
                x = 1

                [[milestone]]
                id = "two"
                inline = { p = 1, q.r = "s" }
                """
        )
        #expect(document.errors.isEmpty, "\(document.errors)")
        let defaults = try #require(document.root["defaults"])
        #expect(defaults.keys == ["a", "quoted key", "escaped"])
        #expect(defaults["a"]?["b"]?.value == .integer(1))
        #expect(defaults["escaped"]?.value == .integer(3))
        let milestones = try #require(document.root["milestone"]).elements
        #expect(milestones.map { $0["id"]?.value } == [.string("one"), .string("two")])
        #expect(milestones[0]["extra"]?["x"]?.value == .integer(1))
        #expect(milestones[1]["inline"]?["q"]?["r"]?.value == .string("s"))
    }

    @Test func everyKeyHeaderAndValueHasItsRange() throws {
        let document = TOMLDocument(
            parsing: """
                # été
                [[milestone]]
                  "clé" = "välue"   # comment
                arr = [
                  1,
                  { at = 2027-01-01 },
                ]
                """
        )
        #expect(document.errors.isEmpty, "\(document.errors)")
        let milestone = try #require(document.root["milestone"]?.elements.first)
        // The header: line 2, the whole `[[milestone]]`; line 1 has 6 characters in 8 bytes.
        #expect(milestone.range.start == TOMLPosition(line: 2, column: 1, offset: 8))
        #expect(milestone.range.end == TOMLPosition(line: 2, column: 14, offset: 21))
        let value = try #require(milestone["clé"])
        #expect(value.keyRange?.start == TOMLPosition(line: 3, column: 3, offset: 24))
        #expect(value.keyRange?.end == TOMLPosition(line: 3, column: 8, offset: 30))
        #expect(value.range.start == TOMLPosition(line: 3, column: 11, offset: 33))
        #expect(value.range.end == TOMLPosition(line: 3, column: 18, offset: 41))
        #expect(value.sourceText == "\"välue\"")
        let array = try #require(milestone["arr"])
        #expect(array.range.start.line == 4 && array.range.end.line == 7)
        let at = try #require(array.elements.last?["at"])
        #expect(at.range.start == TOMLPosition(line: 6, column: 10, offset: at.offset))
        #expect(at.keyRange?.start.column == 5)
        #expect(at.sourceText == "2027-01-01")
    }

    @Test func impossibleDatesAndTimesAreLocatedValueErrorsAndReadingGoesOn() throws {
        let document = TOMLDocument(
            parsing: """
                [[milestone]]
                start = 2027-02-29
                end = 2027-01-05T25:00:00
                list = [2027-01-01, 2027-13-01]
                after = 1
                """
        )
        #expect(document.errors.count == 3)
        let (a, b, c) = (document.errors[0], document.errors[1], document.errors[2])
        #expect(a.position == TOMLPosition(line: 2, column: 9, offset: 22))
        #expect(a.key == "milestone[0].start" && a.value == "2027-02-29")
        #expect(a.message == "not a valid date: February 2027 has 28 days")
        #expect(b.position.line == 3 && b.position.column == 7)
        #expect(b.key == "milestone[0].end" && b.message.contains("hours go from 00 to 23"))
        #expect(c.key == "milestone[0].list[1]" && c.value == "2027-13-01" && c.position.column == 21)
        let milestone = try #require(document.root["milestone"]?.elements.first)
        #expect(milestone["start"]?.value == .invalid)
        #expect(milestone["list"]?.elements.map(\.value) == [.date(year: 2027, month: 1, day: 1), .invalid])
        #expect(milestone["after"]?.value == .integer(1))
    }

    @Test func afterASyntaxErrorReadingGoesOnAtTheNextLine() throws {
        let document = TOMLDocument(
            parsing: """
                a = "unterminated
                b = 1
                c = = 2
                [broken
                d = 3
                [ok]
                e = 4
                """
        )
        #expect(document.errors.map(\.position.line) == [1, 3, 4])
        #expect(document.errors[0].message == "a string that is not closed on its line")
        #expect(document.errors[0].position.column == 5)
        #expect(document.errors[0].key == "a")
        #expect(document.root["b"]?.value == .integer(1))
        // A broken statement's key is there but invalid, so that a reader does not call it missing.
        #expect(document.root["a"]?.value == .invalid)
        #expect(document.root["c"]?.value == .invalid)
        // Keys under a broken header go nowhere; the next header is read again.
        #expect(document.root["d"] == nil)
        #expect(document.root["ok"]?["e"]?.value == .integer(4))
    }

    @Test func theRestOfABrokenMultiLineValueIsNotReportedAgain() {
        let document = TOMLDocument(
            parsing: """
                tags = [
                  "one"
                  "two",
                  # a comment inside the broken array
                  "three",
                ]
                next = 1
                """
        )
        #expect(document.errors.count == 1)
        #expect(document.errors[0].position.line == 3)
        #expect(document.errors[0].key == "tags")
        #expect(document.root["next"]?.value == .integer(1))
    }

    @Test func duplicateKeysAndTablesNameTheFirstDefinition() {
        let document = TOMLDocument(
            parsing: """
                a = 1
                a = 2
                [t]
                [t]
                """
        )
        #expect(document.errors.count == 2)
        #expect(document.errors[0].message.contains("duplicate key \"a\", already defined at line 1, column 1"))
        #expect(document.errors[1].position == TOMLPosition(line: 4, column: 2, offset: 17))
        #expect(document.errors[1].message.contains("\"t\" is already defined as a table"))
    }

    @Test(arguments: ["arrays", "inline tables"])
    func deepNestingIsAnErrorWithoutRecursion(kind: String) {
        let depth = 100_000
        let value =
            kind == "arrays"
            ? String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            : String(repeating: "{a=", count: depth) + "1" + String(repeating: "}", count: depth)
        let document = TOMLDocument(parsing: "x = " + value + "\ny = 1\n")
        #expect(document.errors.count == 1)
        #expect(document.errors[0].message.contains("nested more than 256 deep (nested value depth)"))
        #expect(document.errors[0].position.line == 1)
        #expect(document.root["y"]?.value == .integer(1))
    }

    @Test func nestingUpToTheLimitIsRead() {
        let limits = TOMLLimits(maximumNestingDepth: 5)
        #expect(TOMLDocument(parsing: "x = [[[[[1]]]]]", limits: limits).isValid)
        #expect(!TOMLDocument(parsing: "x = [[[[[[1]]]]]]", limits: limits).isValid)
    }

    @Test func keysWithTooManyPartsAreAnError() {
        let key = Array(repeating: "a", count: 20_000).joined(separator: ".")
        let document = TOMLDocument(parsing: "\(key) = 1\nok = 2\n[\(key)]\n")
        #expect(document.errors.count == 2)
        #expect(document.errors.allSatisfy { $0.message.contains("more than 100 dotted parts") })
        #expect(document.root["ok"]?.value == .integer(2))
    }

    @Test(
        arguments: [
            ([0xC0, 0xAF], "0xC0"),  // an overlong "/"
            ([0xED, 0xA0, 0x80], "0xED"),  // a UTF-16 surrogate
            ([0xF4, 0x90, 0x80, 0x80], "0xF4"),  // beyond U+10FFFF
            ([0xFF], "0xFF"),
            ([0xE2, 0x82], "0xE2"),  // cut short
        ] as [([UInt8], String)]
    )
    func invalidUTF8IsLocatedInStringsCommentsAndKeys(bad: [UInt8], byte: String) {
        for (prefix, column) in [("a = \"é", 7), ("# é", 4), ("", 1)] {
            let bytes = Array("x = 1\n\(prefix)".utf8) + bad + Array("\"\nz = 2\n".utf8)
            let document = TOMLDocument(parsing: bytes)
            #expect(document.errors.count == 1, "\(prefix)")
            let offset = prefix.utf8.count + 6
            #expect(document.errors.first?.message == "invalid UTF-8 (byte \(byte) at offset \(offset))")
            #expect(document.errors.first?.position == TOMLPosition(line: 2, column: column, offset: offset))
            #expect(document.root["z"]?.value == .integer(2))
        }
    }

    @Test func errorsPastTheLimitAreCounted() {
        let limits = TOMLLimits(maximumErrors: 10)
        let syntax = TOMLDocument(parsing: String(repeating: "bad\n", count: 50), limits: limits)
        #expect(syntax.errors.count == 10)
        #expect(syntax.omittedErrorCount == 40)
        #expect(syntax.errors.map(\.position.line) == Array(1...10))
        let values = TOMLDocument(
            parsing: (0..<50).map { "k\($0) = 2027-02-30" }.joined(separator: "\n"),
            limits: limits
        )
        #expect(values.errors.count == 10)
        #expect(values.omittedErrorCount == 40)
        #expect(!values.isValid)
    }

    @Test func aTableWithManyKeysFindsEachByKey() {
        let count = 20_000
        let document = TOMLDocument(parsing: (0..<count).map { "k\($0) = \($0)" }.joined(separator: "\n"))
        #expect(document.isValid)
        #expect(document.root.count == count)
        #expect(document.root["k19999"]?.value == .integer(19999))
        #expect(document.root["k0"]?.value == .integer(0))
        let duplicate = TOMLDocument(parsing: (0..<count).map { "k\($0) = 1" }.joined(separator: "\n") + "\nk5 = 2")
        #expect(duplicate.errors.count == 1)
    }

    @Test func aLongKeyIsShortenedInMessages() {
        let key = String(repeating: "k", count: 100_000)
        let document = TOMLDocument(parsing: "[\(key)]\nd = [2027-02-30, 2027-02-31]\n")
        #expect(document.errors.map(\.key) == (0..<2).map { "\(String(repeating: "k", count: 64))....d[\($0)]" })
    }

    @Test func positionsOfManyOffsetsOnOneLongLine() {
        let line = String(repeating: "é", count: 50_000)
        let document = TOMLDocument(parsing: "a = 1\n# \(line)\n")
        let offsets = [8, 6, 100_008, 0]
        #expect(document.positions(ofBytes: offsets) == offsets.map { document.position(ofByte: $0) })
        #expect(document.positions(ofBytes: offsets)[2] == TOMLPosition(line: 2, column: 50_003, offset: 100_008))
    }

    @Test func crlfLineEndsAndAByteOrderMark() {
        let document = TOMLDocument(parsing: [0xEF, 0xBB, 0xBF] + Array("a = 1\r\nb = \"\"\"x\r\ny\"\"\"\r\n".utf8))
        #expect(document.errors.isEmpty, "\(document.errors)")
        #expect(document.root["b"]?.value == .string("x\ny"))
        #expect(document.root["b"]?.range.start == TOMLPosition(line: 2, column: 5, offset: 14))
    }
}
