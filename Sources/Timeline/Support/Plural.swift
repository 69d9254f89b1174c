/// `count` and `noun`, the noun in the plural unless the count is one: "1 error", "3 errors".
public func plural(_ count: Int, _ noun: String) -> String {
    count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
}
