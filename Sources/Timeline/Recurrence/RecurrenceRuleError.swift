/// A problem in an RRULE value: which part, the offending text, where it is, and what would be accepted.
///
/// `offset` counts `Character`s from the start of the string given to ``RecurrenceRule/init(parsing:)``
/// (a leading `RRULE:` included), so a caller that knows where that string sits in a file can turn it into
/// a line and column. It points at the offending value, or at the part name when the name itself is wrong
/// (an unknown or repeated part).
///
/// Compare ``kind`` against the static members of ``Kind`` (`error.kind == .outOfRange`); new kinds may be
/// added without breaking callers.
public struct RecurrenceRuleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Code: String, Hashable, Sendable {
            case malformedPart, unknownPart, duplicatePart, missingFrequency, unsupportedFrequency
            case emptyValue, invalidValue, outOfRange, zeroOrdinal, invalidDate
            case conflictingParts, notAllowedWithFrequency, setPositionWithoutFilter
        }

        private let code: Code

        private init(_ code: Code) { self.code = code }

        /// A part without `=` (`FREQ` instead of `FREQ=DAILY`).
        public static let malformedPart = Kind(.malformedPart)
        /// A part name that RFC 5545 does not define (`BYMONTHDAYS`).
        public static let unknownPart = Kind(.unknownPart)
        /// The same part given twice.
        public static let duplicatePart = Kind(.duplicatePart)
        /// No `FREQ` part.
        public static let missingFrequency = Kind(.missingFrequency)
        /// `FREQ=HOURLY`, `MINUTELY` or `SECONDLY`: valid RFC 5545 but not supported here.
        public static let unsupportedFrequency = Kind(.unsupportedFrequency)
        /// `NAME=` with nothing after it, or an empty list element (`BYDAY=MO,,TU`).
        public static let emptyValue = Kind(.emptyValue)
        /// A value that does not have the right form (`COUNT=ten`, `BYDAY=XX`).
        public static let invalidValue = Kind(.invalidValue)
        /// A well-formed number outside the accepted range (`BYMONTHDAY=32`, `INTERVAL=0`).
        public static let outOfRange = Kind(.outOfRange)
        /// A `BYDAY` ordinal of zero (`0MO`).
        public static let zeroOrdinal = Kind(.zeroOrdinal)
        /// An `UNTIL` that is not a calendar date or time of day (`20230230`).
        public static let invalidDate = Kind(.invalidDate)
        /// Two parts that contradict each other (`COUNT` and `UNTIL`).
        public static let conflictingParts = Kind(.conflictingParts)
        /// A part, or a form of it, that RFC 5545 forbids with this `FREQ` (`BYWEEKNO` without `YEARLY`).
        public static let notAllowedWithFrequency = Kind(.notAllowedWithFrequency)
        /// `BYSETPOS` with no other `BYxxx` part to pick positions from.
        public static let setPositionWithoutFilter = Kind(.setPositionWithoutFilter)

        /// The kind's name, e.g. `outOfRange`.
        public var description: String { code.rawValue }
    }

    /// What kind of problem this is.
    public let kind: Kind
    /// The rule part concerned, upper-cased as written (`BYMONTHDAY`), or the unknown name itself.
    public let part: String
    /// The offending text: a value, one element of a list, or the part name when the name is wrong.
    public let value: String
    /// The 0-based `Character` offset of ``value`` in the parsed string.
    public let offset: Int
    /// A sentence for a person, saying what is wrong and what would be accepted, in any language.
    public let text: LocalizedText
    /// ``text`` in English.
    public var message: String { text.description }

    /// An error of `kind` about `part`, pointing at `value` found at `offset`.
    init(_ kind: Kind, part: String, value: String, offset: Int, message: LocalizedText) {
        self.kind = kind
        self.part = part
        self.value = value
        self.offset = offset
        self.text = message
    }

    /// `offset N: message`.
    public var description: String { "offset \(offset): \(message)" }
}

extension RecurrenceRuleError {
    /// Every problem found in one rule, ordered by ``RecurrenceRuleError/offset``; never empty.
    ///
    /// ``RecurrenceRule/init(parsing:)`` throws this rather than stopping at the first problem, so a
    /// person can fix a rule in one go.
    public struct List: Error, Hashable, Sendable, RandomAccessCollection, CustomStringConvertible {
        /// The problems, by offset.
        public let errors: [RecurrenceRuleError]

        init(_ errors: [RecurrenceRuleError]) {
            precondition(!errors.isEmpty)
            // Stable, so problems found at the same offset keep the order they were found in.
            self.errors = errors.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }
                .map(\.element)
        }

        /// The position of the first error.
        public var startIndex: Int { errors.startIndex }
        /// One past the position of the last error.
        public var endIndex: Int { errors.endIndex }
        /// The error at `position`.
        public subscript(position: Int) -> RecurrenceRuleError { errors[position] }

        /// One problem per line.
        public var description: String { errors.map(\.description).joined(separator: "\n") }
    }
}
