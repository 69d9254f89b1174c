import Glibc
import Testing

@testable import Timeline

/// The bad-input catalogue of issue 6 for the config loader: every input gives errors with file, line, column
/// and what to do, never a crash, in bounded time. (Empty and binary files and invalid UTF-8 in a string are in
/// ConfigLoaderTests; unreadable files, symlink loops and files changing while read in DaemonTests.)
@Suite("Bad input: config")
struct BadInputConfigTests {
    static let valid = """
        [defaults]
        timezone = "Europe/Paris"
        reminders = ["1 day before", { at = "2 hours before", priority = "warning" }]

        [[milestone]]
        id = "ilc-2030"
        title = "International Labour Conference"
        start = 2030-06-03
        end = 2030-06-14
        tags = ["ilo"]

        [[milestone]]
        id = "call"
        title = "Working group call"
        start = 2030-01-14T15:00:00
        timezone = "America/New_York"
        rrule = "FREQ=MONTHLY;BYDAY=2TU"
        exdate = [2030-08-13T15:00:00]
        """

    /// Every diagnostic points into the file it names, at a line and column that exist.
    func expectPositioned(_ diagnostics: [Diagnostic], in text: String, name: String = "t.toml") {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for diagnostic in diagnostics {
            #expect(diagnostic.location.file == name)
            #expect((1...max(lines.count, 1)).contains(diagnostic.location.line), "\(diagnostic)")
            let line = lines.isEmpty ? "" : lines[min(diagnostic.location.line, lines.count) - 1]
            #expect((1...line.unicodeScalars.count + 1).contains(diagnostic.location.column), "\(diagnostic)")
            #expect(!diagnostic.message.isEmpty)
        }
    }

    @Test func everyTruncationOfAValidFileLoadsOrFailsWithPositionedErrors() {
        let bytes = Array(Self.valid.utf8)
        var failed = 0
        for cut in 0..<bytes.count {
            let text = String(decoding: bytes[..<cut], as: UTF8.self)
            do {
                _ = try load(text)
            } catch {
                failed += 1
                #expect(!error.errors.isEmpty)
                expectPositioned(error.diagnostics, in: text)
            }
        }
        // Cut mid-line, most prefixes are broken; cut between milestones, a prefix is a smaller valid file.
        #expect(failed > bytes.count / 2)
    }

    @Test func truncatedMidLineNamesTheLineWhereTheFileEnds() throws {
        // Cut inside `title = "International Labour Conference"`: an unterminated string on line 7, and the
        // milestone (line 5) has no start. The broken title is not reported missing as well.
        let cut = String(Self.valid[..<Self.valid.firstRange(of: "Labour")!.lowerBound])
        let found = errors(cut)
        #expect(found.count == 2)
        #expect(found[0].location.line == 5)
        #expect(found[0].message == "missing required key \"start\"")
        #expect(found[1].message == "TOML syntax: a string that is not closed on its line")
        #expect(found[1].location == SourceLocation(file: "t.toml", line: 7, column: 9))
        #expect(found[1].key == "milestone[0].title")
        #expect(found[1].hint?.contains("toml.io") == true)
    }

    @Test func fileOver64MiBIsRefusedBeforeParsing() {
        let bytes = [UInt8](repeating: UInt8(ascii: "#"), count: 100 << 20)
        do {
            _ = try ConfigLoader().load([ConfigSource(name: "big.toml", bytes: bytes)])
            Issue.record("a 100 MB file loaded")
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.errors[0].location == SourceLocation(file: "big.toml", line: 1, column: 1))
            #expect(error.errors[0].message.contains("file too large (104857600 bytes"))
            #expect(error.errors[0].hint?.contains("drop-in") == true)
        }
    }

    @Test func tenMegabyteLineIsAValueOrAPositionedError() throws {
        let long = String(repeating: "x", count: 10 << 20)
        let valid = "[[milestone]]\nid = \"a\"\ntitle = \"A\"\nstart = 2030-01-01\ndescription = \"\(long)\"\n"
        #expect(try load(valid).milestones[0].description?.count == 10 << 20)

        let found = errors("[[milestone]]\nid = \"a\"\ntitle = \"A\"\nstart = 2030-01-01\n\(long)\n")
        #expect(found.count == 1)
        #expect(found[0].location.line == 5)
        #expect(found[0].location.column == (10 << 20) + 1)
        #expect(found[0].message.contains("expected '='"))
    }

    /// Arrays and inline tables nested beyond 256, and dotted keys 1,000 and 20,000 deep: errors of the parser
    /// (which does not recurse), and the rest of the file is still checked (Fuzz/Findings/FuzzConfigLoader/
    /// tomlpp-stack-overflow-dotted-key-depth-20000 replays the deepest key).
    @Test(arguments: [
        ("a = " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000), "nested value depth"),
        (
            "a = " + String(repeating: "{b=", count: 5000) + "1" + String(repeating: "}", count: 5000),
            "nested value depth"
        ),
        ("a" + String(repeating: ".a", count: 1000) + " = 1", "more than 100 dotted parts"),
        ("[" + Array(repeating: "a", count: 1000).joined(separator: ".") + "]", "more than 100 dotted parts"),
        ("a" + String(repeating: ".a", count: 20000) + " = 1", "more than 100 dotted parts"),
    ])
    func deepNestingIsAnErrorNotACrash(text: String, expected: String) {
        let found = errors(text + "\n[[milestone]]\nid = \"ok\"\ntitle = \"OK\"\nstart = 2030-01-01\nstart = 2\n")
        let syntax = found.filter { $0.message.hasPrefix("TOML syntax") }
        #expect(syntax.count == 2, "\(found)")
        #expect(syntax[0].description.contains(expected), "\(found)")
        #expect(syntax[0].location.line == 1)
        // Reading went on: the duplicate key on line 6 is found in the same run.
        #expect(syntax[1].location.line == 6 && syntax[1].message.contains("duplicate key \"start\""))
    }

    @Test(
        arguments: [
            ([0xC0, 0xAF], "0xC0"),  // an overlong "/"
            ([0xED, 0xA0, 0x80], "0xED"),  // a UTF-16 surrogate
            ([0xF4, 0x90, 0x80, 0x80], "0xF4"),  // beyond U+10FFFF
            ([0xFF], "0xFF"),
            ([0xE2, 0x82], "0xE2"),  // cut short at the end of the file
        ] as [([UInt8], String)]
    )
    func invalidUTF8IsNamedWithItsPosition(bad: [UInt8], byte: String) {
        let bytes = Array("[[milestone]]\nid = \"x\"\n# ".utf8) + bad
        do {
            _ = try ConfigLoader().load([ConfigSource(name: "u.toml", bytes: bytes)])
            Issue.record("invalid UTF-8 loaded")
        } catch {
            // The encoding error, and in the same run what the rest of the file lacks.
            #expect(error.errors.count == 3)
            let encoding = error.errors.first { $0.message.contains("UTF-8") }
            #expect(encoding?.message == "TOML syntax: invalid UTF-8 (byte \(byte) at offset 25)")
            #expect(encoding?.location == SourceLocation(file: "u.toml", line: 3, column: 3))
            #expect(encoding?.hint?.hasPrefix("save the file as UTF-8") == true)
            #expect(error.errors.filter { $0.message.hasPrefix("missing required key") }.count == 2)
        }
    }

    @Test func binaryDropInDoesNotHideTheOtherFilesErrors() {
        let main = ConfigSource(
            name: "timeline.toml",
            text: "[[milestone]]\nid = \"a\"\ntitle = 5\nstart = 2030-01-01\n"
        )
        let binary = ConfigSource(name: "timeline.d/10.toml", bytes: [0x7F, 0x45, 0x4C, 0x46, 0, 1, 2])
        let empty = ConfigSource(name: "timeline.d/20.toml", bytes: [])
        do {
            _ = try ConfigLoader().load([main, binary, empty])
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.map(\.location.file) == ["timeline.d/10.toml", "timeline.d/20.toml", "timeline.toml"])
            #expect(error.errors[0].message.contains("binary data (a NUL byte)"))
            #expect(error.errors[0].location.column == 5)
            #expect(error.errors[1].message.contains("empty file"))
        }
    }
}

/// Inputs that take more than 10 seconds in a debug build; `swift test --skip BadInputSlowTests` leaves them out.
@Suite("Bad input: slow", .serialized)
struct BadInputSlowTests {
    @Test(.timeLimit(.minutes(5)))
    func aMillionMilestonesAreRefusedPastTheLimitWithOneErrorPerFile() {
        // Ten drop-ins of 100,000 minimal milestones (about 5 MB each).
        var sources: [ConfigSource] = []
        for file in 0..<10 {
            var text = ""
            text.reserveCapacity(5 << 20)
            for i in file * 100_000..<(file + 1) * 100_000 {
                text += "[[milestone]]\nid=\"m\(i)\"\ntitle=\"t\"\nstart=2030-01-01\nreminders=[]\n"
            }
            sources.append(ConfigSource(name: "timeline.d/\(file).toml", text: text))
        }
        do {
            _ = try ConfigLoader().load(sources)
            Issue.record("a million milestones loaded")
        } catch {
            // The first five files fill the limit; each of the other five gets one error at its first milestone.
            #expect(error.errors.count == 5)
            #expect(error.errors.map(\.location.file) == (5..<10).map { "timeline.d/\($0).toml" })
            #expect(error.errors.allSatisfy { $0.location.line == 1 && $0.location.column == 1 })
            #expect(error.errors[0].message.contains("too many milestones: the limit is 500000"))
            #expect(error.errors[0].hint?.contains("recurrence") == true)
        }
    }
}
