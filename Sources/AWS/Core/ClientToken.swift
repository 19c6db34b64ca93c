import Foundation

/// Idempotency tokens for creates that must not happen twice when retried
/// (`ClientToken` on RunInstances, `ClientRequestToken` on CloudFormation).
public enum ClientToken {
    /// A fresh random token (a UUID, within every service's length and charset limits).
    public static func make() -> String {
        UUID().uuidString.lowercased()
    }
}
