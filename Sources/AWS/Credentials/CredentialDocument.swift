import Foundation
import SigV4

/// The JSON credentials document container endpoints and `credential_process` programs
/// answer with: `AccessKeyId`, `SecretAccessKey`, `Token` or `SessionToken`, `Expiration`.
enum CredentialDocument {
    /// - Parameter complain: makes the error for a missing or malformed part (`reason`).
    static func parse(_ data: Data, source: ConfigurationSource, complain: (String) -> AWSConfigurationError) throws -> ResolvedCredentials {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw complain("its answer is not a JSON object")
        }
        guard let keyId = object["AccessKeyId"] as? String, !keyId.isEmpty else { throw complain("its answer has no AccessKeyId") }
        guard let secret = object["SecretAccessKey"] as? String, !secret.isEmpty else { throw complain("its answer has no SecretAccessKey") }
        let token = (object["Token"] as? String) ?? (object["SessionToken"] as? String)
        var expiration: Date?
        if let text = object["Expiration"] as? String {
            guard let date = CredentialDates.parse(text) else { throw complain("its Expiration \"\(text.prefix(40))\" is not an ISO 8601 time") }
            expiration = date
        }
        return ResolvedCredentials(credentials: SigningCredentials(accessKeyId: keyId, secretAccessKey: secret,
                                                                   sessionToken: token.flatMap { $0.isEmpty ? nil : $0 }),
                                   source: source, expiration: expiration)
    }
}
