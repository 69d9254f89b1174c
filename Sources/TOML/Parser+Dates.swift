/// Offset and local date-times, dates and times.
extension Parser {
    static let dateHint = tr(
        "accepted: a date %s, a date-time %s (optionally with Z or an offset such as %s), a time %s",
        "2027-06-10",
        "2027-06-10T13:00:00",
        "+02:00",
        "13:00:00"
    )

    /// A date, date-time or time at `pos`, added under `key` of `parent`. A value of the right shape but
    /// impossible (February 30, hour 25) is an `.invalid` node with an error, and reading goes on.
    mutating func parseDateTime(parent: Int32, key: KeyPart?) -> Int32 {
        let start = pos
        var p = pos
        let text = self.text
        func number(_ count: Int) -> Int? {
            guard p + count <= text.count else { return nil }
            var value = 0
            for i in p..<p + count {
                guard text[i] >= 0x30, text[i] <= 0x39 else { return nil }
                value = value * 10 + Int(text[i] - 0x30)
            }
            p += count
            return value
        }
        func literal(_ b: UInt8) -> Bool {
            guard p < text.count, text[p] == b else { return false }
            p += 1
            return true
        }
        var t = Temporal()
        var hour = 0
        var minute = 0
        var second = 0
        var offsetHour = 0
        var offsetMinute = 0
        func time() -> Bool {
            guard let h = number(2), literal(0x3A), let m = number(2), literal(0x3A), let s = number(2) else {
                return false
            }
            (hour, minute, second) = (h, m, s)
            if literal(0x2E) {
                var digits = 0
                var nanosecond = 0
                while p < text.count, text[p] >= 0x30, text[p] <= 0x39 {
                    if digits < 9 { nanosecond = nanosecond * 10 + Int(text[p] - 0x30) }
                    digits += 1
                    p += 1
                }
                guard digits > 0 else { return false }
                for _ in digits..<max(digits, 9) { nanosecond *= 10 }
                t.nanosecond = Int32(nanosecond)
            }
            return true
        }
        var kind = Kind.date
        var year = 0
        var month = 0
        var day = 0
        var ok: Bool
        if start + 2 < text.count, text[start + 2] == 0x3A {
            kind = .time
            ok = time()
        } else if let y = number(4), literal(0x2D), let m = number(2), literal(0x2D), let d = number(2) {
            (year, month, day) = (y, m, d)
            ok = true
            if p < text.count {
                let b = text[p]
                let spaceThenTime =
                    b == 0x20 && p + 3 < text.count && text[p + 1] >= 0x30 && text[p + 1] <= 0x39
                    && text[p + 2] >= 0x30 && text[p + 2] <= 0x39 && text[p + 3] == 0x3A
                if b == 0x54 || b == 0x74 || spaceThenTime {  // T t
                    p += 1
                    kind = .dateTime
                    ok = time()
                    if ok, p < text.count {
                        if text[p] == 0x5A || text[p] == 0x7A {  // Z z
                            p += 1
                            t.hasOffset = true
                        } else if text[p] == 0x2B || text[p] == 0x2D {
                            let negative = text[p] == 0x2D
                            p += 1
                            if let h = number(2), literal(0x3A), let m = number(2) {
                                (offsetHour, offsetMinute) = (h, m)
                                t.hasOffset = true
                                t.offsetMinutes = Int16((h * 60 + m) * (negative ? -1 : 1))
                            } else {
                                ok = false
                            }
                        }
                    }
                }
            }
        } else {
            ok = false
        }
        // Something glued on (`2027-06-10x`, `13:00:00.`) makes the whole token invalid.
        if ok, p < text.count, isValueByte(text[p]) || text[p] == 0x3A { ok = false }
        if !ok {
            p = start
            while p < text.count, isValueByte(text[p]) || text[p] == 0x3A { p += 1 }
        }
        pos = p
        var node = Node(kind: kind, start: start, end: p)
        var problem: TOMLText?
        if !ok {
            problem = tr("not a valid date or time")
        } else if kind != .time, !(1...12).contains(month) {
            problem = tr("not a valid date: there is no month %s", month)
        } else if kind != .time, day < 1 || day > Self.daysIn(month: month, year: year) {
            problem =
                day < 1
                ? tr("not a valid date: days start at 01")
                : tr(
                    "not a valid date: %s %s has %s days",
                    Self.monthNames[month - 1],
                    year,
                    Self.daysIn(month: month, year: year)
                )
        } else if kind != .date, hour > 23 {
            problem = tr("not a valid time: hours go from 00 to 23")
        } else if kind != .date, minute > 59 {
            problem = tr("not a valid time: minutes go from 00 to 59")
        } else if kind != .date, second > 60 {
            problem = tr("not a valid time: seconds go from 00 to 59 (60 for a leap second)")
        } else if offsetHour > 23 || offsetMinute > 59 {
            problem = tr("not a valid offset: at most %s", "±23:59")
        }
        if problem == nil {
            t.year = Int16(year)
            t.month = UInt8(month)
            t.day = UInt8(day)
            t.hour = UInt8(hour)
            t.minute = UInt8(minute)
            t.second = UInt8(second)
            node.payload = appendTemporal(t)
        } else {
            node.kind = .invalid
        }
        let index = addChild(parent, key, node)
        if let problem { valueError(index, problem, hint: Self.dateHint) }
        return index
    }

    mutating func appendTemporal(_ temporal: Temporal) -> UInt64 {
        temporals.append(temporal)
        return UInt64(temporals.count - 1)
    }

    static let monthNames = [
        tr("January"), tr("February"), tr("March"), tr("April"), tr("May"), tr("June"), tr("July"), tr("August"),
        tr("September"), tr("October"), tr("November"), tr("December"),
    ]

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
