/// Where a configuration value (profile, credentials, region, endpoint) came from, so that
/// `ncaas doctor` can say "region us-east-1 (from AWS_REGION)".
public enum ConfigurationSource: Sendable, Hashable, CustomStringConvertible {
    /// A command-line flag, e.g. `--region`.
    case flag(String)
    /// An environment variable, e.g. `AWS_REGION`.
    case environment(String)
    /// A profile section of the shared credentials file.
    case credentialsFile(path: String, profile: String)
    /// A section of the shared config file, as written between the brackets
    /// (`profile dev`, `default`, `services local`).
    case configFile(path: String, section: String)
    /// The EC2 instance metadata service, with the instance role the credentials belong to.
    case instanceMetadata(role: String)
    /// STS AssumeRole of the role a profile names (`role_arn`), from that profile's source.
    case assumedRole(roleArn: String, profile: String)
    /// STS AssumeRoleWithWebIdentity with the token in a file (`web_identity_token_file` or
    /// `AWS_WEB_IDENTITY_TOKEN_FILE`).
    case webIdentity(roleArn: String, tokenFile: String)
    /// IAM Identity Center (SSO): the role of an account, with the token `aws sso login` cached.
    case sso(profile: String, accountId: String, roleName: String)
    /// The program a profile's `credential_process` runs.
    case credentialProcess(profile: String)
    /// The container credentials endpoint (ECS task role, EKS pod identity).
    case container(url: String)
    /// A value the caller supplied as a last resort, described by the caller (`blueprint REGION`).
    case fallback(String)
    /// Nothing configured it: the built-in default (profile `default`, AWS's public endpoint).
    case builtInDefault

    /// The place, e.g. `AWS_REGION`, `profile dev in /home/me/.aws/credentials`.
    public var description: String {
        switch self {
        case .flag(let name): return name
        case .environment(let name): return name
        case .credentialsFile(let path, let profile): return "profile \(profile) in \(path)"
        case .configFile(let path, let section): return "[\(section)] in \(path)"
        case .instanceMetadata(let role): return "instance metadata (role \(role))"
        case .assumedRole(let roleArn, let profile): return "role \(roleArn) assumed by profile \(profile)"
        case .webIdentity(let roleArn, let tokenFile): return "role \(roleArn) assumed with the web identity token in \(tokenFile)"
        case .sso(let profile, let accountId, let roleName): return "SSO role \(roleName) in account \(accountId) (profile \(profile))"
        case .credentialProcess(let profile): return "the credential_process of profile \(profile)"
        case .container(let url): return "the container credentials endpoint \(url)"
        case .fallback(let text): return text
        case .builtInDefault: return "default"
        }
    }

    /// `from AWS_REGION`, or `default` for the built-in default.
    public var phrase: String {
        self == .builtInDefault ? "default" : "from \(description)"
    }
}

/// A configuration value together with where it came from.
public struct Sourced<Value: Sendable & Equatable>: Sendable, Equatable, CustomStringConvertible {
    public var value: Value
    public var source: ConfigurationSource

    public init(_ value: Value, source: ConfigurationSource) {
        self.value = value
        self.source = source
    }

    /// `us-east-1 (from AWS_REGION)`.
    public var description: String { "\(value) (\(source.phrase))" }
}

extension Sourced where Value == String {
    /// A last-resort value from the caller, e.g. `.fallback("us-west-2", "blueprint REGION")`.
    public static func fallback(_ value: String, _ description: String) -> Sourced<String> {
        Sourced(value, source: .fallback(description))
    }
}
