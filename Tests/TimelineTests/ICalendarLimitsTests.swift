import Testing

@testable import Timeline

/// The iCalendar reader's limits on what other people's files may hold: each is a located warning, and what is
/// within the limits is read.
@Suite("ICalendarParser, limits")
struct ICalendarLimitsTests {
    static func event(_ uid: String, _ lines: String = "") -> String {
        "BEGIN:VEVENT\nUID:\(uid)\nSUMMARY:\(uid)\nDTSTART:20270607T090000Z\n\(lines)END:VEVENT"
    }

    @Test func aLineOverTheLimitIsSkippedAndItsEventStays() throws {
        let long = String(repeating: "a", count: ICalendarParser.maximumLineLength)
        // Folded as a client writes it: the limit counts the line unfolded.
        let folded = "DESCRIPTION:" + long.chunked(74).joined(separator: "\n ")
        let result = ICalendarLenientTests.read(Self.event("a", folded + "\nLOCATION:kept\n") + "\n" + Self.event("b"))
        #expect(result.milestones.map(\.id) == ["a", "b"])
        let milestone = try #require(result.milestones.first)
        #expect(milestone.description == nil)
        #expect(milestone.location == "kept")
        #expect(
            result.diagnostics.map(\.description) == [
                "t.ics:8:1: warning: a line of \(ICalendarParser.maximumLineLength + 12) bytes; the limit is "
                    + "\(ICalendarParser.maximumLineLength); skipped"
            ]
        )
    }

    @Test func componentsNestedTooDeepAreSkippedWithWhatTheyHold() throws {
        let depth = ICalendarParser.maximumDepth
        // VCALENDAR and VEVENT are two levels: X1 ... X(depth - 2) fit, the next is skipped with what it holds.
        let opening = (1...depth).map { "BEGIN:X\($0)\nX-IN-\($0):v\n" }.joined()
        let closing = (1...depth).reversed().map { "END:X\($0)\n" }.joined()
        let alarm = "BEGIN:VALARM\nTRIGGER:-PT5M\nEND:VALARM\n"
        let result = ICalendarLenientTests.read(Self.event("a", opening + closing + alarm))
        let milestone = try #require(result.milestones.first)
        #expect(milestone.reminders.map(\.offset.description) == ["5 minutes before"])
        let skippedLine = 8 + 2 * (depth - 2)
        // First the summary of what a reminder has no use for (X1), at 1:1.
        #expect(result.diagnostics.count == 2)
        #expect(
            result.diagnostics.last?.description
                == "t.ics:\(skippedLine):7: warning: BEGIN:X\(depth - 1) nested \(depth + 1) deep; the limit is "
                + "\(depth), so it is skipped with what it holds; skipped"
        )
        let parsed = ICalendarParser(ICalendarImportTests.calendar(Self.event("a", opening + closing + alarm)))
        var deepest = parsed.components[0]
        var levels = 1
        while let child = deepest.components.first {
            deepest = child
            levels += 1
        }
        #expect(levels == depth)
        #expect(deepest.properties.map(\.name) == ["X-IN-\(depth - 2)"])
    }

    @Test func theComponentsPastTheLimitAreSkipped() throws {
        let text = ICalendarImportTests.calendar(Self.event("a") + "\n" + Self.event("b") + "\n" + Self.event("c"))
        let parsed = ICalendarParser(bytes: Array(text.utf8), maximumComponents: 3)
        #expect(parsed.components.first?.components.map { $0.property("UID")?.value } == ["a", "b"])
        let problem = try #require(parsed.problems.first)
        #expect(problem.line == 14 && problem.column == 1 && problem.skipsLine)
        #expect(problem.message == "more than 3 components; the rest of the file is skipped")
    }
}

extension String {
    /// Pieces of `size` characters (the last may be shorter).
    fileprivate func chunked(_ size: Int) -> [Substring] {
        var pieces: [Substring] = []
        var start = startIndex
        while start < endIndex {
            let end = index(start, offsetBy: size, limitedBy: endIndex) ?? endIndex
            pieces.append(self[start..<end])
            start = end
        }
        return pieces
    }
}
