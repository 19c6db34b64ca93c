import Foundation
import XCTest
@testable import AWS
import SigV4
#if canImport(Glibc)
import Glibc
#endif

/// A moto server with signature and IAM checks on, and an admin key made through the
/// server's first unauthenticated calls (CreateUser, PutUserPolicy, CreateAccessKey).
/// One per test class: start it in `class func setUp`, stop it in `class func tearDown`.
final class MotoFixture: @unchecked Sendable {
    let process: Process
    let endpoint: String
    let region: String
    let admin: SigningCredentials
    let transport = CurlTransport()

    /// The calls moto serves without checking: the three that make the admin key.
    static let bootstrapCalls = 3

    /// - Parameter checksAuth: false starts moto without signature and IAM checks, for the
    ///   few requests moto cannot verify (see `S3KeyEncodingTests`).
    init(region: String = "us-west-2", checksAuth: Bool = true) throws {
        let port = try MotoFixture.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
        var environment = ProcessInfo.processInfo.environment
        environment["INITIAL_NO_AUTH_ACTION_COUNT"] = checksAuth ? String(MotoFixture.bootstrapCalls) : nil
        environment["AWS_ACCESS_KEY_ID"] = nil
        environment["AWS_SECRET_ACCESS_KEY"] = nil
        process.environment = environment
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(port).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
        self.endpoint = "http://127.0.0.1:\(port)"
        self.region = region
        try MotoFixture.waitForListener(port: port, process: process, log: log.path)

        let bootstrap = AWSClient(region: region, credentials: SigningCredentials(accessKeyId: "AKIDBOOTSTRAP", secretAccessKey: "bootstrap"),
                                  transport: transport, endpoint: endpoint, retryPolicy: .none)
        let iam = IAMClient(bootstrap)
        _ = try iam.createUser(userName: "ncaas-admin")
        try iam.putUserPolicy(userName: "ncaas-admin", policyName: "everything", document: MotoFixture.allowAll)
        let key = try iam.createAccessKey(userName: "ncaas-admin")
        admin = SigningCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey)
    }

    deinit { stop() }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// A client signing with `credentials` (the admin key by default).
    func client(credentials: SigningCredentials? = nil, retryPolicy: RetryPolicy = .standard, endpoint: String? = nil,
                sleep: @escaping @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }) -> AWSClient {
        AWSClient(region: region, credentials: credentials ?? admin, transport: transport, endpoint: endpoint ?? self.endpoint,
                  retryPolicy: retryPolicy, sleep: sleep)
    }

    /// Creates a user whose only permissions are `policy` (a JSON document) and returns its key.
    func credentials(forUser name: String, policy: String) throws -> SigningCredentials {
        let iam = IAMClient(client())
        _ = try iam.createUser(userName: name)
        try iam.putUserPolicy(userName: name, policyName: "\(name)-policy", document: policy)
        let key = try iam.createAccessKey(userName: name)
        return SigningCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey)
    }

    static let allowAll = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#

    /// A TCP port nothing listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw XCTSkip("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw XCTSkip("bind() failed") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits (up to 20 s) until something accepts connections on the port.
    static func waitForListener(port: Int, process: Process, log: String) throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            guard process.isRunning else { break }
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
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw NSError(domain: "MotoFixture", code: 1, userInfo: [NSLocalizedDescriptionKey: "moto did not start on port \(port): \(output)"])
    }
}
