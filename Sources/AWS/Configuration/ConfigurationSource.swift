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
