import Crypto
import Foundation

/// The access token `aws sso login` caches in `~/.aws/sso/cache/<sha1 hex of the key>.json`,
/// the key being the `sso_session` name, or the start URL for legacy profiles.
struct SSOToken {
    var accessToken: String
    var expiresAt: Date
    /// What a refresh needs (present for `sso_session` logins).
    var refreshToken: String?
    var clientId: String?
    var clientSecret: String?
    var registrationExpiresAt: Date?
    /// Every field of the file, so a refresh keeps what it does not change.
    var fields: [String: Any]
}

struct SSOTokenCache {
    /// `~/.aws/sso/cache`.
    let directory: String
    let fileReader: any ConfigurationFileReader

    init?(environment: ConfigurationEnvironment) {
        guard let home = environment.homeDirectory else { return nil }
        directory = (home.hasSuffix("/") ? home : home + "/") + ".aws/sso/cache"
        fileReader = environment.fileReader
    }

    /// The file the token for `key` is cached in.
    func path(forKey key: String) -> String {
        let digest = Insecure.SHA1.hash(data: Data(key.utf8))
        return directory + "/" + digest.map { String(format: "%02x", $0) }.joined() + ".json"
    }

    /// The cached token; nil when there is no file. Throws `ssoLoginNeeded` when the file is
    /// not a token.
    func load(key: String, profile: String) throws -> SSOToken? {
        let file = path(forKey: key)
        guard let text = try fileReader.contents(atPath: file) else { return nil }
        guard let fields = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
              let accessToken = fields["accessToken"] as? String, !accessToken.isEmpty,
              let expiresAt = (fields["expiresAt"] as? String).flatMap(CredentialDates.parse) else {
            throw AWSConfigurationError.ssoLoginNeeded(profile: profile, reason: "has a cached token file (\(file)) that ncaas cannot read")
        }
        return SSOToken(accessToken: accessToken, expiresAt: expiresAt, refreshToken: fields["refreshToken"] as? String,
                        clientId: fields["clientId"] as? String, clientSecret: fields["clientSecret"] as? String,
                        registrationExpiresAt: (fields["registrationExpiresAt"] as? String).flatMap(CredentialDates.parse),
                        fields: fields)
    }

    /// Writes a refreshed token back (readable by its owner only), as the AWS CLI does, so
    /// the next command and the AWS CLI use it too. False when it cannot be written (the
    /// token still works for this process).
    @discardableResult
    func save(_ token: SSOToken, key: String) -> Bool {
        var fields = token.fields
        fields["accessToken"] = token.accessToken
        fields["expiresAt"] = CredentialDates.format(token.expiresAt)
        if let refreshToken = token.refreshToken { fields["refreshToken"] = refreshToken }
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return false }
        let file = path(forKey: key)
        let temporary = file + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else { return false }
        guard rename(temporary, file) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }
}
