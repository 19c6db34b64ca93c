import AWS
import Foundation

/// AWS clients for a local endpoint, with the local cloud's dummy credentials (moto without
/// signature checks accepts any).
public enum LocalEndpoint {
    public static let accessKeyId = "ncaas-local"
    public static let secretAccessKey = "ncaas-local-secret"

    /// An EC2 client for `endpoint` that gives up quickly when nothing answers.
    public static func ec2(endpoint: String, region: String = MotoService.region,
                           accessKeyId: String = LocalEndpoint.accessKeyId,
                           secretAccessKey: String = LocalEndpoint.secretAccessKey) throws -> EC2Client {
        let resolver = try AWSConfigurationResolver(
            environment: ConfigurationEnvironment(variables: [:], homeDirectory: nil),
            overrides: ConfigurationOverrides(region: region, endpointURL: endpoint,
                                              accessKeyId: accessKeyId, secretAccessKey: secretAccessKey))
        let client = AWSClient(configuration: try resolver.resolve(), transport: CurlTransport(),
                               retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: 0.05))
        return EC2Client(client)
    }
}
