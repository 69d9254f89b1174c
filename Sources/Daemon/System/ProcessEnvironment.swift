import Glibc

/// The process environment as a dictionary, without Foundation.
public enum ProcessEnvironment {
    /// Every `NAME=value` entry of `environ`; for a name given twice, the first wins (as `getenv`).
    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let assignment = String(cString: pointer)
            if let equals = assignment.firstIndex(of: "=") {
                let name = String(assignment[..<equals])
                if result[name] == nil {
                    result[name] = String(assignment[assignment.index(after: equals)...])
                }
            }
            entry += 1
        }
        return result
    }
}
