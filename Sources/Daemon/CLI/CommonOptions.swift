import ArgumentParser
import Glibc
import Timeline

/// Options every command that reads the timeline takes.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The timeline file to use (its drop-ins are read from <name>.d/ beside it).",
            discussion: """
                Without it: $CONFIGURATION_DIRECTORY/timeline.toml, then /etc/sse-timeline/timeline.toml, \
                then the embedded default SSE timeline.
                """,
            valueName: "path"))
    var config: String?

    @Flag(
        name: .long,
        help: "Use the embedded default SSE timeline, ignoring config files and drop-ins.")
    var defaultTimeline = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Pretend the current time is this (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]); for previews and tests.",
            valueName: "time"))
    var now: String?

    /// The system's zone: $TZ, then /etc/localtime.
    var systemZone: Zone { systemZone(in: .shared) }

    /// The system's zone, read from `zones`.
    func systemZone(in zones: ZoneDatabase) -> Zone {
        let tz = getenv("TZ").map { String(cString: $0) }
        return zones.systemZone(tz: tz)
    }

    /// "Now", from --now or the clock.
    func currentInstant() throws -> Instant {
        guard let now else { return SystemTime.now() }
        return try TimeArgument.parse(now, option: "--now", zone: systemZone)
    }

    /// The located config files.
    var files: ConfigFiles {
        if defaultTimeline { return ConfigFiles(mainPath: nil, dropInDirectory: nil) }
        return ConfigFiles.locate(explicitPath: config, environment: ProcessEnvironment.current())
    }

    /// Loads the timeline or prints every problem and exits 1. Says which config was used, on stderr.
    func loadOrExit(quiet: Bool = false) throws -> (config: TimelineConfig, description: String) {
        let files = self.files
        let loader = ConfigLoader(zones: ZoneDatabase.shared, systemZone: systemZone)
        switch files.load(loader: loader) {
        case .success(let config):
            let description = files.describe(dropInCount: config.sources.count - 1)
            if !quiet { Output.err("config: \(description)") }
            for warning in config.warnings { Output.err(warning.description) }
            return (config, description)
        case .failure(let error):
            Output.err("config: \(files.describe(dropInCount: files.dropInCount))")
            for diagnostic in error.diagnostics { Output.err(diagnostic.description) }
            Output.err("\(plural(error.errors.count, "error")); the timeline was not loaded")
            throw ExitCode(1)
        }
    }
}

/// Parses the dates and times given on the command line.
enum TimeArgument {
    /// `now`, `YYYY-MM-DD` (local midnight), `YYYY-MM-DDTHH:MM[:SS]` (local), with `Z` or `±HH:MM` (absolute).
    static func parse(_ text: String, option: String, zone: Zone) throws -> Instant {
        if text == "now" { return SystemTime.now() }
        guard let value = parseValue(text) else {
            throw ValidationError(
                "\(option): \"\(text)\" is not a date or time; accepted: now, 2026-06-10, 2026-06-10T09:30, "
                    + "2026-06-10T09:30:00Z, 2026-06-10T09:30:00+02:00")
        }
        switch value {
        case .local(let dt): return zone.instant(for: dt)
        case .absolute(let dt, let offset): return Instant(secondsSinceEpoch: dt.secondsSinceEpoch - Int64(offset))
        }
    }

    enum Value {
        case local(CivilDateTime)
        case absolute(CivilDateTime, offsetSeconds: Int)
    }

    static func parseValue(_ text: String) -> Value? {
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
