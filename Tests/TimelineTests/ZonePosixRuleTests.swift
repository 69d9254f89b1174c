import Testing
import Timeline

// Expected switch instants come from `zdump -v` (the tzdata zones whose footers these are) and from glibc's
// localtime with TZ set to the string (the synthetic rules).

@Suite("PosixTimeZoneRule")
struct ZonePosixRuleTests {
    struct SwitchCase: CustomTestStringConvertible, Sendable {
        let rule: String
        /// An instant at which the offset changes: one second before it shows `before`, at it `after`.
        let at: String
        let before: String
        let after: String
        var testDescription: String { "\(rule) at \(at)" }
    }

    @Test(arguments: [
        SwitchCase(rule: "CET-1CEST,M3.5.0,M10.5.0/3", at: "2090-03-26T01:00:00Z", before: "CET", after: "CEST"),
        SwitchCase(rule: "CET-1CEST,M3.5.0,M10.5.0/3", at: "2090-10-29T01:00:00Z", before: "CEST", after: "CET"),
        SwitchCase(rule: "EST5EDT,M3.2.0,M11.1.0", at: "2021-03-14T07:00:00Z", before: "EST", after: "EDT"),
        SwitchCase(rule: "EST5EDT,M3.2.0,M11.1.0", at: "2021-11-07T06:00:00Z", before: "EDT", after: "EST"),
        // Southern hemisphere, half-hour DST (Australia/Lord_Howe).
        SwitchCase(
            rule: "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            at: "2090-04-01T15:00:00Z",
            before: "+11",
            after: "+1030"
        ),
        SwitchCase(
            rule: "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            at: "2090-09-30T15:30:00Z",
            before: "+1030",
            after: "+11"
        ),
        // Negative transition time: 23:00 on the day before (America/Nuuk).
        SwitchCase(rule: "<-02>2<-01>,M3.5.0/-1,M10.5.0/0", at: "2090-03-26T01:00:00Z", before: "-02", after: "-01"),
        SwitchCase(rule: "<-02>2<-01>,M3.5.0/-1,M10.5.0/0", at: "2090-10-29T01:00:00Z", before: "-01", after: "-02"),
        // Hours beyond 24: two days after the fourth Thursday (Asia/Gaza), Friday before the last Sunday (Jerusalem).
        SwitchCase(rule: "EET-2EEST,M3.4.4/50,M10.4.4/50", at: "2090-03-25T00:00:00Z", before: "EET", after: "EEST"),
        SwitchCase(rule: "EET-2EEST,M3.4.4/50,M10.4.4/50", at: "2090-10-27T23:00:00Z", before: "EEST", after: "EET"),
        SwitchCase(rule: "IST-2IDT,M3.4.4/26,M10.5.0", at: "2090-03-24T00:00:00Z", before: "IST", after: "IDT"),
        SwitchCase(rule: "<-04>4<-03>,M9.1.6/24,M4.1.6/24", at: "2090-04-02T03:00:00Z", before: "-03", after: "-04"),
        SwitchCase(rule: "<-04>4<-03>,M9.1.6/24,M4.1.6/24", at: "2090-09-03T04:00:00Z", before: "-04", after: "-03"),
        // Jn never counts February 29: J60 is March 1 even in 2024.
        SwitchCase(rule: "XXX3YYY,J60/2,J300/2", at: "2024-03-01T05:00:00Z", before: "XXX", after: "YYY"),
        SwitchCase(rule: "XXX3YYY,J60/2,J300/2", at: "2024-10-27T04:00:00Z", before: "YYY", after: "XXX"),
        // n counts it: day 59 is February 29 in 2024 and March 1 in 2023.
        SwitchCase(rule: "XXX3YYY,59/2,299/2", at: "2024-02-29T05:00:00Z", before: "XXX", after: "YYY"),
        SwitchCase(rule: "XXX3YYY,59/2,299/2", at: "2023-03-01T05:00:00Z", before: "XXX", after: "YYY"),
        // Seconds everywhere, and a negative time with minutes.
        SwitchCase(
            rule: "AAA+5:30:15BBB+4:00:10,M2.5.6/12:34:56,M11.5.2/-12:30",
            at: "2021-02-27T18:05:11Z",
            before: "AAA",
            after: "BBB"
        ),
        SwitchCase(
            rule: "AAA+5:30:15BBB+4:00:10,M2.5.6/12:34:56,M11.5.2/-12:30",
            at: "2021-11-29T15:30:10Z",
            before: "BBB",
            after: "AAA"
        ),
        // A daylight name without a rule takes the US rule, as tzcode and glibc do.
        SwitchCase(rule: "EST5EDT", at: "2021-03-14T07:00:00Z", before: "EST", after: "EDT"),
    ])
    func switchesAtTheExpectedInstant(_ example: SwitchCase) throws {
        let rule = try PosixTimeZoneRule(example.rule)
        let at = ZoneFixture.instant(example.at)
        #expect(rule.offset(at: at.adding(seconds: -1)).abbreviation == example.before)
        #expect(rule.offset(at: at).abbreviation == example.after)
        #expect(rule.nextTransition(after: at.adding(seconds: -1)) == at)
        #expect(rule.nextTransition(after: at.adding(seconds: -86400)) == at)
    }

    @Test func parsesOffsetsAndNames() throws {
        let paris = try PosixTimeZoneRule("CET-1CEST,M3.5.0,M10.5.0/3")
        #expect(paris.standard == ZoneOffset(seconds: 3600, abbreviation: "CET", isDST: false))
        #expect(paris.daylight?.offset == ZoneOffset(seconds: 7200, abbreviation: "CEST", isDST: true))
        #expect(paris.daylight?.start.day == .monthWeekDay(month: 3, week: 5, weekday: 0))
        #expect(paris.daylight?.start.secondOfDay == 7200)
        #expect(paris.daylight?.end.secondOfDay == 3 * 3600)
        #expect(paris.description == "CET-1CEST,M3.5.0,M10.5.0/3")

        let lordHowe = try PosixTimeZoneRule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0")
        #expect(lordHowe.standard.seconds == 37800)
        #expect(lordHowe.standard.abbreviation == "+1030")
        #expect(lordHowe.daylight?.offset.seconds == 39600)

        let nuuk = try PosixTimeZoneRule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0")
        #expect(nuuk.daylight?.start.secondOfDay == -3600)
        #expect(nuuk.daylight?.end.secondOfDay == 0)

        #expect(try PosixTimeZoneRule("<+13>-13").daylight == nil)
        #expect(try PosixTimeZoneRule("UTC0").standard == ZoneOffset(seconds: 0, abbreviation: "UTC"))
        #expect(try PosixTimeZoneRule("JST-9").standard.seconds == 32400)
        #expect(try PosixTimeZoneRule("EST+5").standard.seconds == -18000)
        #expect(try PosixTimeZoneRule("GAZA-2EEST,J1/167,J365/-167").daylight?.start.secondOfDay == 167 * 3600)
        #expect(try PosixTimeZoneRule("XXX3YYY,J60,300").daylight?.end.day == .zeroBasedDay(300))
        // The daylight offset defaults to one hour ahead of standard time.
        #expect(try PosixTimeZoneRule("EST5EDT,M3.2.0,M11.1.0").daylight?.offset.seconds == -14400)
    }

    @Test func permanentDaylightSavingNeverSwitches() throws {
        // tzcode's spelling of all-year DST: starts January 1 00:00, ends December 31 25:00 (= the next start).
        let rule = try PosixTimeZoneRule("EST5EDT4,0/0,J365/25")
        for text in ["2021-01-01T05:00:00Z", "2021-07-01T00:00:00Z", "2021-12-31T23:59:59Z", "2022-01-01T05:00:00Z"] {
            #expect(rule.offset(at: ZoneFixture.instant(text)).abbreviation == "EDT", "\(text)")
        }
        #expect(rule.nextTransition(after: ZoneFixture.instant("2021-06-01T00:00:00Z")) == nil)
    }

    struct InvalidCase: CustomTestStringConvertible, Sendable {
        let text: String
        let column: Int
        var testDescription: String { "\"\(text)\"" }
    }

    @Test(arguments: [
        InvalidCase(text: "", column: 1),
        InvalidCase(text: "5", column: 1),
        InvalidCase(text: "CET", column: 4),
        InvalidCase(text: "CET-", column: 5),
        InvalidCase(text: "CET-25", column: 5),
        InvalidCase(text: "CET-1:60", column: 7),
        InvalidCase(text: "<+1030-10:30", column: 10),
        InvalidCase(text: "<>0", column: 2),
        InvalidCase(text: "CET-1CEST,", column: 11),
        InvalidCase(text: "CET-1CEST,M3.5.0", column: 17),
        InvalidCase(text: "CET-1CEST,M13.5.0,M10.5.0", column: 12),
        InvalidCase(text: "CET-1CEST,M3.6.0,M10.5.0", column: 14),
        InvalidCase(text: "CET-1CEST,M3.5.7,M10.5.0", column: 16),
        InvalidCase(text: "CET-1CEST,M3.5,M10.5.0", column: 15),
        InvalidCase(text: "CET-1CEST,J0,J365", column: 12),
        InvalidCase(text: "CET-1CEST,366,J365", column: 11),
        InvalidCase(text: "CET-1CEST,M3.5.0/168,M10.5.0", column: 18),
        InvalidCase(text: "CET-1CEST,M3.5.0,M10.5.0/3 ", column: 27),
        InvalidCase(text: "CET-1CEST,M3.5.0,M10.5.0/3,x", column: 27),
        InvalidCase(text: "CET-1CEST;M3.5.0,M10.5.0", column: 10),
        InvalidCase(text: "C\u{e9}T-1", column: 2),
    ])
    func rejectsMalformedStringsNamingTheColumn(_ example: InvalidCase) {
        #expect {
            try PosixTimeZoneRule(example.text)
        } throws: { error in
            guard let error = error as? ZoneError else { return false }
            return error.code == .invalidTZString && error.description.contains("at column \(example.column):")
        }
    }

    @Test func errorNamesTheStringAndWhatWasExpected() {
        #expect {
            try PosixTimeZoneRule("CET-1CEST,M3.5.0", identifier: "Europe/Test")
        } throws: { error in
            (error as? ZoneError)?.description
                == "time zone \"Europe/Test\": invalid POSIX TZ string \"CET-1CEST,M3.5.0\" at column 17: "
                + "expected ',' before the daylight-saving end date"
        }
    }
}
