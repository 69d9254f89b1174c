/// Parses the dates and times given on the command line (`--now`, `--from`, `--to`, `--start`).
///
/// It takes "now" as an argument and throws its own ``TimeArgumentError``, so that it needs nothing of the CLI
/// (the fuzz target `FuzzTimeArgument` and the tests call it directly). The commands call the overloads in
/// `Sources/CLI/TimeArgument+CommandLine.swift`, which read the clock and hand the error to ArgumentParser.
public enum TimeArgument {
    /// What a time argument says, before a zone gives it an instant.
    public enum Value: Hashable {
        /// A wall-clock time (a bare date is its midnight), read in the zone given to `parse`.
        case local(CivilDateTime)
        /// A time with `Z` or `±HH:MM`: the wall clock `offsetSeconds` east of UTC.
        case absolute(CivilDateTime, offsetSeconds: Int)
    }

    /// The instant `text` names: `now`, `YYYY-MM-DD` (midnight in `zone`), `YYYY-MM-DDTHH:MM[:SS]` (in `zone`;
    /// a space may stand for the `T`), or one of those times followed by `Z` or `±HH:MM` (absolute).
    ///
    /// - Throws: ``TimeArgumentError`` naming `option`, the text and the accepted forms.
    public static func parse(_ text: String, option: String, zone: Zone, now: Instant) throws(TimeArgumentError)
        -> Instant
    {
        if text == "now" { return now }
        guard let value = parseValue(text) else { throw TimeArgumentError(option: option, text: text) }
        switch value {
        case .local(let dt): return zone.instant(for: dt)
        case .absolute(let dt, let offset): return Instant(secondsSinceEpoch: dt.secondsSinceEpoch - Int64(offset))
        }
    }

    /// The instant `text` names as the end of a range (`--to`): as ``parse(_:option:zone:now:)``, except that a
    /// bare date means through the last second of that day in `zone`, the second before the next day's
    /// midnight (on a DST day that is 23 or 25 hours after its own midnight, not 24).
    public static func parseEnd(_ text: String, option: String, zone: Zone, now: Instant) throws(TimeArgumentError)
        -> Instant
    {
        if text.utf8.count == 10, case .local(let midnight)? = parseValue(text) {
            let nextMidnight = CivilDateTime(date: midnight.date.adding(days: 1), secondOfDay: 0)
            return zone.instant(for: nextMidnight).adding(seconds: -1)
        }
        return try parse(text, option: option, zone: zone, now: now)
    }

    /// The date or time `text` spells (every form of ``parse(_:option:zone:now:)`` but `now`), or nil.
    public static func parseValue(_ text: String) -> Value? {
        let chars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= chars.count, !range.isEmpty else { return nil }
            var n = 0
            for c in chars[range] {
                guard c >= 48 && c <= 57 else { return nil }
                n = n * 10 + Int(c - 48)
            }
            return n
        }
        guard chars.count >= 10, chars[4] == UInt8(ascii: "-"), chars[7] == UInt8(ascii: "-"),
            let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
            let date = CivilDate(year: y, month: m, day: d)
        else { return nil }
        if chars.count == 10 { return .local(CivilDateTime(date: date, secondOfDay: 0)) }
        guard chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: " "), chars.count >= 16,
            chars[13] == UInt8(ascii: ":"), let h = number(11..<13), let mi = number(14..<16)
        else { return nil }
        var index = 16
        var s = 0
        if chars.count >= 19, chars[16] == UInt8(ascii: ":"), let sec = number(17..<19) {
            s = sec
            index = 19
        }
        guard let dt = CivilDateTime(date: date, hour: h, minute: mi, second: s) else { return nil }
        if index == chars.count { return .local(dt) }
        if chars[index] == UInt8(ascii: "Z") && index + 1 == chars.count { return .absolute(dt, offsetSeconds: 0) }
        guard chars.count == index + 6, chars[index] == UInt8(ascii: "+") || chars[index] == UInt8(ascii: "-"),
            chars[index + 3] == UInt8(ascii: ":"), let oh = number(index + 1..<index + 3),
            let om = number(index + 4..<index + 6), oh <= 23, om <= 59
        else { return nil }
        let sign = chars[index] == UInt8(ascii: "-") ? -1 : 1
        return .absolute(dt, offsetSeconds: sign * (oh * 3600 + om * 60))
    }
}
