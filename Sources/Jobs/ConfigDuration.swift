import Foundation

/// A dataset's time limit from its config: the top-level `__duration__` (minutes) of a JSON or
/// YAML config, as NeuroCAAS reads it. Any other config, or one without the key, has none.
public enum ConfigDuration {
    /// The most a config may ask for: 43200 minutes (30 days).
    public static let maximumMinutes: Double = 43_200

    /// Minutes, or nil when the config does not set a positive `__duration__`; throws one sentence
    /// when it sets more than `maximumMinutes`, or a number no clock holds.
    public static func minutes(in config: Data, key: String) throws -> Double? {
        guard let minutes = read(config, key: key) else { return nil }
        let limit = maximumMinutes
        guard minutes <= limit else {
            throw JobError(.badInput, "The config \(key) sets __duration__ to \(minutes) minutes; it must be at most \(Int(limit)) (30 days).")
        }
        return minutes
    }

    private static func read(_ config: Data, key: String) -> Double? {
        let lower = key.lowercased()
        if lower.hasSuffix(".json") {
            guard let object = try? JSONSerialization.jsonObject(with: config) as? [String: Any] else { return nil }
            if let number = object["__duration__"] as? NSNumber, !(object["__duration__"] is Bool) { return positive(number.doubleValue) }
            if let text = object["__duration__"] as? String { return Double(text).flatMap(positive) }
            return nil
        }
        guard lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") else { return nil }
        for line in String(decoding: config, as: UTF8.self).split(whereSeparator: \.isNewline) {
            // Top level only: no indentation.
            guard line.hasPrefix("__duration__") else { continue }
            let rest = line.dropFirst("__duration__".count).drop { $0 == " " }
            guard rest.first == ":" else { continue }
            var value = rest.dropFirst().trimmingCharacters(in: .whitespaces)
            if let hash = value.firstIndex(of: "#") { value = String(value[..<hash]).trimmingCharacters(in: .whitespaces) }
            value = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            return Double(value).flatMap(positive)
        }
        return nil
    }

    /// A positive value (infinity included: it is refused above, not ignored).
    private static func positive(_ value: Double) -> Double? { value > 0 ? value : nil }
}
