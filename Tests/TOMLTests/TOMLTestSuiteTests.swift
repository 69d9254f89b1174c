import Glibc
import Testing

@testable import TOML

/// The toml-test 1.0.0 files (toml-test/, MIT), parsed in-process: every valid document without an error,
/// every invalid one with at least one, each at a position inside the file. `make toml-test` also compares
/// the decoded values with the expected JSON through `TOMLTestDecoder`.
@Suite("toml-test suite")
struct TOMLTestSuiteTests {
    static let directory = String(#filePath.dropLast("TOMLTestSuiteTests.swift".count)) + "toml-test/"

    static func listed(_ prefix: String) -> [String] {
        guard let list = read(directory + "files-toml-1.0.0") else { return [] }
        return String(decoding: list, as: UTF8.self).split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".toml") }
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }

    @Test func theListNamesEveryFileOfTheSuite() {
        #expect(Self.listed("valid/").count == 210)
        #expect(Self.listed("invalid/").count == 499)
    }

    @Test(arguments: listed("valid/"))
    func validDocumentParsesWithoutErrors(name: String) throws {
        let bytes = try #require(Self.read(Self.directory + name))
        let document = TOMLDocument(parsing: bytes)
        #expect(document.errors.isEmpty, "\(name): \(document.errors)")
    }

    @Test(arguments: listed("invalid/"))
    func invalidDocumentIsRejectedWithPositionedErrors(name: String) throws {
        let bytes = try #require(Self.read(Self.directory + name))
        let document = TOMLDocument(parsing: bytes)
        #expect(!document.errors.isEmpty, "\(name) was accepted")
        let lines = bytes.count { $0 == 0x0A } + 1
        for error in document.errors {
            #expect((1...lines).contains(error.position.line), "\(name): \(error)")
            #expect(
                error.position.column >= 1 && (0...bytes.count).contains(error.position.offset),
                "\(name): \(error)"
            )
        }
    }
}
