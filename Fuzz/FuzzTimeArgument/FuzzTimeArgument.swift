import FuzzSupport
import Timeline

/// Fuzzes the parser of the command line's dates and times (`TimeArgument`: `--now`, `--from`, `--to`,
/// `--start`). The input is the argument; `2030-06-10` followed by the input is tried too, so that the time and
/// offset parts are reached from any bytes. For each text:
/// - `parse` succeeds exactly when the text is `now` or `parseValue` reads it, and gives the same instant twice;
///   a failure names the option and the text.
/// - the text is one of the spellings of what `parseValue` reads, and every spelling reads back equal: nothing is
///   read from text the documented forms do not allow (bytes after the offset, `+24:00`, a second 60, ...).
/// - an offset is whole minutes within ±23:59; a text of 10 characters is a bare date, which `parseEnd` (`--to`)
///   takes as the second before the next day's midnight; any other text ends where `parse` says.
/// - `now` is the given now; an absolute time is its offset before its wall time, in every zone; a local time is
///   where the zone's clock shows it: moved forward over a gap, the first of a repeat.
enum FuzzTimeArgument {
    /// 2026-06-10T09:30:00Z.
    static let now = Instant(secondsSinceEpoch: 1_781_083_800)

    /// UTC; the largest offsets a zone may have, which take years 1 and 9999 past their edges; rules with a gap and
    /// an overlap every year (one of them by half an hour); Paris from the system's tzdata, with its history.
    static let zones: [Zone] = {
        var zones: [Zone] = [
            .utc, .fixed(offsetSeconds: Zone.maximumOffsetSeconds), .fixed(offsetSeconds: -Zone.maximumOffsetSeconds),
        ]
        for rule in ["CET-1CEST,M3.5.0,M10.5.0/3", "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"] {
            guard let zone = try? Zone(identifier: rule, posixTZ: rule) else { fatalError("\(rule) does not parse") }
            zones.append(zone)
        }
        if let paris = try? ZoneDatabase().zone("Europe/Paris") { zones.append(paris) }
        return zones
    }()

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for candidate in [text, "2030-06-10" + text] {
            check(candidate)
        }
    }

    static func check(_ text: String) {
        let value = TimeArgument.parseValue(text)
        precondition(TimeArgument.parseValue(text) == value, "\"\(text)\" reads differently the second time")
        if let value { checkSpelling(text, value) }
        for zone in zones {
            let instant: Instant
            do {
                instant = try TimeArgument.parse(text, option: "--from", zone: zone, now: now)
            } catch {
                precondition(text != "now" && value == nil, "\"\(text)\" fails to parse in \(zone): \(error)")
                precondition(error.option == "--from" && error.text == text, "wrong error: \(error)")
                precondition(error.description.hasPrefix("--from: \"\(text)\" is not a date or time; accepted: now"))
                continue
            }
            let again = try? TimeArgument.parse(text, option: "--from", zone: zone, now: now)
            precondition(again == instant, "\"\(text)\" in \(zone) is \(instant), then \(String(describing: again))")
            switch value {
            case nil:
                precondition(text == "now", "\"\(text)\" parses to \(instant) in \(zone), but parseValue refuses it")
                precondition(instant == now, "now is \(instant), not the \(now) given")
            case .absolute(let dt, let offset):
                precondition(
                    instant.secondsSinceEpoch + Int64(offset) == dt.secondsSinceEpoch,
                    "\"\(text)\" is \(instant) in \(zone)"
                )
            case .local(let dt):
                checkLocal(dt, instant, in: zone)
            }
            let end = try? TimeArgument.parseEnd(text, option: "--to", zone: zone, now: now)
            if text.utf8.count == 10, case .local(let midnight)? = value {
                let next = zone.instant(for: CivilDateTime(date: midnight.date.adding(days: 1), secondOfDay: 0))
                precondition(
                    end == next.adding(seconds: -1),
                    "\"\(text)\" as an end in \(zone) is \(String(describing: end))"
                )
                precondition(instant < next, "\"\(text)\" in \(zone) starts at \(instant), after its end")
            } else {
                precondition(
                    end == instant,
                    "\"\(text)\" as an end in \(zone) is \(String(describing: end)), not \(instant)"
                )
            }
        }
    }

    /// `text` is one of the ways to write `value`, each of which reads back as `value`.
    static func checkSpelling(_ text: String, _ value: TimeArgument.Value) {
        if case .absolute(_, let offset) = value {
            precondition(offset % 60 == 0 && abs(offset) < 86400, "\"\(text)\": offset of \(offset) seconds")
        }
        let forms = spellings(value)
        precondition(forms.contains(text), "\"\(text)\" reads as \(value), which is written \(forms)")
        for form in forms {
            precondition(TimeArgument.parseValue(form) == value, "\"\(form)\" does not read back as \(value)")
        }
        let bareDate = text.utf8.count == 10
        precondition((text.count == 10) == bareDate, "\"\(text)\" has 10 characters but is not a bare date")
        if bareDate, case .local(let dt) = value {
            precondition(dt.secondOfDay == 0, "the bare date \"\(text)\" is not at midnight: \(dt)")
        }
    }

    /// Every text that the documented forms allow for `value`: a bare date (local midnight only), or `T` or a space,
    /// then `HH:MM` (a second of 0 only) or `HH:MM:SS`, then nothing (local) or the offset (`Z` or `±00:00` for 0).
    static func spellings(_ value: TimeArgument.Value) -> [String] {
        let dt: CivilDateTime
        var forms: [String] = []
        let suffixes: [String]
        switch value {
        case .local(let local):
            dt = local
            suffixes = [""]
            if dt.secondOfDay == 0 { forms.append(dt.date.description) }
        case .absolute(let local, let offset):
            dt = local
            suffixes =
                offset == 0 ? ["Z", "+00:00", "-00:00"] : [ZoneOffset(seconds: offset, abbreviation: "").iso8601]
        }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let minutes = two(dt.hour) + ":" + two(dt.minute)
        let times = dt.second == 0 ? [minutes, minutes + ":00"] : [minutes + ":" + two(dt.second)]
        for separator in ["T", " "] {
            for time in times {
                for suffix in suffixes { forms.append(dt.date.description + separator + time + suffix) }
            }
        }
        return forms
    }

    /// `instant`, what `local` parsed to in `zone`, is where the zone's clock shows it (RFC 5545).
    static func checkLocal(_ local: CivilDateTime, _ instant: Instant, in zone: Zone) {
        switch zone.resolve(local) {
        case .unique(let at):
            precondition(instant == at, "\(local) in \(zone) is \(at), but parsed to \(instant)")
            precondition(
                zone.localTime(at: at) == local,
                "\(zone) shows \(zone.localTime(at: at)) at \(at), not \(local)"
            )
        case .gap(let at, let skipped):
            precondition(instant == at, "\(local), skipped in \(zone), is \(at), but parsed to \(instant)")
            precondition(skipped > 0, "\(local) in \(zone): a gap of \(skipped) seconds")
            precondition(
                zone.localTime(at: at) == local.adding(seconds: Int64(skipped)),
                "\(zone) shows \(zone.localTime(at: at)) at \(at), not \(local) moved over the gap"
            )
        case .overlap(let first, let second):
            precondition(instant == first, "\(local), repeated in \(zone), parsed to \(instant), not \(first)")
            precondition(first < second, "\(local) in \(zone): overlap \(first), \(second)")
            precondition(
                zone.localTime(at: first) == local && zone.localTime(at: second) == local,
                "\(zone) does not show \(local) at \(first) and \(second)"
            )
        }
    }
}

/// libFuzzer's entry point.
@c(LLVMFuzzerTestOneInput)
public func fuzzTimeArgument(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzTimeArgument.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer on `fuzzTimeArgument` in a `-DFUZZING` build, else a replay of the corpus files given as arguments.
@main enum FuzzTimeArgumentMain {
    static func main() { FuzzMain.run(fuzzTimeArgument, replay: FuzzTimeArgument.run) }
}
