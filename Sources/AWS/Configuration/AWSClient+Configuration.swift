import Foundation

extension AWSClient {
    /// A client that uses a resolved configuration: its region, its credentials and every
    /// configured endpoint (services without one go to AWS's public endpoint).
    public init(configuration: AWSConfiguration, transport: any HTTPTransport, retryPolicy: RetryPolicy = .standard) {
        let credentials = configuration.credentials.credentials
        self.init(region: configuration.region.value, credentials: credentials, transport: transport,
                  endpoint: nil, serviceEndpoints: configuration.customEndpointURLs, retryPolicy: retryPolicy)
    }
}
