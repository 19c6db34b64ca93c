import Foundation

/// A profile's `role_arn`: STS AssumeRole signed with the source profile's (or the
/// `credential_source`'s) credentials, with `external_id`, `mfa_serial` (the code asked for on
/// every fetch, as the AWS CLI does), `duration_seconds` and `role_session_name`.
struct AssumeRoleProvider: CredentialProvider {
    let profile: String
    let request: AssumeRoleRequest
    /// The credentials AssumeRole is signed with, themselves renewed when temporary.
    let sourceCredentials: RefreshingCredentials
    let sts: ServiceEndpoint
    let resolver: AWSConfigurationResolver

    var source: ConfigurationSource { .assumedRole(roleArn: request.roleArn, profile: profile) }

    func fetch() throws -> ResolvedCredentials {
        var tokenCode: String?
        if let serial = request.mfaSerial {
            guard let code = resolver.mfaPrompt.code(serial: serial, profile: profile), !code.isEmpty else {
                throw AWSConfigurationError.mfaNeedsTerminal(profile: profile, serial: serial)
            }
            tokenCode = code
        }
        let client = AWSClient(region: sts.signingRegion, credentialsProvider: { [sourceCredentials] in try sourceCredentials.credentials() },
                               transport: resolver.credentialsTransport,
                               serviceEndpoints: sts.isCustom ? [.sts: sts.url] : [:])
        let sessionName = request.sessionName ?? AssumeRoleRequest.generatedSessionName(at: resolver.clock())
        let assumed: TemporaryCredentials
        do {
            assumed = try STSClient(client).assumeRole(request, sessionName: sessionName, tokenCode: tokenCode)
        } catch let error as AWSError {
            throw AWSConfigurationError.credentialSourceFailed(
                source: "role \(request.roleArn) (profile \(profile))", reason: "STS refused AssumeRole (\(error.code): \(Self.short(error.message)))",
                fix: "check that the source credentials may assume the role and that the role trusts them")
        }
        return ResolvedCredentials(credentials: assumed.credentials, source: source, expiration: assumed.expiration)
    }

    static func short(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 160 ? String(line.prefix(160)) + "…" : line
    }
}
