import Foundation

extension AWSClient {
    /// A client that uses a resolved configuration: its region, its credentials and every
    /// configured endpoint (services without one go to AWS's public endpoint).
    /// - Parameter refreshing: where credentials come from before every attempt, so temporary
    ///   ones are renewed (default: the configuration's own, when its credentials expire).
    public init(configuration: AWSConfiguration, transport: any HTTPTransport, retryPolicy: RetryPolicy = .standard,
                refreshing: RefreshingCredentials? = nil) {
        if let refreshing = refreshing ?? configuration.refreshing {
            self.init(region: configuration.region.value, credentialsProvider: { try refreshing.credentials() },
                      transport: transport, endpoint: nil, serviceEndpoints: configuration.customEndpointURLs,
                      retryPolicy: retryPolicy)
        } else {
            self.init(region: configuration.region.value, credentials: configuration.credentials.credentials,
                      transport: transport, endpoint: nil, serviceEndpoints: configuration.customEndpointURLs,
                      retryPolicy: retryPolicy)
        }
    }
}
