import DaemonTesting
import Foundation
import Testing
import Timeline

@testable import Daemon

/// A file that cannot be read is said in the reader's language, its size and the limit as they are.
@Suite struct FileReaderLanguageTests {
    /// The two messages of a file too large, in Spanish.
    let spanish = Localizer(
        singular: {
            [
                "error": "error",
                "file too large (%s bytes; the limit is %s bytes)":
                    "archivo demasiado grande (%s bytes; el límite es de %s bytes)",
                "split the milestones into drop-in files in the timeline.d/ directory":
                    "reparta los hitos en archivos complementarios del directorio timeline.d/",
            ][$0] ?? $0
        },
        plural: { one, other, n in n == 1 ? one : other }
    )

    @Test func aFileTooLargeIsSaidInTheReadersLanguageWithItsSizeAndTheLimit() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("big.ics")
        try "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        guard case .failure(let failure) = FileReader.read(path, limit: 10) else {
            Issue.record("a 32-byte file read with a limit of 10 bytes")
            return
        }
        let diagnostic = failure.diagnostic(path: "big.ics")
        #expect(
            diagnostic.description == "big.ics:1:1: error: file too large (32 bytes; the limit is 10 bytes); "
                + "split the milestones into drop-in files in the timeline.d/ directory"
        )
        #expect(
            diagnostic.description(in: spanish)
                == "big.ics:1:1: error: archivo demasiado grande (32 bytes; el límite es de 10 bytes); "
                + "reparta los hitos en archivos complementarios del directorio timeline.d/"
        )
    }
}
