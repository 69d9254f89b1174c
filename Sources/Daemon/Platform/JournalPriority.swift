/// A syslog priority, the journal's `PRIORITY` field: 0 is the most urgent.
enum JournalPriority: Int, Sendable, CaseIterable, Comparable {
    case emergency = 0
    case alert = 1
    case critical = 2
    case error = 3
    case warning = 4
    case notice = 5
    case info = 6
    case debug = 7

    static func < (lhs: JournalPriority, rhs: JournalPriority) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
