/// An immutable value behind a reference, so that copies of the struct holding it share one allocation; equal and
/// hashed by value. A model type keeps its rarely set or widely shared fields in one (`Milestone`, `Delivery`).
final class SharedBox<Value: Hashable & Sendable>: Hashable, Sendable {
    /// The value.
    let value: Value

    init(_ value: Value) { self.value = value }

    static func == (a: SharedBox, b: SharedBox) -> Bool { a === b || a.value == b.value }
    func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
