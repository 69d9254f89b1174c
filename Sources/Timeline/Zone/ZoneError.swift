/// Why a time zone could not be loaded or parsed.
///
/// The ``description`` is written for a person: it names the zone, the file, the byte offset or
/// column, the offending value and what would have been accepted. Match on ``code`` (which is
/// extensible: new codes may appear without breaking callers).
public struct ZoneError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case unknownIdentifier
            case invalidIdentifier
            case unreadableFile
            case notTZif
            case truncated
            case corrupt
            case invalidTZString
        }

        private let kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// No zone of that name exists in the database.
        public static let unknownIdentifier = Code(.unknownIdentifier)
        /// The name cannot be a zone identifier (empty, absolute, `..`, or characters outside `[A-Za-z0-9/_+-]`).
        public static let invalidIdentifier = Code(.invalidIdentifier)
        /// The zone file exists but could not be read.
        public static let unreadableFile = Code(.unreadableFile)
        /// The data does not start with the `TZif` magic.
        public static let notTZif = Code(.notTZif)
        /// The TZif data ends before what its header announces.
        public static let truncated = Code(.truncated)
        /// The TZif data is inconsistent (unsorted transitions, out-of-range indices or offsets, ...).
        public static let corrupt = Code(.corrupt)
        /// A POSIX TZ string (a TZif footer or a `TZ` value) does not parse.
        public static let invalidTZString = Code(.invalidTZString)

        /// A short name for the code, e.g. `unknownIdentifier`.
        public var description: String {
            switch kind {
            case .unknownIdentifier: "unknownIdentifier"
            case .invalidIdentifier: "invalidIdentifier"
            case .unreadableFile: "unreadableFile"
            case .notTZif: "notTZif"
            case .truncated: "truncated"
            case .corrupt: "corrupt"
            case .invalidTZString: "invalidTZString"
            }
        }
    }

    /// What kind of failure this is.
    public let code: Code
    /// The zone identifier (or `TZ` value) involved.
    public let identifier: String
    /// The file involved, when there is one.
    public private(set) var path: String?
    /// Close matches among the known identifiers, best first, for "did you mean" (may be empty).
    public let suggestions: [String]
    /// What went wrong, without the identifier and path (those are in ``description``), in any language.
    public let detailText: LocalizedText
    /// ``detailText`` in English.
    public var detail: String { detailText.description }

    init(_ code: Code, identifier: String, path: String? = nil, suggestions: [String] = [], detail: LocalizedText) {
        self.code = code
        self.identifier = identifier
        self.path = path
        self.suggestions = suggestions
        self.detailText = detail
    }

    /// The same error, naming the file it came from.
    func reading(_ path: String) -> ZoneError {
        var copy = self
        copy.path = path
        return copy
    }

    /// A readable sentence, e.g. `unknown time zone "Europe/Pariss" (no file /usr/share/zoneinfo/Europe/Pariss); did
    /// you mean "Europe/Paris"?`
    public var description: String { text.description }

    /// ``description`` to be read in any language.
    public var text: LocalizedText {
        let detail = detailText
        var text: LocalizedText
        switch code {
        case .unknownIdentifier:
            text =
                self.detail.isEmpty
                ? .tr("unknown time zone \"%s\"", identifier)
                : .tr("unknown time zone \"%s\" (%s)", identifier, detail)
        case .invalidIdentifier:
            text = .tr("invalid time zone identifier \"%s\": %s", identifier, detail)
        case .unreadableFile:
            text = .tr("cannot read time zone \"%s\" from %s: %s", identifier, path ?? "?", detail)
        default:
            text =
                path.map { .tr("time zone \"%s\" (%s): %s", identifier, $0, detail) }
                ?? .tr("time zone \"%s\": %s", identifier, detail)
        }
        switch suggestions.count {
        case 0: break
        case 1: text = .tr("%s; did you mean \"%s\"?", text, suggestions[0])
        default:
            let names = suggestions.dropFirst().reduce(LocalizedText(verbatim: "\"\(suggestions[0])\"")) {
                .tr("%s or %s", $0, "\"\($1)\"")
            }
            text = .tr("%s; did you mean %s?", text, names)
        }
        return text
    }
}
