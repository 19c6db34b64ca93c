import Foundation

/// A dataset's time limit from its config: the top-level `__duration__` (minutes) of a JSON or
/// YAML config, as NeuroCAAS reads it. Any other config, or one without the key, has none.
public enum ConfigDuration {
    /// Minutes, or nil when the config does not set a positive `__duration__`.
    public static func minutes(in config: Data, key: String) -> Double? {
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

    private static func positive(_ value: Double) -> Double? { value > 0 && value.isFinite ? value : nil }
}
