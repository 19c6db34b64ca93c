import Foundation

/// Lengths of time as users type them: `90` (minutes), `90m`, `2h`, `45s`, `1h30m`.
public enum DurationText {
    /// The longest duration accepted: 366 days.
    public static let maximum: TimeInterval = 366 * 86_400

    /// Seconds, or nil when `text` is not a duration of more than zero and at most `maximum`.
    public static func seconds(_ text: String) -> TimeInterval? {
        parse(text).flatMap { $0 > 0 && $0 <= maximum ? $0 : nil }
    }

    private static func parse(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let minutes = Double(trimmed) { return minutes > 0 ? minutes * 60 : nil }
        var total: TimeInterval = 0
        var number = ""
        for character in trimmed {
            if character.isNumber || character == "." { number.append(character); continue }
            guard let value = Double(number) else { return nil }
            switch character {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            case "d": total += value * 86400
            default: return nil
            }
            number = ""
        }
        return number.isEmpty && total > 0 ? total : nil
    }

    /// "1h 05m", "12m 30s", "40s".
    public static func describe(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, abs(seconds) < 1e12 else { return seconds < 0 ? "-forever" : "forever" }
        let whole = Int(abs(seconds).rounded())
        let (h, m, s) = (whole / 3600, (whole % 3600) / 60, whole % 60)
        let text = h > 0 ? String(format: "%dh %02dm", h, m) : m > 0 ? String(format: "%dm %02ds", m, s) : "\(s)s"
        return seconds < 0 ? "-" + text : text
    }
}
