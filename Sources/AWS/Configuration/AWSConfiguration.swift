/// Everything needed to talk to AWS: the profile, credentials, region and each service's
/// endpoint, each with where it came from. Printing it never shows a secret.
public struct AWSConfiguration: Sendable, CustomStringConvertible {
    public var profile: Sourced<String>
    public var credentials: ResolvedCredentials
    public var region: Sourced<String>
    /// One entry per `AWSService`.
    public var endpoints: [AWSService: ServiceEndpoint]
    /// Renews temporary credentials before they expire; nil for long-term keys. Clients made
    /// from this configuration sign with what it hands out.
    public var refreshing: RefreshingCredentials?

    public init(profile: Sourced<String>, credentials: ResolvedCredentials, region: Sourced<String>,
                endpoints: [AWSService: ServiceEndpoint], refreshing: RefreshingCredentials? = nil) {
        self.profile = profile
        self.credentials = credentials
        self.region = region
        self.endpoints = endpoints
        self.refreshing = refreshing
    }

    /// The partition of the region (GovCloud, China or commercial).
    public var partition: AWSPartition { AWSPartition(region: region.value) }

    /// The endpoint of a service (AWS's public one when the map lacks it).
    public func endpoint(for service: AWSService) -> ServiceEndpoint {
        endpoints[service] ?? ServiceEndpoint(service: service, url: service.defaultEndpoint(region: region.value),
                                              signingRegion: service.defaultSigningRegion(region: region.value),
                                              source: .builtInDefault)
    }

    /// Endpoints that were configured (not AWS's public ones), by service.
    public var customEndpointURLs: [AWSService: String] {
        endpoints.filter { $0.value.isCustom }.mapValues(\.url)
    }

    /// Several lines: profile, credentials, region, then one line per service.
    public var description: String {
        var lines = ["profile \(profile)", "credentials \(credentials)", "region \(region)"]
        for service in AWSService.allCases {
            lines.append("\(service.rawValue) endpoint \(endpoint(for: service))")
        }
        return lines.joined(separator: "\n")
    }
}
