import Glibc
import SystemPackage

/// Fetches iCalendar feeds into a ``FeedCache``, one request per feed that is due: an unchanged feed (304)
/// costs that request and nothing else; a new body replaces the copy only when it is a whole calendar; any
/// failure keeps the last good copy in force and is remembered in the feed's status.
public struct FeedFetcher: Sendable {
    /// One feed: a `[[calendar]]` with a `url`.
    public struct Feed: Sendable, Equatable {
        /// The calendar's name (its files in the cache are named after it).
        public var name: String
        /// The URL (`http`, `https` or `webcal`).
        public var url: String
        /// How often to fetch it, in seconds.
        public var refresh: Int64
        /// A PEM file of CA certificates to trust instead of the system's.
        public var caFile: String?
        /// The credential to send, when the feed needs one.
        public var credential: HTTPGet.Credential?
        /// The whole request's limit, in seconds.
        public var timeoutSeconds = 60
        /// The largest body accepted, in bytes.
        public var maxBytes: Int64 = 50 << 20

        /// A feed named `name` at `url`, fetched every `refresh` seconds.
        public init(name: String, url: String, refresh: Int64) {
            self.name = name
            self.url = url
            self.refresh = refresh
        }
    }

    /// What one call of ``fetch(_:now:force:)`` did.
    public enum Outcome: Sendable, Equatable {
        /// Not fetched: the last success is younger than the feed's refresh; due again at this time.
        case notDue(until: Int64)
        /// The server said 304: the copy is current.
        case unchanged
        /// A new copy of this many bytes replaced the old one.
        case updated(bytes: Int64)
        /// The request failed for this reason; the last good copy (if any) stays.
        case failed(String)
    }

    /// An outcome, with whether it begins or ends an outage (the times to say so in the journal).
    public struct Result: Sendable, Equatable {
        /// What happened.
        public var outcome: Outcome
        /// The failure is the first since the last success.
        public var outageBegins = false
        /// The success follows one or more failures.
        public var outageEnds = false

        /// A result; see the properties.
        public init(outcome: Outcome, outageBegins: Bool = false, outageEnds: Bool = false) {
            self.outcome = outcome
            self.outageBegins = outageBegins
            self.outageEnds = outageEnds
        }
    }

    /// Where copies and statuses go.
    public let cache: FeedCache

    /// A fetcher writing into `cache`.
    public init(cache: FeedCache) {
        self.cache = cache
    }

    /// Fetches `feed` unless its refresh has not passed since the last success (`force` fetches anyway).
    /// `now` is seconds since the epoch.
    public func fetch(_ feed: Feed, now: Int64, force: Bool = false) -> Result {
        let status = cache.status(feed.name)
        let haveCopy = access(cache.copyPath(feed.name), R_OK) == 0
        if !force, haveCopy, status.lastError == nil, let last = status.lastSuccess, now < last + feed.refresh {
            return Result(outcome: .notDue(until: last + feed.refresh))
        }
        return finish(feed.name, status, request(feed, status: haveCopy ? status : FeedCache.Status()), now: now)
    }

    /// Records a failure that happened before any request (a credential that cannot be read), as `fetch` does.
    public func recordFailure(of name: String, _ reason: String, now: Int64) -> Result {
        finish(name, cache.status(name), (.failed(reason), nil, nil), now: now)
    }

    private func finish(
        _ name: String,
        _ previous: FeedCache.Status,
        _ outcome: (outcome: Outcome, etag: String?, lastModified: String?),
        now: Int64
    ) -> Result {
        var status = previous
        status.lastAttempt = now
        switch outcome.outcome {
        case .updated, .unchanged:
            status.lastSuccess = now
            status.lastError = nil
            if case .updated = outcome.outcome {
                status.etag = outcome.etag
                status.lastModified = outcome.lastModified
            }
        case .failed(let reason):
            status.lastError = reason
        case .notDue:
            break
        }
        var result = Result(outcome: outcome.outcome)
        do {
            try cache.save(status, for: name)
        } catch {
            if case .failed = outcome.outcome {} else { result.outcome = .failed("cannot save the status: \(error)") }
        }
        let wasFailing = previous.lastError != nil
        if case .failed = result.outcome { result.outageBegins = !wasFailing } else { result.outageEnds = wasFailing }
        return result
    }

    private func request(_ feed: Feed, status: FeedCache.Status) -> (
        outcome: Outcome, etag: String?, lastModified: String?
    ) {
        var get = HTTPGet(url: feed.url)
        get.caFile = feed.caFile
        get.credential = feed.credential
        get.timeoutSeconds = feed.timeoutSeconds
        get.maxBytes = feed.maxBytes
        get.ifNoneMatch = status.etag
        get.ifModifiedSince = status.lastModified
        let temporary = cache.temporaryPath(feed.name)
        let file: FileDescriptor
        do {
            try cache.prepare(feed.name)
            file = try FileDescriptor.open(
                temporary,
                .readWrite,
                options: [.create, .truncate, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead]
            )
        } catch {
            return (.failed("\(error)"), nil, nil)
        }
        var committed = false
        defer {
            if !committed {
                try? file.close()
                unlink(temporary)
            }
        }
        let response: HTTPGet.Response
        do {
            response = try get.perform(writingTo: file)
        } catch {
            return (.failed(error.description), nil, nil)
        }
        switch response.status {
        case 304 where status.etag != nil || status.lastModified != nil:
            return (.unchanged, nil, nil)
        case 200..<300:
            if let problem = Self.problem(withBody: file, bytes: response.bytes) { return (.failed(problem), nil, nil) }
            do {
                committed = true
                try cache.commit(file, temporary, to: cache.copyPath(feed.name))
            } catch {
                unlink(temporary)
                return (.failed("\(error)"), nil, nil)
            }
            return (.updated(bytes: response.bytes), response.etag, response.lastModified)
        default:
            return (.failed("HTTP status \(response.status)"), nil, nil)
        }
    }

    /// Why a body is not a whole calendar: it must begin with `BEGIN:VCALENDAR` and end with `END:VCALENDAR`
    /// (a transfer cut short, an HTML error page served with 200, an empty body).
    static func problem(withBody file: FileDescriptor, bytes: Int64) -> String? {
        func slice(at offset: Int64, count: Int) -> String {
            var buffer = [UInt8](repeating: 0, count: count)
            let read = buffer.withUnsafeMutableBytes { (try? file.read(fromAbsoluteOffset: offset, into: $0)) ?? 0 }
            return String(decoding: buffer[..<read], as: UTF8.self)
        }
        let head = slice(at: 0, count: 64).drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        let tail = slice(at: max(0, bytes - 64), count: 64).reversed().drop { $0.isWhitespace }.reversed()
        guard head.uppercased().hasPrefix("BEGIN:VCALENDAR") else {
            return bytes == 0 ? "the body is empty" : "the body is not an iCalendar file (no BEGIN:VCALENDAR)"
        }
        guard String(tail).uppercased().hasSuffix("END:VCALENDAR") else {
            return "the body is truncated (it does not end with END:VCALENDAR)"
        }
        return nil
    }
}
