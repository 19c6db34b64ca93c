import Foundation
import XCTest
@testable import AWS
import SigV4
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A moto server for one test class and the clients that talk to it.
///
/// Normally it is the harness's `MotoServer`: signature and IAM checks on, and an admin key
/// bootstrapped in the first unauthenticated calls. With `checksAuth: false` it is a plain
/// moto, for the few requests moto cannot verify (see `S3KeyEncodingTests`).
final class MotoFixture: @unchecked Sendable {
    private let server: MotoServer?
    private let plainProcess: Process?
    let endpoint: String
    /// The region clients use; us-west-2 so that S3 needs a LocationConstraint.
    let region: String
    let admin: SigningCredentials
    /// The IAM user the admin key belongs to ("" without auth checks).
    var adminUserName: String { server?.adminCredentials.userName ?? "" }
    let transport = CurlTransport()

    init(region: String = "us-west-2", checksAuth: Bool = true) throws {
        self.region = region
        if checksAuth {
            let server = try MotoServer()
            self.server = server
            plainProcess = nil
            endpoint = server.endpoint
            admin = SigningCredentials(accessKeyId: server.adminCredentials.accessKeyId,
                                       secretAccessKey: server.adminCredentials.secretAccessKey)
        } else {
            let port = try FreePort.next()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            server = nil
            plainProcess = process
            endpoint = "http://127.0.0.1:\(port)"
            admin = SigningCredentials(accessKeyId: "AKIAUNCHECKED0000000", secretAccessKey: "unchecked")
            try MotoFixture.waitForListener(port: port, process: process)
        }
    }

    deinit { stop() }

    func stop() {
        server?.stop()
        if let plainProcess, plainProcess.isRunning {
            plainProcess.terminate()
            plainProcess.waitUntilExit()
        }
    }

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

    /// Waits (up to 30 s) until something accepts connections on the port.
    private static func waitForListener(port: Int, process: Process) throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if connected == 0 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw NSError(domain: "MotoFixture", code: 1, userInfo: [NSLocalizedDescriptionKey: "moto did not start on port \(port)"])
    }
}
