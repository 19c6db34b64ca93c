import Curl
import Foundation

/// Resolves the profile, credentials, region and per-service endpoints the way the AWS CLI
/// does, recording where each value came from.
///
/// Every input is injected (environment, files, the transport used for instance metadata);
/// `forProcess(overrides:)` is the one place that builds them from the running process.
/// Creating a resolver settles the profile and reads the two shared files; the other values
/// are resolved on request, so `ncaas doctor` can report each one separately.
public struct AWSConfigurationResolver: Sendable {
    public let environment: ConfigurationEnvironment
    public let overrides: ConfigurationOverrides
    /// Nil: instance metadata is not consulted (no transport, or `AWS_EC2_METADATA_DISABLED=true`).
    public let instanceMetadata: InstanceMetadataClient?
    /// The profile in use and what chose it.
    public let profile: Sourced<String>
    /// The transport for STS, the SSO portal and the container credentials endpoint.
    public let credentialsTransport: any HTTPTransport
    /// Asks for an MFA code when a role needs one.
    public let mfaPrompt: any MFACodePrompt
    /// The current time for expiry decisions (SSO tokens, temporary credentials); requests are
    /// signed with their own clock.
    public let clock: @Sendable () -> Date
    let files: SharedConfigFiles

    /// - Parameters:
    ///   - instanceMetadataTransport: the transport for the metadata service (give it a short
    ///     timeout); nil to never consult instance metadata.
    ///   - credentialsTransport: the transport credential sources other than instance metadata
    ///     use (nil: curl with its default timeouts).
    ///   - mfaPrompt: asks for MFA codes (by default on the terminal, refused without one).
    /// - Throws: `AWSConfigurationError` when a shared file cannot be read or parsed, or a
    ///   profile was named explicitly and exists in neither file.
    public init(environment: ConfigurationEnvironment, overrides: ConfigurationOverrides = ConfigurationOverrides(),
                instanceMetadataTransport: (any HTTPTransport)? = nil, credentialsTransport: (any HTTPTransport)? = nil,
                mfaPrompt: any MFACodePrompt = TerminalMFAPrompt(), clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.environment = environment
        self.overrides = overrides
        self.credentialsTransport = credentialsTransport ?? CurlTransport()
        self.mfaPrompt = mfaPrompt
        self.clock = clock
        if let transport = instanceMetadataTransport, !environment.isTrue("AWS_EC2_METADATA_DISABLED") {
            instanceMetadata = InstanceMetadataClient(
                transport: transport,
                endpoint: environment.value("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? InstanceMetadataClient.defaultEndpoint)
        } else {
            instanceMetadata = nil
        }
        files = try SharedConfigFiles(environment: environment)
        profile = Self.profileName(overrides: overrides, environment: environment)
        if profile.source != .builtInDefault, !files.profileExists(profile.value) {
            throw AWSConfigurationError.profileNotFound(profile: profile.value, source: profile.source,
                                                        searchedFiles: files.searchedPaths)
        }
    }

    /// A resolver for this process: its environment, home directory and files, and curl with
    /// a one-second connect timeout for instance metadata.
    public static func forProcess(overrides: ConfigurationOverrides = ConfigurationOverrides()) throws -> AWSConfigurationResolver {
        let metadataTransport = CurlTransport(timeouts: CurlTimeouts(connect: 1, lowSpeedBytesPerSecond: 1, lowSpeedSeconds: 2, total: 3),
                                              maximumIdleHandles: 1)
        return try AWSConfigurationResolver(environment: .process(), overrides: overrides,
                                            instanceMetadataTransport: metadataTransport)
    }

    /// Profile: `--profile`, `NCAAS_PROFILE`, `AWS_PROFILE`, `AWS_DEFAULT_PROFILE`, else `default`.
    static func profileName(overrides: ConfigurationOverrides, environment: ConfigurationEnvironment) -> Sourced<String> {
        if let flag = nonBlank(overrides.profile) {
            return Sourced(flag, source: .flag(ConfigurationOverrides.FlagName.profile))
        }
        for variable in ["NCAAS_PROFILE", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"] {
            if let name = environment.value(variable) { return Sourced(name, source: .environment(variable)) }
        }
        return Sourced("default", source: .builtInDefault)
    }

    /// Everything at once: region, every service's endpoint, then credentials (fetched once;
    /// temporary ones come with the `RefreshingCredentials` that renews them).
    /// - Parameter fallbackRegion: used when nothing else sets a region (the blueprint's REGION).
    public func resolve(fallbackRegion: Sourced<String>? = nil) throws -> AWSConfiguration {
        let region = try region(fallback: fallbackRegion)
        var endpoints: [AWSService: ServiceEndpoint] = [:]
        for service in AWSService.allCases {
            endpoints[service] = try endpoint(for: service, region: region.value)
        }
        let provider = try credentialProvider(region: region.value)
        let refreshing = try RefreshingCredentials(provider: provider, clock: clock)
        let initial = try refreshing.resolved()
        return AWSConfiguration(profile: profile, credentials: initial, region: region, endpoints: endpoints,
                                refreshing: initial.expiration == nil ? nil : refreshing)
    }
}

extension AWSConfigurationResolver {
    /// The value with surrounding whitespace removed; nil when nil or blank.
    static func nonBlank(_ value: String?) -> String? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
