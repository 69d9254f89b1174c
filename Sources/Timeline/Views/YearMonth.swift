/// A month of a year, as the `calendar` view shows them.
public struct YearMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, 1 to 9999.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int

    /// The month, or nil outside 0001-01 ... 9999-12.
    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// The month `date` is in.
    public init(_ date: CivilDate) {
        year = date.year
        month = date.month
    }

    /// Its first day.
    public var firstDay: CivilDate { CivilDate(year: year, month: month, day: 1)! }

    /// Its last day.
    public var lastDay: CivilDate {
        CivilDate(year: year, month: month, day: CivilDate.daysInMonth(year: year, month: month))!
    }

    /// The month after it (itself in 9999-12, the last there is).
    public var next: YearMonth { YearMonth(year: year + month / 12, month: month % 12 + 1) ?? self }

    /// `2027-07`.
    public var description: String { String(firstDay.description.prefix(7)) }

    /// `July 2027`; French `juillet 2027`, the month's name from `localizer`'s locale.
    public func name(_ localizer: Localizer = .english) -> String {
        "\(localizer.name(.month(month))) \(year)"
    }

    /// The months `text` names: `YYYY-MM` one month, `YYYY` the twelve of that year; nil for anything else.
    public static func months(named text: String) -> [YearMonth]? {
        let digits = text.utf8.allSatisfy { $0 == UInt8(ascii: "-") || (48...57).contains($0) }
        guard digits else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts[0].count == 4, let year = Int(parts[0]) else { return nil }
        switch parts.count {
        case 1:
            guard let january = YearMonth(year: year, month: 1) else { return nil }
            return (0..<11).reduce(into: [january]) { months, _ in months.append(months.last!.next) }
        case 2:
            guard parts[1].count == 2, let month = Int(parts[1]), let one = YearMonth(year: year, month: month) else {
                return nil
            }
            return [one]
        default: return nil
        }
    }

    public static func < (a: YearMonth, b: YearMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }
}
