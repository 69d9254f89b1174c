/// A condition on journal entries: the field `field` has one of `values`.
public struct JournalMatch: Sendable, Equatable {
    /// A journal field name, e.g. `MESSAGE_ID`.
    public var field: String
    /// The accepted values; an entry matches when the field has any of them.
    public var values: [String]

    /// Matches entries whose `field` is any of `values`.
    public init(_ field: String, anyOf values: [String]) {
        self.field = field
        self.values = values
    }

    /// Matches entries whose `field` is `value`.
    public init(_ field: String, _ value: String) {
        self.init(field, anyOf: [value])
    }
}
