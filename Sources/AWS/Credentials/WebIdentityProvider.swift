import Foundation

/// Web identity federation (GitHub Actions, EKS service accounts, other OIDC issuers): the
/// token file is read on every fetch (issuers rotate it) and exchanged, unsigned, through STS
/// AssumeRoleWithWebIdentity.
struct WebIdentityProvider: CredentialProvider {
    let roleArn: String
    let tokenFile: String
    /// `role_session_name` / `AWS_ROLE_SESSION_NAME`; nil for a generated one.
    let sessionName: String?
    let sts: ServiceEndpoint
    let resolver: AWSConfigurationResolver

    var source: ConfigurationSource { .webIdentity(roleArn: roleArn, tokenFile: tokenFile) }

    func fetch() throws -> ResolvedCredentials {
        guard let text = try resolver.environment.fileReader.contents(atPath: tokenFile) else {
            throw AWSConfigurationError.credentialSourceFailed(
                source: "web identity", reason: "the token file \(tokenFile) does not exist",
                fix: "check AWS_WEB_IDENTITY_TOKEN_FILE or the profile's web_identity_token_file")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw AWSConfigurationError.credentialSourceFailed(source: "web identity", reason: "the token file \(tokenFile) is empty",
                                                               fix: "check that the identity provider wrote its token there")
        }
        let client = AWSClient(region: sts.signingRegion, credentials: .init(accessKeyId: "", secretAccessKey: ""),
                               transport: resolver.credentialsTransport,
                               serviceEndpoints: sts.isCustom ? [.sts: sts.url] : [:])
        let assumed: TemporaryCredentials
        do {
            assumed = try STSClient(client).assumeRoleWithWebIdentity(
                roleArn: roleArn, sessionName: sessionName ?? AssumeRoleRequest.generatedSessionName(at: resolver.clock()), token: token)
        } catch let error as AWSError {
            throw AWSConfigurationError.credentialSourceFailed(
                source: "role \(roleArn) (web identity)",
                reason: "STS refused AssumeRoleWithWebIdentity (\(error.code): \(AssumeRoleProvider.short(error.message)))",
                fix: "check that the role trusts the token's issuer and audience")
        }
        return ResolvedCredentials(credentials: assumed.credentials, source: source, expiration: assumed.expiration)
    }
}
