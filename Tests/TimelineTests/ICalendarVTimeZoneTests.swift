import Testing

@testable import Timeline

@Suite("VTimeZone")
struct VTimeZoneTests {
    static let zones = ZoneDatabase()

    /// Zones with every kind of rule: EU and US rules, southern hemisphere, a half-hour DST (Lord Howe),
    /// negative DST (Dublin), switch times beyond the day (Jerusalem /26, Nuuk /-1, Santiago /24, Chatham
    /// 2:45), no DST any more (Sao Paulo, Casablanca's listed Ramadan switches), and a fixed zone.
    @Test(arguments: [
        "Europe/Paris", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "Europe/Dublin",
        "Asia/Jerusalem", "America/Nuuk", "America/Santiago", "Pacific/Chatham", "America/Sao_Paulo",
        "Africa/Casablanca", "Asia/Kolkata", "Pacific/Apia", "Etc/GMT-2",
    ])
    func givesTheZoneOwnOffsetsAcrossAndAfterItsYears(identifier: String) throws {
        let zone = try Self.zones.zone(identifier)
        let vtimezone = VTimeZone(zone: zone, identifier: identifier, years: 1990...2030)
        // Every transition from 1990 to 2060 (30 years past the span: the RRULE tail), one second before,
        // at and one second after it, and a sample every 10 days in between.
        var instants: [Instant] = []
        var cursor = Instant(secondsSinceEpoch: 631_152_000)  // 1990-01-01
        let stop = Instant(secondsSinceEpoch: 2_840_140_800)  // 2060-01-01
        while let next = zone.nextTransition(after: cursor), next < stop {
            instants += [next.adding(seconds: -1), next, next.adding(seconds: 1)]
            cursor = next
        }
        for t in stride(from: 631_152_000, to: 2_840_140_800, by: 864_000) {
            instants.append(Instant(secondsSinceEpoch: Int64(t)))
        }
        var mismatches: [String] = []
        for instant in instants {
            let expected = zone.offset(at: instant)
            let actual = vtimezone.offset(at: instant)
            if actual.seconds != expected.seconds || actual.name != expected.abbreviation {
                mismatches.append("\(instant): \(actual) vs \(expected)")
            }
        }
        #expect(mismatches.count == 0, "first: \(mismatches.prefix(3))")
    }

    @Test func endsInTwoYearlyRulesWhereTheFooterTakesOver() throws {
        let paris = try Self.zones.zone("Europe/Paris")
        let vtimezone = VTimeZone(zone: paris, identifier: "Europe/Paris", years: 2020...2022)
        let ruled = vtimezone.observances.filter { $0.rule != nil }
        #expect(
            ruled.map { $0.rule!.rfcString } == [
                "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
            ]
        )
        #expect(ruled.map(\.start.description) == ["2020-03-29T02:00:00", "2020-10-25T03:00:00"])
        #expect(ruled.map(\.offsetTo) == [7200, 3600])
        // The opening observance, then the rules: no explicit transition is needed from 2020 on.
        #expect(vtimezone.observances.count == 3)
        #expect(vtimezone.observances[0].start.description == "2020-01-01T01:00:00")
    }

    @Test func sayingAShiftedSwitchDayAsWeekdayWithinMonthDays() throws {
        // Jerusalem: "M3.4.4/26", 02:00 on the day after the fourth Thursday of March.
        let jerusalem = try PosixTimeZoneRule("IST-2IDT,M3.4.4/26,M10.5.0")
        let rule = try #require(VTimeZone.yearlyRule(jerusalem.daylight!.start))
        #expect(rule.rfcString == "FREQ=YEARLY;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29;BYMONTH=3")
        // Nuuk: "M3.5.0/-1", 23:00 on the Saturday before the last Sunday of March.
        let nuuk = try PosixTimeZoneRule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0")
        let nuukRule = try #require(VTimeZone.yearlyRule(nuuk.daylight!.start))
        #expect(nuukRule.rfcString == "FREQ=YEARLY;BYDAY=SA;BYMONTHDAY=-8,-7,-6,-5,-4,-3,-2;BYMONTH=3")
        // A Julian day has no RRULE here.
        let julian = try PosixTimeZoneRule("XST-1XDT,J60,J300")
        #expect(VTimeZone.yearlyRule(julian.daylight!.start) == nil)
    }

    @Test func aJulianRuleIsWrittenOutThroughTheLastYear() throws {
        let zone = try Zone(identifier: "Julian", posixTZ: "XST-1XDT,J60,J300")
        let vtimezone = VTimeZone(zone: zone, identifier: "Julian", years: 2020...2022)
        #expect(vtimezone.observances.allSatisfy { $0.rule == nil })
        #expect(vtimezone.observances.count == 1 + 6)
        for day in stride(from: 18262, to: 19358, by: 5) {
            let instant = Instant(secondsSinceEpoch: Int64(day) * 86400)
            #expect(vtimezone.offset(at: instant).seconds == zone.offset(at: instant).seconds)
        }
    }
}
