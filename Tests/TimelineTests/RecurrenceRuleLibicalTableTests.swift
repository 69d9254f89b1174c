import Glibc
import Testing

@testable import Timeline

/// libical's own recurrence test table (`scripts/libical-recur-table.py` writes the fixture from libical's
/// `src/test/icalrecur_test.txt`), expanded case by case and compared with the instances libical expects, or,
/// in the cases where libical and python-dateutil read a rule differently, with dateutil's, which sse-timeline
/// follows (docs/configuration.md).
///
/// libical's table is not ours to commit and cannot be downloaded here (Debian ships no source packages to
/// this machine, and libical-dev does not carry it), so the fixture is made from a libical checkout and kept
/// out of git; without it the suite is skipped.
@Suite("RecurrenceRule against libical's table", .enabled(if: access(libicalTablePath, R_OK) == 0))
struct RecurrenceRuleLibicalTableTests {

    /// One case of the table.
    struct Case {
        /// Where the case starts in libical's file.
        let line: Int
        let rule: String
        /// `20241018` (a date), `19970902T090000` (floating) or `20120229T120000Z` (UTC).
        let start: String
        /// Where libical starts its iterator; the instances before it are not expected.
        let startAt: String?
        let instances: [String]
        /// Which known reading libical and dateutil differ on, when they differ.
        let reading: String?
        /// dateutil's instances, when they differ from libical's.
        let dateutil: [String]?

        /// libical's instances from START-AT on.
        var libicalExpects: [String] { instances.filter { instance in startAt.map { instance >= $0 } ?? true } }
    }

    static func loadCases() throws -> [Case] {
        let bytes = try ZoneFixture.readFile(libicalTablePath)
        var cases: [Case] = []
        var fields: [String: String] = [:]
        var line = 0
        func finish() throws {
            guard !fields.isEmpty else { return }
            cases.append(
                Case(
                    line: line,
                    rule: try #require(fields["RRULE"]),
                    start: try #require(fields["DTSTART"]),
                    startAt: fields["START-AT"],
                    instances: try #require(fields["INSTANCES"]).split(separator: ",").map(String.init),
                    reading: fields["READING"],
                    dateutil: fields["DATEUTIL"].map { $0.split(separator: ",").map(String.init) }
                )
            )
            fields = [:]
        }
        for text in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            if text.hasPrefix("# line ") {
                try finish()
                line = try #require(Int(text.dropFirst(7)))
            } else if !text.isEmpty, !text.hasPrefix("#"), let colon = text.firstIndex(of: ":") {
                fields[String(text[..<colon])] = String(text[text.index(after: colon)...])
            }
        }
        try finish()
        return cases
    }

    /// The instances of `item` as sse-timeline expands them, written as libical writes them. A date start
    /// is an all-day milestone, read through the same rule as the TOML and iCalendar decoders; a UTC start
    /// and UNTIL are taken in UTC.
    static func expand(_ item: Case) throws -> [String] {
        let isDate = item.start.count == 8
        let isUTC = item.start.hasSuffix("Z")
        let start =
            isDate
            ? RecurrenceTesting.basic(item.start + "T000000")
            : RecurrenceTesting.basic(String(item.start.prefix(15)))
        var rule = try RecurrenceRule(parsing: item.rule)
        if isDate { rule = rule.readBesideDateStart(in: .utc).rule }
        var iterator = rule.occurrences(from: start, untilLocal: rule.until?.localBound { $0 }).makeIterator()
        if let startAt = item.startAt { iterator.seek(to: RecurrenceTesting.basic(startAt)) }
        var produced: [String] = []
        // Every case ends by COUNT or UNTIL; the cap only keeps a wrong expansion from running on.
        let cap = max(item.instances.count, item.dateutil?.count ?? 0) + 10
        while produced.count <= cap, let next = iterator.next() {
            produced.append(isDate ? next.date.basicDescription : next.basicDescription + (isUTC ? "Z" : ""))
        }
        return produced
    }

    @Test func everyCaseExpandsAsLibicalExpectsOrAsDateutilWhereTheyDiffer() throws {
        let cases = try Self.loadCases()
        #expect(cases.count == 122)
        #expect(cases.count(where: { $0.reading == nil }) == 104)
        var mismatches: [String] = []
        for item in cases {
            let expected = item.dateutil ?? item.libicalExpects
            let produced = try Self.expand(item)
            if produced != expected || expected == item.libicalExpects && item.reading != nil {
                mismatches.append(
                    "line \(item.line): \(item.rule) from \(item.start): got \(produced.prefix(6)), expected"
                        + " \(expected.prefix(6))\(item.reading.map { " (\($0), as dateutil)" } ?? "")"
                )
            }
        }
        #expect(
            mismatches.isEmpty,
            "\(cases.count - mismatches.count) of \(cases.count) cases pass:\n\(mismatches.joined(separator: "\n"))"
        )
    }

    @Test func everyDifferenceFromLibicalIsAReadingTheImporterWarnsAbout() throws {
        for item in try Self.loadCases() where item.reading != nil {
            let warnings = FileImport.readingWarnings(try RecurrenceRule(parsing: item.rule))
            #expect(!warnings.isEmpty, "line \(item.line): \(item.rule) (\(item.reading!)) gets no warning")
        }
    }

}

/// Where `scripts/libical-recur-table.py` writes the fixture.
let libicalTablePath =
    String(#filePath).split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    + "/Fixtures/libical-recur-table.txt"

/// The case of libical's table that the recurrence core got wrong before RFC 5545's all-day rule moved into it.
@Test func aDateStartIgnoresTimeOfDayPartsAsLibicalsTableExpects() throws {
    // Without the rule, four occurrences on 18 October.
    let item = RecurrenceRuleLibicalTableTests.Case(
        line: 0, rule: "FREQ=DAILY;BYMINUTE=1,2,3,4;INTERVAL=2;COUNT=3", start: "20241018", startAt: nil,
        instances: ["20241018", "20241020", "20241022"], reading: nil, dateutil: nil)
    #expect(try RecurrenceRuleLibicalTableTests.expand(item) == item.instances)
}
