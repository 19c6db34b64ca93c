import SigV4

extension AWSConfigurationResolver {
    /// Credentials, in the AWS CLI's order: flags; the environment (`AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) unless the profile was chosen with
    /// `--profile` (as in the AWS CLI, an explicit profile outranks environment keys); the
    /// profile in the credentials file, then in the config file; then instance metadata.
    public func credentials() throws -> ResolvedCredentials {
        var checked: [String] = []

        if let explicit = try explicitCredentials() { return explicit }

        if profile.source != .flag(ConfigurationOverrides.FlagName.profile) {
            if let fromEnvironment = try environmentCredentials() { return fromEnvironment }
            checked.append("the environment")
        }

        for found in [files.credentialsSection(profile: profile.value), files.configSection(profile: profile.value)] {
            guard let found else { continue }
            if let fromFile = try Self.fileCredentials(found.section, source: found.source) { return fromFile }
        }
        checked += files.searchedPaths

        if let unsupported = unsupportedCredentialSetting() {
            throw AWSConfigurationError.unsupportedCredentialSource(profile: profile.value, setting: unsupported.value,
                                                                   source: unsupported.source)
        }

        if let instanceMetadata {
            if let fetched = try instanceMetadata.fetchCredentials() {
                return ResolvedCredentials(credentials: fetched.credentials, source: .instanceMetadata(role: fetched.role),
                                           expiration: fetched.expiration)
            }
            checked.append("instance metadata")
        }
        throw AWSConfigurationError.noCredentials(profile: profile.value, checked: checked)
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

    private func environmentCredentials() throws -> ResolvedCredentials? {
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

    /// A profile setting that gets credentials in a way ncaas does not implement.
    private func unsupportedCredentialSetting() -> Sourced<String>? {
        let settings = ["role_arn", "credential_process", "sso_session", "sso_start_url", "web_identity_token_file"]
        for setting in settings {
            if let found = files.setting(setting, profile: profile.value) {
                return Sourced(setting, source: found.source)
            }
        }
        return nil
    }
}
