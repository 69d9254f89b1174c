import Glibc
import Testing
import Timeline

extension ZoneFixture {
    /// The bytes of the file at `path`.
    static func readFile(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor >= 0, "cannot open \(path)")
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            try #require(count >= 0)
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    /// A fresh directory under /tmp, removed (with its contents) by `removeTree`.
    static func makeTemporaryDirectory() throws -> String {
        var template = Array("/tmp/zone-tests-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        try #require(made)
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(descriptor >= 0, "cannot create \(path)")
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        try #require(written == bytes.count)
    }

    /// Deletes `path` and everything under it (no symlinks are followed).
    static func removeTree(_ path: String) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        if status.st_mode & S_IFMT == S_IFDIR, let directory = opendir(path) {
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(directory)
            for name in names { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}

@Suite("ZoneDatabase")
struct ZoneDatabaseTests {
    let database = ZoneFixture.database

    @Test func loadsZonesAndLinksByIdentifier() throws {
        let eastern = try database.zone("US/Eastern")
        #expect(eastern.identifier == "US/Eastern")
        #expect(eastern.offset(at: ZoneFixture.instant("2021-07-15T12:00:00Z")).abbreviation == "EDT")
        #expect(
            try database.zone("Etc/GMT+5").offset(at: ZoneFixture.instant("2021-07-15T12:00:00Z")).seconds == -18000
        )
        #expect(try database.zone("UTC") == .utc)
        #expect(try database.zone("Etc/UTC").offset(at: ZoneFixture.instant("2021-07-15T12:00:00Z")).seconds == 0)
        // posix/ holds the same zones (links on Debian); right/ is refused below.
        #expect(
            try database.zone("posix/Europe/Paris").offset(at: ZoneFixture.instant("2021-07-15T12:00:00Z")).seconds
                == 7200
        )
    }

    @Test func knownIdentifiersComeFromTzdataZi() throws {
        let known = database.knownIdentifiers()
        // Debian 12's tzdata 2025b lists 447 zones and 151 links; later releases may differ a little.
        #expect(known.count > 500)
        #expect(known == known.sorted())
        for name in ["Europe/Paris", "America/New_York", "US/Eastern", "UTC", "Etc/GMT+5", "Australia/Lord_Howe"] {
            #expect(known.contains(name), "\(name)")
        }
        #expect(!known.contains { $0.hasPrefix("posix/") || $0.hasPrefix("right/") })
        #expect(!known.contains("posixrules") && !known.contains("localtime"))
    }

    @Test func everyKnownIdentifierLoads() {
        var failures: [String] = []
        for identifier in database.knownIdentifiers() {
            do {
                _ = try database.zone(identifier)
            } catch {
                failures.append(error.description)
            }
        }
        #expect(failures.isEmpty)
    }

    @Test func knownIdentifiersFallBackToZoneTab() throws {
        let root = try ZoneFixture.makeTemporaryDirectory()
        defer { ZoneFixture.removeTree(root) }
        try ZoneFixture.writeFile(
            root + "/zone1970.tab",
            Array("# comment\nFR,MC\t+4852+00220\tEurope/Paris\nJP\t+353916+1394441\tAsia/Tokyo\n".utf8)
        )
        #expect(ZoneDatabase(root: root).knownIdentifiers() == ["Asia/Tokyo", "Europe/Paris", "UTC"])
        #expect(ZoneDatabase(root: root + "/missing").knownIdentifiers() == [])
    }

    struct SuggestionCase: CustomTestStringConvertible, Sendable {
        let input: String
        let code: ZoneError.Code
        let suggestion: String
        var testDescription: String { "\"\(input)\"" }
    }

    @Test(arguments: [
        SuggestionCase(input: "europe/paris", code: .unknownIdentifier, suggestion: "Europe/Paris"),
        SuggestionCase(input: "Europe/Pariss", code: .unknownIdentifier, suggestion: "Europe/Paris"),
        SuggestionCase(input: "Europe/Pari", code: .unknownIdentifier, suggestion: "Europe/Paris"),
        SuggestionCase(input: "Amercia/New_York", code: .unknownIdentifier, suggestion: "America/New_York"),
        SuggestionCase(input: "Paris", code: .unknownIdentifier, suggestion: "Europe/Paris"),
        SuggestionCase(input: "tokyo", code: .unknownIdentifier, suggestion: "Asia/Tokyo"),
        SuggestionCase(input: "America/New York", code: .invalidIdentifier, suggestion: "America/New_York"),
        SuggestionCase(input: "Europe/Paris ", code: .invalidIdentifier, suggestion: "Europe/Paris"),
    ])
    func unknownIdentifiersSuggestCloseMatches(_ example: SuggestionCase) {
        #expect {
            try database.zone(example.input)
        } throws: { error in
            guard let error = error as? ZoneError else { return false }
            return error.code == example.code && error.suggestions.first == example.suggestion
                && error.description.contains("did you mean \"\(example.suggestion)\"")
        }
    }

    @Test func unknownIdentifierDescribesTheMissingFile() {
        #expect {
            try database.zone("Europe/Pariss")
        } throws: { error in
            (error as? ZoneError)?.description
                == "unknown time zone \"Europe/Pariss\" (no file /usr/share/zoneinfo/Europe/Pariss); "
                + "did you mean \"Europe/Paris\"?"
        }
        #expect {
            try database.zone("Nowhere/Atlantis")
        } throws: { error in
            guard let error = error as? ZoneError else { return false }
            return error.code == .unknownIdentifier && error.suggestions.isEmpty
                && !error.description.contains("did you mean")
        }
        #expect {
            try database.zone("Europe")
        } throws: { error in
            guard let error = error as? ZoneError else { return false }
            return error.code == .unknownIdentifier && error.description.contains("is a directory of zones")
        }
    }

    struct InvalidCase: CustomTestStringConvertible, Sendable {
        let identifier: String
        let reason: String
        var testDescription: String { "\"\(identifier)\"" }
    }

    @Test(arguments: [
        InvalidCase(identifier: "", reason: "it is empty"),
        InvalidCase(identifier: "/etc/passwd", reason: "absolute paths are not allowed"),
        InvalidCase(identifier: "../etc/passwd", reason: "'..' components are not allowed"),
        InvalidCase(identifier: "Europe/../../../etc/shadow", reason: "'..' components are not allowed"),
        InvalidCase(identifier: "Europe//Paris", reason: "empty path component"),
        InvalidCase(identifier: "Europe/Paris/", reason: "empty path component"),
        InvalidCase(identifier: "zone.tab", reason: "the character \".\" is not allowed"),
        InvalidCase(identifier: "Europe/Paris\u{0}", reason: "is not allowed"),
        InvalidCase(identifier: "Europe/Zürich", reason: "the character \"ü\" is not allowed"),
        InvalidCase(identifier: "right/Europe/Paris", reason: "right/ zones count leap seconds"),
        InvalidCase(identifier: String(repeating: "A", count: 300), reason: "longer than 255 bytes"),
    ])
    func invalidIdentifiersAreRejectedBeforeTouchingTheFileSystem(_ example: InvalidCase) {
        #expect {
            try database.zone(example.identifier)
        } throws: { error in
            guard let error = error as? ZoneError else { return false }
            return error.code == .invalidIdentifier && error.description.contains(example.reason)
        }
    }

    @Test func badFilesReportTheirPath() throws {
        let root = try ZoneFixture.makeTemporaryDirectory()
        defer { ZoneFixture.removeTree(root) }
        mkdir(root + "/Test", 0o755)
        try ZoneFixture.writeFile(root + "/Test/Garbage", Array("not a zone".utf8))
        try ZoneFixture.writeFile(root + "/Test/Cut", Array(ZoneTZifTests.miniParis.bytes.prefix(50)))
        mkfifo(root + "/Test/Pipe", 0o644)
        let database = ZoneDatabase(root: root)

        #expect {
            try database.zone("Test/Garbage")
        } throws: { error in
            (error as? ZoneError)?.description
                == "time zone \"Test/Garbage\" (\(root)/Test/Garbage): not a TZif file: byte 0 starts with \"not \", "
                + "expected \"TZif\""
        }
        #expect {
            try database.zone("Test/Cut")
        } throws: { error in
            guard let error = error as? ZoneError else { return false }
            return error.code == .truncated && error.path == root + "/Test/Cut"
        }
        #expect {
            try database.zone("Test/Pipe")
        } throws: { error in
            guard let error = error as? ZoneError else { return false }
            return error.code == .unreadableFile && error.description.contains("not a regular file")
        }
    }

    @Test func loadedZonesAreCached() throws {
        let root = try ZoneFixture.makeTemporaryDirectory()
        defer { ZoneFixture.removeTree(root) }
        try ZoneFixture.writeFile(root + "/Paris", ZoneTZifTests.miniParis.bytes)
        let database = ZoneDatabase(root: root)
        let first = try database.zone("Paris")
        unlink(root + "/Paris")
        #expect(try database.zone("Paris") == first)
        #expect(throws: ZoneError.self) { try ZoneDatabase(root: root).zone("Paris") }
    }

    @Test func tzdirChoosesTheRoot() {
        #expect(ZoneDatabase(tzdir: nil).root == "/usr/share/zoneinfo")
        #expect(ZoneDatabase(tzdir: "").root == "/usr/share/zoneinfo")
        #expect(ZoneDatabase(tzdir: "relative/dir").root == "/usr/share/zoneinfo")
        #expect(ZoneDatabase(tzdir: "/opt/zoneinfo").root == "/opt/zoneinfo")
    }

    struct SystemCase: CustomTestStringConvertible, Sendable {
        let tz: String?
        let expected: String
        var testDescription: String { "TZ=\(tz ?? "(unset)")" }
    }

    @Test(arguments: [
        SystemCase(tz: "Europe/Paris", expected: "Europe/Paris"),
        SystemCase(tz: ":Asia/Tokyo", expected: "Asia/Tokyo"),
        SystemCase(tz: "/usr/share/zoneinfo/America/New_York", expected: "America/New_York"),
        SystemCase(tz: ":/usr/share/zoneinfo/posix/Australia/Lord_Howe", expected: "Australia/Lord_Howe"),
        SystemCase(tz: "CET-1CEST,M3.5.0,M10.5.0/3", expected: "CET-1CEST,M3.5.0,M10.5.0/3"),
        SystemCase(tz: "JST-9", expected: "JST-9"),
        SystemCase(tz: "", expected: "UTC"),
        // Unusable TZ values fall through to the localtime link (Pacific/Apia here).
        SystemCase(tz: "Europe/Pariss", expected: "Pacific/Apia"),
        SystemCase(tz: ":", expected: "Pacific/Apia"),
        SystemCase(tz: nil, expected: "Pacific/Apia"),
    ])
    func systemZoneTriesTZThenTheLocaltimeLink(_ example: SystemCase) throws {
        let directory = try ZoneFixture.makeTemporaryDirectory()
        defer { ZoneFixture.removeTree(directory) }
        let link = directory + "/localtime"
        symlink("/usr/share/zoneinfo/Pacific/Apia", link)
        var problems: [ZoneError] = []
        let zone = database.systemZone(localtimePath: link, tz: example.tz, problems: &problems)
        #expect(zone.identifier == example.expected)
        #expect(problems.count == (example.tz == "Europe/Pariss" ? 1 : 0))
    }

    @Test func systemZoneReadsTheLinkTargetName() throws {
        let directory = try ZoneFixture.makeTemporaryDirectory()
        defer { ZoneFixture.removeTree(directory) }

        // A relative link into a zoneinfo/ tree, posix/ stripped.
        symlink("../../usr/share/zoneinfo/posix/Europe/Paris", directory + "/relative")
        #expect(database.systemZone(localtimePath: directory + "/relative", tz: nil).identifier == "Europe/Paris")

        // A link into a zoneinfo/ tree this database does not have: the file is parsed under the linked name.
        let elsewhere = ZoneDatabase(root: directory + "/empty")
        let tokyo = elsewhere.systemZone(
            localtimePath: directoryLink(directory, "/usr/share/zoneinfo/Asia/Tokyo"),
            tz: nil
        )
        #expect(tokyo.identifier == "Asia/Tokyo")
        #expect(tokyo.offset(at: ZoneFixture.instant("2021-07-15T12:00:00Z")).seconds == 32400)

        // A copy rather than a link: the file itself, named "localtime".
        try ZoneFixture.writeFile(directory + "/copy", try ZoneFixture.readFile("/usr/share/zoneinfo/Europe/Paris"))
        let copy = database.systemZone(localtimePath: directory + "/copy", tz: nil)
        #expect(copy.identifier == "localtime")
        #expect(copy.offset(at: ZoneFixture.instant("2021-07-15T12:00:00Z")).abbreviation == "CEST")

        // Nothing there: UTC, and nothing to report.
        var problems: [ZoneError] = []
        #expect(database.systemZone(localtimePath: directory + "/missing", tz: nil, problems: &problems) == .utc)
        #expect(problems.isEmpty)

        // A broken file: UTC, and the reason.
        try ZoneFixture.writeFile(directory + "/broken", Array("TZif2".utf8))
        #expect(database.systemZone(localtimePath: directory + "/broken", tz: nil, problems: &problems) == .utc)
        #expect(problems.map(\.code) == [.truncated])
    }

    /// A symlink named `link` in `directory` pointing at `target`.
    private func directoryLink(_ directory: String, _ target: String) -> String {
        let path = directory + "/link"
        symlink(target, path)
        return path
    }
}
