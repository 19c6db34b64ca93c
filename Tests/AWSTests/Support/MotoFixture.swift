import Foundation
import XCTest
@testable import AWS
import SigV4
import TestSupport

/// A moto server for one test class and the clients that talk to it.
///
/// Normally it is the harness's `MotoServer`: signature and IAM checks on, and an admin key
/// bootstrapped in the first unauthenticated calls. With `checksAuth: false` it is a plain
/// moto, for the few requests moto cannot verify (see `S3KeyEncodingTests`).
final class MotoFixture: @unchecked Sendable {
    private let server: MotoServer
    let endpoint: String
    /// The region clients use; us-west-2 so that S3 needs a LocationConstraint.
    let region: String
    let admin: SigningCredentials
    /// The IAM user the admin key belongs to ("" without auth checks).
    var adminUserName: String { server.adminCredentials.userName }
    let transport = CurlTransport()

    init(region: String = "us-west-2", checksAuth: Bool = true) throws {
        self.region = region
        server = try MotoServer(checksAuth: checksAuth)
        endpoint = server.endpoint
        admin = SigningCredentials(accessKeyId: server.adminCredentials.accessKeyId,
                                   secretAccessKey: server.adminCredentials.secretAccessKey)
    }

    deinit { stop() }

    func stop() { server.stop() }

    /// A client signing with `credentials` (the admin key by default).
    func client(credentials: SigningCredentials? = nil, retryPolicy: RetryPolicy = .standard, endpoint: String? = nil,
                sleep: @escaping @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }) -> AWSClient {
        AWSClient(region: region, credentials: credentials ?? admin, transport: transport, endpoint: endpoint ?? self.endpoint,
                  retryPolicy: retryPolicy, sleep: sleep)
    }

    /// Creates (through this client's IAM calls) a user whose only permissions are `policy`
    /// (a JSON document) and returns its key.
    func credentials(forUser name: String, policy: String) throws -> SigningCredentials {
        let iam = IAMClient(client())
        _ = try iam.createUser(userName: name)
        try iam.putUserPolicy(userName: name, policyName: "\(name)-policy", document: policy)
        let key = try iam.createAccessKey(userName: name)
        return SigningCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey)
    }
}
