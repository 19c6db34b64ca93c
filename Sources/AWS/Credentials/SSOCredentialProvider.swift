import Foundation
import SigV4

/// IAM Identity Center (SSO): the access token `aws sso login` cached is exchanged at the SSO
/// portal (GetRoleCredentials, `GET /federation/credentials`) for the role's credentials.
/// For `sso_session` profiles a token within 15 minutes of expiry is first renewed with its
/// refresh token (SSO OIDC CreateToken) and written back to the cache, as the AWS CLI does,
/// so a long-running command lasts as long as the SSO session.
struct SSOCredentialProvider: CredentialProvider {
    let settings: SSOProfile
    let resolver: AWSConfigurationResolver
    /// Seconds before a token's expiry from which it is renewed (botocore's window).
    static let tokenRefreshWindow: TimeInterval = 15 * 60

    var source: ConfigurationSource { .sso(profile: settings.profile, accountId: settings.accountId, roleName: settings.roleName) }

    private var partition: AWSPartition { AWSPartition(region: settings.region) }

    func fetch() throws -> ResolvedCredentials {
        let token = try accessToken()
        let portal = try resolver.endpointURL(configKey: "sso", environmentSuffix: "SSO",
                                              defaultURL: "https://portal.sso.\(settings.region).\(partition.dnsSuffix)")
        let query = PercentEncoding.formEncode([("account_id", settings.accountId), ("role_name", settings.roleName)])
        let request = HTTPRequest(method: "GET", url: portal + "/federation/credentials?" + query,
                                  headers: [(name: "x-amz-sso_bearer_token", value: token)])
        let response = try send(request, what: "the SSO portal")
        if response.status == 401 || response.status == 403 {
            throw AWSConfigurationError.ssoLoginNeeded(profile: settings.profile, reason: "was refused by the SSO portal (HTTP \(response.status))")
        }
        guard response.status == 200,
              let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any],
              let role = object["roleCredentials"] as? [String: Any],
              let keyId = role["accessKeyId"] as? String, let secret = role["secretAccessKey"] as? String,
              !keyId.isEmpty, !secret.isEmpty else {
            throw AWSConfigurationError.credentialSourceFailed(
                source: "SSO role \(settings.roleName) in account \(settings.accountId)",
                reason: response.status == 200 ? "the SSO portal's reply has no credentials" : "the SSO portal answered HTTP \(response.status)",
                fix: "check sso_account_id and sso_role_name of profile \(settings.profile) (`aws sso list-account-roles`)")
        }
        let expiration = (role["expiration"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue / 1000) }
        return ResolvedCredentials(credentials: SigningCredentials(accessKeyId: keyId, secretAccessKey: secret,
                                                                   sessionToken: role["sessionToken"] as? String),
                                   source: source, expiration: expiration)
    }

    /// The cached access token, renewed first when it is about to expire and can be.
    private func accessToken() throws -> String {
        guard let cache = SSOTokenCache(environment: resolver.environment),
              var token = try cache.load(key: settings.tokenCacheKey, profile: settings.profile) else {
            throw AWSConfigurationError.ssoLoginNeeded(profile: settings.profile, reason: "has no cached token")
        }
        let now = resolver.clock()
        if settings.sessionName != nil, token.expiresAt.timeIntervalSince(now) < Self.tokenRefreshWindow,
           let renewed = renew(token, now: now) {
            token = renewed
            cache.save(token, key: settings.tokenCacheKey)
        }
        guard token.expiresAt > now else {
            throw AWSConfigurationError.ssoLoginNeeded(profile: settings.profile, reason: "expired at \(CredentialDates.format(token.expiresAt))")
        }
        return token.accessToken
    }

    /// SSO OIDC CreateToken with the refresh token; nil when the token cannot be renewed
    /// (no refresh token, the client registration expired, or the service refused).
    private func renew(_ token: SSOToken, now: Date) -> SSOToken? {
        guard let refreshToken = token.refreshToken, let clientId = token.clientId, let clientSecret = token.clientSecret,
              let registrationExpiry = token.registrationExpiresAt, registrationExpiry > now else { return nil }
        guard let oidc = try? resolver.endpointURL(configKey: "sso_oidc", environmentSuffix: "SSO_OIDC",
                                                   defaultURL: "https://oidc.\(settings.region).\(partition.dnsSuffix)") else { return nil }
        let body: [String: String] = ["grantType": "refresh_token", "clientId": clientId, "clientSecret": clientSecret,
                                      "refreshToken": refreshToken]
        guard let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) else { return nil }
        let request = HTTPRequest(method: "POST", url: oidc + "/token",
                                  headers: [(name: "Content-Type", value: "application/json")], body: .bytes(data))
        guard let response = try? send(request, what: "the SSO token service"), response.status == 200,
              let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any],
              let accessToken = object["accessToken"] as? String, !accessToken.isEmpty,
              let expiresIn = object["expiresIn"] as? NSNumber else { return nil }
        var renewed = token
        renewed.accessToken = accessToken
        renewed.expiresAt = now.addingTimeInterval(expiresIn.doubleValue)
        if let newRefreshToken = object["refreshToken"] as? String { renewed.refreshToken = newRefreshToken }
        return renewed
    }

    private func send(_ request: HTTPRequest, what: String) throws -> HTTPResponse {
        do {
            return try UnsignedRequest.send(request, transport: resolver.credentialsTransport)
        } catch let failure as TransportError {
            throw AWSConfigurationError.credentialSourceFailed(source: what, reason: "nothing answered at \(failure.url)",
                                                               fix: "check the network, then try again")
        }
    }
}
