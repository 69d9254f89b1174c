/// "Did you mean ...?" support: the closest candidate to a misspelt word.
public enum Suggestion {
    /// The candidate nearest to `word` (case-insensitive Levenshtein distance), if it is near enough
    /// to be a plausible typo: at most `maximumDistance` edits, by default a third of the word's length and at
    /// least one.
    public static func closest(
        to word: String,
        among candidates: some Sequence<String>,
        maximumDistance: Int? = nil
    ) -> String? {
        let target = Array(word.lowercased().unicodeScalars)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let d = distance(target, Array(candidate.lowercased().unicodeScalars))
            if best == nil || d < best!.distance { best = (candidate, d) }
        }
        guard let best else { return nil }
        return best.distance <= (maximumDistance ?? max(1, target.count / 3)) ? best.candidate : nil
    }

    /// `did you mean "x"?` or nil.
    static func didYouMean(_ word: String, among candidates: some Sequence<String>) -> LocalizedText? {
        closest(to: word, among: candidates).map { .tr("did you mean \"%s\"?", $0) }
    }

    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
