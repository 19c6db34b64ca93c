/// What is new in a text that is rewritten as it grows (a status file's tail keeps only its end).
enum TextFollower {
    /// The part of `text` after what was printed: the whole rest when `text` continues `printed`,
    /// else what follows the longest end of `printed` that `text` starts with, else all of `text`.
    static func newPart(of text: String, after printed: String) -> String {
        if text.hasPrefix(printed) { return String(text.dropFirst(printed.count)) }
        var suffix = Substring(printed)
        while !suffix.isEmpty {
            if let range = text.range(of: suffix), range.lowerBound == text.startIndex || suffix.count >= 40 {
                return String(text[range.upperBound...])
            }
            suffix = suffix.dropFirst(max(1, suffix.count / 8))
        }
        return text
    }
}
