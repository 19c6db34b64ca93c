import Foundation

/// Why credentials, region or endpoint could not be resolved. Each case reads as one
/// sentence and never contains a secret (access key ids appear shortened at most).
public enum AWSConfigurationError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// A profile named by `--profile`, `NCAAS_PROFILE` or `AWS_PROFILE` is in neither file.
    case profileNotFound(profile: String, source: ConfigurationSource, searchedFiles: [String])
    /// Every source was tried and none had credentials.
    case noCredentials(profile: String, checked: [String])
    /// One half of a key pair is set without the other.
    case incompleteCredentials(present: String, missing: String, source: ConfigurationSource)
    /// A profile's credential settings contradict each other or lack a part (`problem` reads
    /// as the rest of a sentence: "sets role_arn but neither source_profile nor credential_source").
    case invalidProfile(profile: String, problem: String, fix: String)
    /// `source_profile` settings that lead back to a profile already on the way.
    case sourceProfileLoop(profiles: [String])
    /// A role needs an MFA code and there is no terminal to type it on.
    case mfaNeedsTerminal(profile: String, serial: String)
    /// A temporary-credential source was reached but did not hand out credentials
    /// (`source` names it; `reason` says what went wrong, `fix` what to do).
    case credentialSourceFailed(source: String, reason: String, fix: String)
    /// The cached IAM Identity Center (SSO) login is missing or has expired.
    case ssoLoginNeeded(profile: String, reason: String)
    /// No region anywhere.
    case noRegion(profile: String)
    /// A region value that cannot be a region name (it would end up in a host name).
    case invalidRegion(value: String, source: ConfigurationSource)
    /// An endpoint URL that is not `http(s)://host[:port][/path]`.
    case invalidEndpointURL(value: String, source: ConfigurationSource)
    /// A config or credentials file that cannot be parsed.
    case malformedFile(path: String, line: Int, reason: String)
    /// A config or credentials file that exists but cannot be read.
    case unreadableFile(path: String, reason: String)
    /// The instance metadata service answered, but not with usable credentials.
    case instanceMetadata(reason: String)

    public var description: String {
        switch self {
        case .profileNotFound(let profile, let source, let files):
            let looked = files.isEmpty ? "no config files were found (no home directory)" : "looked in " + files.joined(separator: " and ")
            return "The AWS profile \"\(profile)\" (\(source.phrase)) does not exist: \(looked)."
        case .noCredentials(let profile, let checked):
            return "No AWS credentials found (checked \(checked.joined(separator: ", ")) for profile \"\(profile)\"): "
                + "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws configure`, or use `--profile`."
        case .incompleteCredentials(let present, let missing, let source):
            return "\(present) is set but \(missing) is not (\(source.description)): set both or neither."
        case .invalidProfile(let profile, let problem, let fix):
            return "The AWS profile \"\(profile)\" \(problem): \(fix)."
        case .sourceProfileLoop(let profiles):
            return "The AWS profiles \(profiles.joined(separator: " → ")) form a loop through source_profile: "
                + "end the chain at a profile with keys, SSO or credential_process, or use credential_source."
        case .mfaNeedsTerminal(let profile, let serial):
            return "The AWS profile \"\(profile)\" assumes its role with the MFA device \(serial), whose code can only be typed on a terminal "
                + "and there is none: run ncaas from a terminal, or export temporary keys first "
                + "(`aws configure export-credentials --profile \(profile) --format env`)."
        case .credentialSourceFailed(let source, let reason, let fix):
            return "No AWS credentials from \(source): \(reason); \(fix)."
        case .ssoLoginNeeded(let profile, let reason):
            return "The SSO login of AWS profile \"\(profile)\" \(reason): run `aws sso login --profile \(profile)`, then try again."
        case .noRegion(let profile):
            return "No AWS region configured: pass --region, set AWS_REGION, add `region` to profile \"\(profile)\" "
                + "(`aws configure set region us-east-1`), or set REGION in the blueprint."
        case .invalidRegion(let value, let source):
            return "The region \"\(Self.printable(value))\" (\(source.phrase)) is not a valid AWS region name."
        case .invalidEndpointURL(let value, let source):
            return "The endpoint URL \"\(Self.printable(value))\" (\(source.phrase)) is not an http:// or https:// URL with a host."
        case .malformedFile(let path, let line, let reason):
            return "Cannot parse \(path) at line \(line): \(reason)."
        case .unreadableFile(let path, let reason):
            return "Cannot read \(path): \(reason)."
        case .instanceMetadata(let reason):
            return "The EC2 instance metadata service did not return usable credentials: \(reason)."
        }
    }

    public var errorDescription: String? { description }

    /// Caps what a message repeats of a user-supplied value.
    private static func printable(_ value: String) -> String {
        value.count > 80 ? String(value.prefix(80)) + "…" : value
    }
}
