import TOML

/// Why a file a config names (a holiday set's `ics`) could not be read: what went wrong and what to do.
public struct ConfigFileFailure: Error, Sendable {
    /// What went wrong, e.g. "cannot open the file: No such file or directory", in any language.
    public var text: LocalizedText
    /// What to do about it, when there is something to say, in any language.
    public var hintText: LocalizedText?

    /// What went wrong, in English.
    public var message: String { text.description }
    /// What to do about it, in English.
    public var hint: String? { hintText?.description }

    /// A failure saying `message`, with `hint`.
    public init(message: LocalizedText, hint: LocalizedText? = nil) {
        self.text = message
        self.hintText = hint
    }
}

/// Decodes the `[holidays.NAME]` tables of one file into holiday sets.
///
/// Keys: `dates` (an array of TOML dates `2027-12-25`, strings `"2027-12-25"` or ranges
/// `"2027-12-24..2027-12-26"` (both ends included), or tables `{ date = 2027-12-25, name = "Christmas Day" }`
/// whose `date` is any of those) and `ics` (the path of an iCalendar file, relative to the directory of the file
/// that names it: its all-day events, recurring ones expanded through `HolidaySetDecoder.lastYear`, SUMMARY as each
/// holiday's name). A set needs one of them at least.
struct HolidaySetDecoder {
    static let keys = ["dates", "ics"]
    /// Recurring holidays of an `.ics` file are expanded through the end of this year.
    static let lastYear = 2299

    let source: Int
    let zones: ZoneDatabase
    let readFile: (@Sendable (String) -> Result<[UInt8], ConfigFileFailure>)?

    /// Every set of `root["holidays"]`, added to `sets`; the iCalendar files' own problems go to `diagnostics`.
    func decode(
        _ root: TOMLNode,
        into sets: inout [String: HolidaySet],
        diagnostics: inout [Diagnostic],
        context: inout DecodeContext
    ) {
        let tables = context.namedTables(
            root,
            "holidays",
            source: source,
            what: .tr("a holiday set must be a table"),
            hint: { .tr("write it as %s with %s or %s", "[holidays.\($0)]", "dates = [...]", "ics = \"file.ics\"") }
        )
        for (name, path, node) in tables {
            if sets[name] != nil {
                context.error(
                    source,
                    path,
                    value: name,
                    .tr("holiday set defined twice"),
                    hint: .tr("each %s is defined once across %s and its drop-ins", "[holidays.NAME]", "timeline.toml")
                )
                continue
            }
            let reader = FieldReader(node: node, source: source, path: path)
            reader.checkKeys(Self.keys, context: &context)
            var set = HolidaySet(name: name)
            if node["dates"] == nil && node["ics"] == nil {
                context.error(source, path, value: nil, .tr("a holiday set needs %s or %s", "dates", "ics"), hint: nil)
            }
            dates(reader, into: &set, context: &context)
            if let file = reader.string("ics", context: &context) {
                calendar(file, reader: reader, into: &set, diagnostics: &diagnostics, context: &context)
            }
            sets[name] = set
        }
    }

    private func dates(_ reader: FieldReader, into set: inout HolidaySet, context: inout DecodeContext) {
        let example = "[\"2027-12-25\", \"2027-12-24..2027-12-26\"]"
        guard
            let elements = reader.elements(
                "dates",
                array: .tr("an array of dates"),
                example: example,
                context: &context
            )
        else {
            return
        }
        for (i, element) in elements {
            var path = "\(reader.keyPath("dates"))[\(i)]"
            var value = element.value
            var name: String?
            if element.isTable {
                let inner = FieldReader(node: element, source: source, path: path)
                inner.checkKeys(["date", "name"], context: &context)
                name = inner.string("name", context: &context)
                guard let date = element["date"] else {
                    inner.missing("date", context: &context)
                    continue
                }
                path += ".date"
                value = date.value
            }
            guard let (first, last) = dateRange(value, path: path, context: &context) else { continue }
            set.add(first, through: last, named: name)
        }
    }

    /// A TOML date, or a string date or range; nil when it is none (reported).
    private func dateRange(
        _ value: TOMLNode.Value,
        path: String,
        context: inout DecodeContext
    ) -> (CivilDate, CivilDate)? {
        let hint = LocalizedText.tr(
            "accepted: a date %s, %s, or a range %s (both included)",
            "2027-12-25",
            "\"2027-12-25\"",
            "\"2027-12-24..2027-12-26\""
        )
        switch value {
        case .invalid:
            return nil
        case .date(let year, let month, let day):
            guard let date = CivilDate(year: year, month: month, day: day) else { return nil }
            return (date, date)
        case .string(let text):
            let parts = text.split(separator: "..", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.trimmingSpaces
            }
            guard let first = CivilDate(iso: parts[0]), let last = CivilDate(iso: parts.last!) else {
                context.error(source, path, value: text, .tr("not a date or a range of dates"), hint: hint)
                return nil
            }
            guard first <= last else {
                context.error(source, path, value: text, .tr("the range ends before it starts"), hint: hint)
                return nil
            }
            return (first, last)
        default:
            context.error(
                source,
                path,
                value: FieldReader.display(value),
                .tr("expected a date, found %s", value.localizedType),
                hint: hint
            )
            return nil
        }
    }

    /// Adds the all-day events of the iCalendar file `file` (relative to the naming file's directory).
    private func calendar(
        _ file: String,
        reader: FieldReader,
        into set: inout HolidaySet,
        diagnostics: inout [Diagnostic],
        context: inout DecodeContext
    ) {
        let path = Self.resolve(file, relativeTo: context.sources[source].name)
        let bytes: [UInt8]
        switch readFile?(path) ?? .failure(ConfigFileFailure(message: .tr("no files can be read here"))) {
        case .success(let read): bytes = read
        case .failure(let failure):
            context.error(
                source,
                reader.keyPath("ics"),
                value: file,
                .tr("cannot read the holiday calendar %s: %s", path, failure.text),
                hint: failure.hintText
            )
            return
        }
        var taken: Set<String> = []
        let imported = ICalendarImport(zones: zones, defaults: Defaults(reminders: []))
            .read(ConfigSource(name: path, bytes: bytes), takenIds: &taken)
        diagnostics += imported.diagnostics
        guard let last = CivilDate(year: Self.lastYear, month: 12, day: 31) else { return }
        for milestone in imported.milestones where milestone.isAllDay {
            for start in OccurrenceStarts(milestone) {
                if start.date > last { break }
                let occurrence = Occurrence(start: start, milestone: milestone)
                set.add(start.date, through: occurrence.end.date, named: milestone.title)
            }
        }
    }

    /// `file` itself when absolute, else beside `base` (a path, or a name such as `<embedded default timeline>`).
    static func resolve(_ file: String, relativeTo base: String) -> String {
        guard !file.hasPrefix("/"), let slash = base.lastIndex(of: "/") else { return file }
        return base[...slash] + file
    }
}

extension CivilDate {
    /// Parses `YYYY-MM-DD`; nil for anything else or a day that does not exist.
    init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: Substring {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
