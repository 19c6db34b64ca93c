import Foundation

/// Reads the timestamps credential sources write: ISO 8601 with or without fractional
/// seconds and with `Z` or an offset (STS, IMDS, containers, `credential_process`), and the
/// `2024-01-01T00:00:00UTC` form older AWS CLI versions left in the SSO token cache.
public enum CredentialDates {
    public static func parse(_ text: String) -> Date? {
        var value = text.trimmingCharacters(in: .whitespaces)
        if value.hasSuffix("UTC") { value = String(value.dropLast(3)) + "Z" }
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: value) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: value)
    }

    /// `2024-01-01T00:00:00Z`.
    public static func format(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
