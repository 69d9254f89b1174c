import CCurl
import Glibc
import SystemPackage

/// One HTTP(S) GET through libcurl, as `sse-timeline fetch` makes it for a feed: TLS verified against the
/// system's CA store (or `caFile`), a conditional request when the last response had an `ETag` or
/// `Last-Modified`, compression, at most 5 redirects and never from https to http, a total timeout and a size
/// limit. The body goes to a file descriptor; nothing is kept in memory.
public struct HTTPGet: Sendable {
    /// A credential for the request: `user:password` (HTTP basic) or a bearer token.
    public enum Credential: Sendable, Equatable {
        /// HTTP basic authentication.
        case basic(user: String, password: String)
        /// `Authorization: Bearer <token>`.
        case bearer(String)

        /// A credential file's text: `Bearer TOKEN` on its first line is a token; `user:password` is basic
        /// authentication. Nil for anything else.
        public init?(fileText: String) {
            let line = fileText.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            if line.lowercased().hasPrefix("bearer ") {
                let token = line.dropFirst("bearer ".count).trimmingSpaces
                guard !token.isEmpty else { return nil }
                self = .bearer(token)
            } else if let colon = line.firstIndex(of: ":") {
                self = .basic(user: String(line[..<colon]), password: String(line[line.index(after: colon)...]))
            } else {
                return nil
            }
        }
    }

    /// What came back: the status of the last response (after redirects) and its validators.
    public struct Response: Sendable, Equatable {
        /// The HTTP status, e.g. 200 or 304.
        public var status: Int
        /// The `ETag` header, when there was one.
        public var etag: String?
        /// The `Last-Modified` header, when there was one.
        public var lastModified: String?
        /// The body's size in bytes, as received (after decompression).
        public var bytes: Int64
    }

    /// Why a request failed: libcurl's own words, or the size limit.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// What went wrong, for a person.
        public var description: String
    }

    /// The URL; `webcal://` is read as `https://`.
    public var url: String
    /// A PEM file of CA certificates to trust instead of the system's store.
    public var caFile: String?
    /// The `ETag` of the copy we have, sent as `If-None-Match`.
    public var ifNoneMatch: String?
    /// The `Last-Modified` of the copy we have, sent back as `If-Modified-Since`.
    public var ifModifiedSince: String?
    /// Sent only to the URL's host (libcurl drops it on a redirect to another host).
    public var credential: Credential?
    /// The whole transfer's limit, in seconds.
    public var timeoutSeconds = 60
    /// The largest body accepted, in bytes.
    public var maxBytes: Int64 = 50 << 20
    /// The `User-Agent` header.
    public var userAgent = "sse-timeline"

    /// A GET of `url`.
    public init(url: String) {
        self.url = url
    }

    /// `url` with `webcal://` read as `https://`, as calendar apps read it.
    public var effectiveURL: String {
        url.lowercased().hasPrefix("webcal://") ? "https://" + url.dropFirst("webcal://".count) : url
    }

    /// `url` without a `user:password@` part, for logs and the journal.
    public static func redacted(_ url: String) -> String {
        let characters = Array(url)
        guard let colon = characters.firstIndex(of: ":"), characters[colon...].starts(with: "://") else { return url }
        let authority = colon + 3
        let end = characters[authority...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? characters.endIndex
        guard let at = characters[authority..<end].lastIndex(of: "@") else { return url }
        return String(characters[..<authority]) + String(characters[(at + 1)...])
    }

    /// Makes the request, writing the body of a 2xx response to `body`.
    public func perform(writingTo body: FileDescriptor) throws(Failure) -> Response {
        if let problem = sse_curl_load() { throw Failure(description: "cannot load libcurl: \(String(cString: problem))") }
        guard let handle = sse_curl_easy_init() else { throw Failure(description: "curl_easy_init failed") }
        defer { sse_curl_easy_cleanup(handle) }
        let transfer = Transfer(body: body, maxBytes: maxBytes)
        var headers: UnsafeMutablePointer<curl_slist>?
        defer { sse_curl_slist_free_all(headers) }
        // libcurl keeps this pointer and writes into it during the transfer: memory of our own, not an array's
        // storage, which is only valid inside a withUnsafe... closure.
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }

        let target = effectiveURL
        let https = target.lowercased().hasPrefix("https://")
        var code = CURLE_OK
        func set(_ option: CURLoption, _ value: Int) { if code == CURLE_OK { code = sse_curl_setopt_long(handle, option, value) } }
        func set(_ option: CURLoption, _ value: String) { if code == CURLE_OK { code = sse_curl_setopt_string(handle, option, value) } }
        set(CURLOPT_URL, target)
        set(CURLOPT_PROTOCOLS_STR, "http,https")
        // Never downgrade: a feed asked for over https is only ever followed to https.
        set(CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https")
        set(CURLOPT_FOLLOWLOCATION, 1)
        set(CURLOPT_MAXREDIRS, 5)
        set(CURLOPT_ACCEPT_ENCODING, "")
        set(CURLOPT_TIMEOUT, timeoutSeconds)
        set(CURLOPT_CONNECTTIMEOUT, min(timeoutSeconds, 30))
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_USERAGENT, userAgent)
        if code == CURLE_OK { code = sse_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxBytes)) }
        if let caFile { set(CURLOPT_CAINFO, caFile) }
        var headerLines: [String] = []
        if let ifNoneMatch { headerLines.append("If-None-Match: \(ifNoneMatch)") }
        if let ifModifiedSince { headerLines.append("If-Modified-Since: \(ifModifiedSince)") }
        switch credential {
        case .basic(let user, let password):
            set(CURLOPT_HTTPAUTH, Int(SSE_CURLAUTH_BASIC))
            set(CURLOPT_USERNAME, user)
            set(CURLOPT_PASSWORD, password)
        case .bearer(let token):
            headerLines.append("Authorization: Bearer \(token)")
        case nil:
            break
        }
        for line in headerLines { headers = sse_curl_slist_append(headers, line) }
        if code == CURLE_OK, headers != nil { code = sse_curl_setopt_list(handle, CURLOPT_HTTPHEADER, headers) }
        if code == CURLE_OK { code = sse_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer) }
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        if code == CURLE_OK {
            code = sse_curl_set_callback(handle, CURLOPT_WRITEFUNCTION, CURLOPT_WRITEDATA, Transfer.write, context)
        }
        if code == CURLE_OK {
            code = sse_curl_set_callback(handle, CURLOPT_HEADERFUNCTION, CURLOPT_HEADERDATA, Transfer.header, context)
        }
        guard code == CURLE_OK else { throw Failure(description: Self.describe(code, errorBuffer)) }

        code = sse_curl_easy_perform(handle)
        withExtendedLifetime(transfer) {}
        if transfer.overLimit || code == CURLE_FILESIZE_EXCEEDED {
            throw Failure(description: "the body is larger than the limit of \(maxBytes) bytes")
        }
        if let writeError = transfer.writeError { throw Failure(description: "cannot write the body: \(writeError)") }
        guard code == CURLE_OK else { throw Failure(description: Self.describe(code, errorBuffer)) }
        var status = 0
        _ = sse_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return Response(status: status, etag: transfer.etag, lastModified: transfer.lastModified, bytes: transfer.bytes)
    }

    private static func describe(_ code: CURLcode, _ buffer: UnsafePointer<CChar>) -> String {
        let detail = String(cString: buffer)
        return detail.isEmpty ? String(cString: sse_curl_easy_strerror(code)) : detail
    }

    /// The state of one transfer that libcurl's callbacks reach through their context pointer.
    private final class Transfer {
        let body: FileDescriptor
        let maxBytes: Int64
        var bytes: Int64 = 0
        var overLimit = false
        var writeError: Errno?
        var etag: String?
        var lastModified: String?

        init(body: FileDescriptor, maxBytes: Int64) {
            self.body = body
            self.maxBytes = maxBytes
        }

        static let write: sse_curl_data_callback = { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            // A chunked or compressed body has no Content-Length for libcurl to check: count what arrives.
            guard transfer.bytes + Int64(length) <= transfer.maxBytes else {
                transfer.overLimit = true
                return 0
            }
            do {
                try transfer.body.writeAll(UnsafeRawBufferPointer(start: data, count: length))
            } catch {
                transfer.writeError = error as? Errno
                return 0
            }
            transfer.bytes += Int64(length)
            return length
        }

        static let header: sse_curl_data_callback = { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
            // Each response of a redirect chain starts with its status line: keep only the last one's headers.
            if line.hasPrefix("HTTP/") {
                transfer.etag = nil
                transfer.lastModified = nil
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingSpaces
                if name == "etag" { transfer.etag = value }
                if name == "last-modified" { transfer.lastModified = value }
            }
            return length
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, CR and LF.
    fileprivate var trimmingSpaces: String {
        // Character.isWhitespace: a header line ends in "\r\n", which is one Character.
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else {
            return ""
        }
        return String(self[first...last])
    }
}
