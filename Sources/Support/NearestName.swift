/// "Did you mean": the known name nearest to what was typed, for a mistyped subcommand or setting.
public enum NearestName {
    /// The name nearest to `word` (edit distance at most a third of its length, at least 2, ignoring
    /// case), or the first one `word` starts (three characters or more); nil when none is close.
    public static func closest(to word: String, among names: [String]) -> String? {
        let lowered = word.lowercased()
        let scored = names.map { (name: $0, distance: distance(lowered, $0.lowercased())) }.sorted { $0.distance < $1.distance }
        if let best = scored.first, best.distance <= max(2, word.count / 3) { return best.name }
        return names.first { word.count >= 3 && $0.lowercased().hasPrefix(lowered) }
    }

    /// Levenshtein distance, with a swap of two neighbours counting one (Damerau).
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1) }
            }
        }
        return table[a.count][b.count]
    }
}
