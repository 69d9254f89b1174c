import Glibc
import SystemPackage
import DaemonTesting
import Testing

@testable import Daemon

/// The parts of fetching a feed that need no server: credentials, URLs in messages, the status file, and what
/// counts as a whole calendar. `make feeds-test` fetches from a real web server.
@Suite("Feed fetcher")
struct FeedFetcherTests {
    @Test func aCredentialFileIsBasicOrBearer() {
        #expect(HTTPGet.Credential(fileText: "ana:s3cr:et\n") == .basic(user: "ana", password: "s3cr:et"))
        #expect(HTTPGet.Credential(fileText: "Bearer abc.def\n") == .bearer("abc.def"))
        #expect(HTTPGet.Credential(fileText: "bearer   tok\r\n") == .bearer("tok"))
        #expect(HTTPGet.Credential(fileText: "no-colon-here") == nil)
        #expect(HTTPGet.Credential(fileText: "Bearer \n") == nil)
    }

    @Test func urlsInMessagesLoseTheirCredentials() {
        #expect(HTTPGet.redacted("https://ana:secret@example.org/a@b.ics") == "https://example.org/a@b.ics")
        #expect(HTTPGet.redacted("https://example.org/team.ics?u=a@b") == "https://example.org/team.ics?u=a@b")
        #expect(HTTPGet.redacted("webcal://tok@example.org") == "webcal://example.org")
    }

    @Test func webcalIsReadAsHttps() {
        #expect(HTTPGet(url: "webcal://example.org/x.ics").effectiveURL == "https://example.org/x.ics")
        #expect(HTTPGet(url: "WEBCAL://example.org/x.ics").effectiveURL == "https://example.org/x.ics")
        #expect(HTTPGet(url: "http://example.org/x.ics").effectiveURL == "http://example.org/x.ics")
    }

    @Test func theStatusFileRoundTrips() {
        var status = FeedCache.Status()
        status.etag = "\"abc\""
        status.lastModified = "Tue, 01 Dec 2026 00:00:00 GMT"
        status.lastSuccess = 1_796_000_000
        status.lastAttempt = 1_796_000_060
        status.lastError = "HTTP status 500\r\nand a second line"
        let read = FeedCache.Status(text: status.text)
        #expect(read.etag == status.etag && read.lastModified == status.lastModified)
        #expect(read.lastSuccess == status.lastSuccess && read.lastAttempt == status.lastAttempt)
        // One line per key, whatever the error said.
        #expect(read.lastError == "HTTP status 500and a second line")
        #expect(FeedCache.Status(text: "").etag == nil)
    }

    @Test(arguments: [
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", nil),
        ("\u{FEFF}begin:vcalendar\nend:vcalendar\n\n", nil),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n", "truncated"),
        ("<html>Please log in</html>", "not an iCalendar file"),
        ("", "empty"),
    ] as [(String, String?)])
    func onlyAWholeCalendarReplacesTheCopy(body: String, problem: String?) throws {
        let directory = TemporaryDirectory()
        let file = try FileDescriptor.open(
            directory.file("body"), .readWrite, options: [.create, .truncate], permissions: .ownerReadWrite)
        defer { try? file.close() }
        _ = try file.writeAll(Array(body.utf8))
        let found = FeedFetcher.problem(withBody: file, bytes: Int64(body.utf8.count))
        if let problem {
            #expect(found?.contains(problem) == true, "\(found ?? "nil")")
        } else {
            #expect(found == nil)
        }
    }

    @Test func aFailureBeginsAnOutageOnceAndASuccessEndsIt() throws {
        let directory = TemporaryDirectory()
        let fetcher = FeedFetcher(cache: FeedCache(stateDirectory: directory.file("state")))
        let first = fetcher.recordFailure(of: "team", "HTTP status 500", now: 100)
        let second = fetcher.recordFailure(of: "team", "HTTP status 503", now: 200)
        #expect(first.outageBegins && !second.outageBegins)
        #expect(fetcher.cache.status("team").lastError == "HTTP status 503")
        #expect(fetcher.cache.status("team").lastAttempt == 200)
    }
}
