/// The keys a request is signed with. `description`, `debugDescription` and reflection
/// (`dump`, `print` of a containing value) never show the secret or the session token.
public struct SigningCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var accessKeyId: String
    public var secretAccessKey: String
    /// Set for temporary credentials (STS, instance metadata); sent as `X-Amz-Security-Token`.
    public var sessionToken: String?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// The access key id shortened to its first and last four characters (`AKIA…WXYZ`),
    /// which is enough to tell keys apart and safe to print.
    public var redactedAccessKeyId: String { SigningCredentials.redact(accessKeyId: accessKeyId) }

    /// Shortens an access key id to `AKIA…WXYZ`; ids of 12 characters or fewer show only
    /// their last four characters (`…WXYZ`), very short ones nothing.
    public static func redact(accessKeyId: String) -> String {
        let characters = Array(accessKeyId)
        if characters.count > 12 {
            return String(characters.prefix(4)) + "…" + String(characters.suffix(4))
        }
        if characters.count > 4 {
            return "…" + String(characters.suffix(4))
        }
        return "…"
    }

    public var description: String {
        let token = sessionToken == nil ? "none" : "<redacted>"
        return "SigningCredentials(accessKeyId: \(redactedAccessKeyId), secretAccessKey: <redacted>, sessionToken: \(token))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyId": redactedAccessKeyId,
            "secretAccessKey": "<redacted>",
            "sessionToken": sessionToken == nil ? "none" : "<redacted>",
        ], displayStyle: .struct)
    }
}
