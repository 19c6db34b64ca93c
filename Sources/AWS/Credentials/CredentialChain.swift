import Foundation
import SigV4

extension AWSConfigurationResolver {
    /// Credentials, fetched now from the source `credentialProvider(region:)` picks.
    /// - Parameter region: the region STS is called in when a role is assumed (default: the
    ///   configured region, else us-east-1).
    public func credentials(region: String? = nil) throws -> ResolvedCredentials {
        try credentialProvider(region: region).fetch()
    }

    /// The source of credentials, in the AWS CLI's (botocore's) order:
    /// 1. `--access-key-id`/`--secret-access-key` (ncaas's flags);
    /// 2. `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`), unless the profile
    ///    was chosen with `--profile` (as in the AWS CLI, an explicit profile outranks them);
    /// 3. the profile's `role_arn` with `source_profile` or `credential_source` (AssumeRole);
    /// 4. web identity: `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (unless `--profile`), else
    ///    the profile's `web_identity_token_file` + `role_arn` (AssumeRoleWithWebIdentity);
    /// 5. the profile's IAM Identity Center settings (`sso_session` or the legacy `sso_*`);
    /// 6. the profile's keys in the credentials file;
    /// 7. the profile's `credential_process`;
    /// 8. the profile's keys in the config file;
    /// 9. the container endpoint (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`);
    /// 10. the EC2 instance metadata service.
    ///
    /// Choosing reads only configuration; network calls and programs run when the provider
    /// fetches.
    /// - Throws: `AWSConfigurationError` when the settings are incomplete or contradictory, or
    ///   `.noCredentials` when no source is configured at all (and no instance metadata).
    public func credentialProvider(region: String? = nil) throws -> any CredentialProvider {
        if let explicit = try explicitCredentials() { return StaticCredentialProvider(explicit) }

        var checked: [String] = []
        let environmentEnabled = profile.source != .flag(ConfigurationOverrides.FlagName.profile)
        if environmentEnabled {
            if let fromEnvironment = try environmentCredentials() { return StaticCredentialProvider(fromEnvironment) }
            checked.append("the environment")
        }

        let chain = RoleChain(resolver: self, stsRegion: region ?? (try? self.region().value) ?? "us-east-1")
        if hasAssumeRoleSettings(profile.value) {
            return try chain.assumeRoleProvider(profile: profile.value, visited: [profile.value])
        }
        if let fromProfile = try chain.profileProvider(profile.value, environmentEnabled: environmentEnabled) {
            return fromProfile
        }
        checked += files.searchedPaths

        if let container = try containerProvider() { return container }
        if let instanceMetadata {
            return InstanceMetadataProvider(client: instanceMetadata, profile: profile.value, checked: checked + ["instance metadata"])
        }
        throw AWSConfigurationError.noCredentials(profile: profile.value, checked: checked)
    }

    /// Whether a profile assumes a role from another source: `role_arn` without
    /// `web_identity_token_file` (which makes it a web identity profile instead).
    func hasAssumeRoleSettings(_ profile: String) -> Bool {
        files.setting("role_arn", profile: profile) != nil && files.setting("web_identity_token_file", profile: profile) == nil
    }

    /// Whether a profile holds either half of a key pair (in either file).
    func hasStaticKeys(_ profile: String) -> Bool {
        files.setting("aws_access_key_id", profile: profile) != nil || files.setting("aws_secret_access_key", profile: profile) != nil
    }

    /// The profile's keys in the credentials file (`fromCredentialsFile`) or the config file.
    func profileKeys(_ profile: String, fromCredentialsFile: Bool) throws -> ResolvedCredentials? {
        let found = fromCredentialsFile ? files.credentialsSection(profile: profile) : files.configSection(profile: profile)
        guard let found else { return nil }
        return try Self.fileCredentials(found.section, source: found.source)
    }

    private func explicitCredentials() throws -> ResolvedCredentials? {
        let keyId = Self.nonBlank(overrides.accessKeyId), secret = Self.nonBlank(overrides.secretAccessKey)
        let source = ConfigurationSource.flag(ConfigurationOverrides.FlagName.accessKeyId)
        switch (keyId, secret) {
        case (nil, nil):
            return nil
        case (let keyId?, let secret?):
            return ResolvedCredentials(credentials: SigningCredentials(accessKeyId: keyId, secretAccessKey: secret,
                                                                       sessionToken: Self.nonBlank(overrides.sessionToken)),
                                       source: source)
        case (nil, _):
            throw AWSConfigurationError.incompleteCredentials(present: ConfigurationOverrides.FlagName.secretAccessKey,
                                                              missing: ConfigurationOverrides.FlagName.accessKeyId,
                                                              source: .flag(ConfigurationOverrides.FlagName.secretAccessKey))
        case (_, nil):
            throw AWSConfigurationError.incompleteCredentials(present: ConfigurationOverrides.FlagName.accessKeyId,
                                                              missing: ConfigurationOverrides.FlagName.secretAccessKey,
                                                              source: source)
        }
    }

    /// `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`); nil when neither is set.
    func environmentCredentials() throws -> ResolvedCredentials? {
        let keyId = environment.value("AWS_ACCESS_KEY_ID"), secret = environment.value("AWS_SECRET_ACCESS_KEY")
        switch (keyId, secret) {
        case (nil, nil):
            return nil
        case (let keyId?, let secret?):
            let token = environment.value("AWS_SESSION_TOKEN") ?? environment.value("AWS_SECURITY_TOKEN")
            return ResolvedCredentials(credentials: SigningCredentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: token),
                                       source: .environment("AWS_ACCESS_KEY_ID"))
        case (nil, _):
            throw AWSConfigurationError.incompleteCredentials(present: "AWS_SECRET_ACCESS_KEY", missing: "AWS_ACCESS_KEY_ID",
                                                              source: .environment("AWS_SECRET_ACCESS_KEY"))
        case (_, nil):
            throw AWSConfigurationError.incompleteCredentials(present: "AWS_ACCESS_KEY_ID", missing: "AWS_SECRET_ACCESS_KEY",
                                                              source: .environment("AWS_ACCESS_KEY_ID"))
        }
    }

    /// `aws_access_key_id` + `aws_secret_access_key` (+ `aws_session_token`, or the legacy
    /// `aws_security_token`) of one section; nil when the section has neither key.
    private static func fileCredentials(_ section: SharedConfigINI.Section, source: ConfigurationSource) throws -> ResolvedCredentials? {
        let keyId = nonBlank(section.properties["aws_access_key_id"])
        let secret = nonBlank(section.properties["aws_secret_access_key"])
        switch (keyId, secret) {
        case (nil, nil):
            return nil
        case (let keyId?, let secret?):
            let token = nonBlank(section.properties["aws_session_token"]) ?? nonBlank(section.properties["aws_security_token"])
            return ResolvedCredentials(credentials: SigningCredentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: token),
                                       source: source)
        case (nil, _):
            throw AWSConfigurationError.incompleteCredentials(present: "aws_secret_access_key", missing: "aws_access_key_id", source: source)
        case (_, nil):
            throw AWSConfigurationError.incompleteCredentials(present: "aws_access_key_id", missing: "aws_secret_access_key", source: source)
        }
    }
}
