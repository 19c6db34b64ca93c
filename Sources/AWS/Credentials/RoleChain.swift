import Foundation

/// The profile-based part of the credential chain, shared by the main chain and by the
/// source profiles of roles (as botocore's `ProfileProviderBuilder` and `AssumeRoleProvider`):
/// which provider a profile's settings select, and role chaining through `source_profile`.
struct RoleChain {
    let resolver: AWSConfigurationResolver
    /// The region STS is called in.
    let stsRegion: String

    private var files: SharedConfigFiles { resolver.files }

    private func setting(_ key: String, _ profile: String) -> String? {
        AWSConfigurationResolver.nonBlank(files.setting(key, profile: profile)?.value)
    }

    /// The providers a profile's own settings select, in order: web identity, SSO, keys in the
    /// credentials file, `credential_process`, keys in the config file. Nil when none applies.
    /// - Parameter environmentEnabled: whether `AWS_WEB_IDENTITY_TOKEN_FILE` and friends count
    ///   (not for an explicit `--profile`, nor for a role's source profile).
    func profileProvider(_ profile: String, environmentEnabled: Bool) throws -> (any CredentialProvider)? {
        if let webIdentity = try webIdentityProvider(profile, environmentEnabled: environmentEnabled) { return webIdentity }
        if let sso = try SSOProfile(profile: profile, resolver: resolver) {
            return SSOCredentialProvider(settings: sso, resolver: resolver)
        }
        if let keys = try resolver.profileKeys(profile, fromCredentialsFile: true) { return StaticCredentialProvider(keys) }
        if let command = files.setting("credential_process", profile: profile) {
            return ProcessCredentialProvider(command: command.value, profile: profile, environment: resolver.environment,
                                             clock: resolver.clock)
        }
        if let keys = try resolver.profileKeys(profile, fromCredentialsFile: false) { return StaticCredentialProvider(keys) }
        return nil
    }

    /// Web identity settings: each of the token file, role ARN and session name from its
    /// variable (unless `environmentEnabled` is false), else from the profile.
    private func webIdentityProvider(_ profile: String, environmentEnabled: Bool) throws -> (any CredentialProvider)? {
        func value(_ key: String, _ variable: String) -> String? {
            if environmentEnabled, let fromEnvironment = resolver.environment.value(variable) { return fromEnvironment }
            return setting(key, profile)
        }
        guard let tokenFile = value("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE") else { return nil }
        guard let roleArn = value("role_arn", "AWS_ROLE_ARN") else {
            throw AWSConfigurationError.invalidProfile(
                profile: profile, problem: "has a web identity token file (\(tokenFile)) but no role to assume",
                fix: "set AWS_ROLE_ARN or the profile's role_arn")
        }
        return WebIdentityProvider(roleArn: roleArn, tokenFile: resolver.environment.expandingTilde(tokenFile),
                                   sessionName: value("role_session_name", "AWS_ROLE_SESSION_NAME"),
                                   sts: try stsEndpoint(), resolver: resolver)
    }

    /// The AssumeRole provider of a profile that has `role_arn` (and no web identity token).
    /// - Parameter visited: the profiles on the way here, the first being the one in use.
    func assumeRoleProvider(profile: String, visited: [String]) throws -> any CredentialProvider {
        guard let roleArn = setting("role_arn", profile) else {
            throw AWSConfigurationError.invalidProfile(profile: profile, problem: "has no role_arn", fix: "set role_arn")
        }
        let sourceProfile = setting("source_profile", profile)
        let credentialSource = setting("credential_source", profile)
        let source: any CredentialProvider
        switch (sourceProfile, credentialSource) {
        case (.some, .some):
            throw AWSConfigurationError.invalidProfile(profile: profile, problem: "sets both source_profile and credential_source",
                                                       fix: "keep only one of them")
        case (nil, nil):
            throw AWSConfigurationError.invalidProfile(
                profile: profile, problem: "sets role_arn but neither source_profile nor credential_source",
                fix: "add `source_profile = <profile with credentials>` or `credential_source = Environment`, `Ec2InstanceMetadata` or `EcsContainer`")
        case (let named?, nil):
            source = try sourceProfileProvider(named, of: profile, visited: visited)
        case (nil, let canonical?):
            source = try credentialSourceProvider(canonical, of: profile)
        }

        var durationSeconds: Int?
        if let text = setting("duration_seconds", profile) {
            guard let seconds = Int(text), (900...43_200).contains(seconds) else {
                throw AWSConfigurationError.invalidProfile(profile: profile, problem: "sets duration_seconds to \"\(text.prefix(20))\"",
                                                           fix: "use a whole number of seconds from 900 to 43200")
            }
            durationSeconds = seconds
        }
        let request = AssumeRoleRequest(roleArn: roleArn, sessionName: setting("role_session_name", profile),
                                        externalId: setting("external_id", profile), mfaSerial: setting("mfa_serial", profile),
                                        durationSeconds: durationSeconds)
        return AssumeRoleProvider(profile: profile, request: request,
                                  sourceCredentials: RefreshingCredentials(deferred: source, clock: resolver.clock),
                                  sts: try stsEndpoint(), resolver: resolver)
    }

    /// What a `source_profile` gives: its own keys, SSO, process or web identity (with the
    /// environment ignored), or the role it assumes in turn. A loop is refused; a profile may
    /// name itself when it holds keys (botocore allows that one case).
    private func sourceProfileProvider(_ source: String, of parent: String, visited: [String]) throws -> any CredentialProvider {
        guard files.profileExists(source) else {
            throw AWSConfigurationError.invalidProfile(profile: parent, problem: "names source_profile \"\(source)\", which does not exist",
                                                       fix: "add that profile or name another one")
        }
        if visited.contains(source), source != parent || !resolver.hasStaticKeys(source) {
            throw AWSConfigurationError.sourceProfileLoop(profiles: visited + [source])
        }
        let path = visited + [source]
        if resolver.hasStaticKeys(source) || !resolver.hasAssumeRoleSettings(source) {
            guard let provider = try profileProvider(source, environmentEnabled: false) else {
                throw AWSConfigurationError.invalidProfile(
                    profile: source, problem: "is the source_profile of \"\(parent)\" but has no credentials",
                    fix: "give it keys (`aws configure --profile \(source)`), SSO settings or a credential_process")
            }
            return provider
        }
        return try assumeRoleProvider(profile: source, visited: path)
    }

    /// The provider a `credential_source` names: `Environment`, `Ec2InstanceMetadata` or `EcsContainer`.
    private func credentialSourceProvider(_ name: String, of profile: String) throws -> any CredentialProvider {
        switch name {
        case "Environment":
            guard let keys = try resolver.environmentCredentials() else {
                throw AWSConfigurationError.invalidProfile(profile: profile, problem: "sets credential_source = Environment but AWS_ACCESS_KEY_ID is not set",
                                                           fix: "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
            }
            return StaticCredentialProvider(keys)
        case "Ec2InstanceMetadata":
            guard let client = resolver.instanceMetadata else {
                throw AWSConfigurationError.invalidProfile(profile: profile, problem: "sets credential_source = Ec2InstanceMetadata but instance metadata is disabled",
                                                           fix: "unset AWS_EC2_METADATA_DISABLED or use another credential_source")
            }
            return InstanceMetadataProvider(client: client, profile: profile, checked: ["instance metadata (credential_source)"])
        case "EcsContainer":
            guard let container = try resolver.containerProvider() else {
                throw AWSConfigurationError.invalidProfile(
                    profile: profile, problem: "sets credential_source = EcsContainer but neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set",
                    fix: "run it in a container with a task role or pod identity, or use another credential_source")
            }
            return container
        default:
            throw AWSConfigurationError.invalidProfile(profile: profile, problem: "sets credential_source to \"\(name.prefix(40))\"",
                                                       fix: "use Environment, Ec2InstanceMetadata or EcsContainer (spelt so)")
        }
    }

    /// Where STS calls go (a configured endpoint, else STS's regional endpoint).
    private func stsEndpoint() throws -> ServiceEndpoint {
        try resolver.endpoint(for: .sts, region: stsRegion)
    }
}
