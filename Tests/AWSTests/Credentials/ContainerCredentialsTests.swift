import Foundation
import XCTest
@testable import AWS
import SigV4
import TestSupport

/// Container credentials (ECS task role, EKS pod identity) from the suite's own endpoint,
/// handing out moto users' keys in turn, so moto's answer shows which fetch signed a call.
final class ContainerCredentialsTests: XCTestCase {
    nonisolated(unsafe) private static var sharedMoto: MotoFixture?
    private var moto: MotoFixture!
    private var server: CredentialEndpointServer!

    override class func tearDown() {
        sharedMoto?.stop()
        sharedMoto = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        if Self.sharedMoto == nil { Self.sharedMoto = try MotoFixture() }
        moto = Self.sharedMoto
        server = try CredentialEndpointServer()
    }

    override func tearDown() {
        server?.stop()
        super.tearDown()
    }

    private func users(_ count: Int) throws -> [(name: String, key: SigningCredentials)] {
        try (1...count).map { index in
            let name = "task-\(index)-\(UUID().uuidString.prefix(8).lowercased())"
            return (name, try moto.credentials(forUser: name, policy: MotoServer.allowPolicy(actions: ["sts:GetCallerIdentity"])))
        }
    }

    func testFullURIWithATokenFileIsFetchedAndRenewedBeforeExpiry() throws {
        let handedOut = try users(2)
        try server.configure(.init(keys: handedOut.map { .init(accessKeyId: $0.key.accessKeyId, secretAccessKey: $0.key.secretAccessKey) },
                                   lifetime: 3600, containerToken: "pod-token-1"))
        let home = try ConfigurationTestHome()
        home.useMoto(moto)
        home.variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.endpoint + "/container/v1/credentials"
        home.variables["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = try home.write("pod-token-1\n", to: "eks-pod-identity-token")
        home.variables["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "ignored-when-the-file-is-set"
        let clock = TestClock()
        let configuration = try home.credentialResolver(clock: clock).resolve()

        XCTAssertEqual(configuration.credentials.source, .container(url: server.endpoint))
        XCTAssertTrue(try moto.callerArn(configuration).hasSuffix(":user/\(handedOut[0].name)"))
        XCTAssertTrue(try moto.callerArn(configuration).hasSuffix(":user/\(handedOut[0].name)"), "valid for an hour: not fetched again")

        clock.advance(minutes: 47)   // 13 minutes left: inside the 15-minute window
        XCTAssertTrue(try moto.callerArn(configuration).hasSuffix(":user/\(handedOut[1].name)"), "the next call signs with the new key")

        let requests = try server.requests()
        XCTAssertEqual(requests.count, 2)
        XCTAssertEqual(requests.map(\.authorization), ["pod-token-1", "pod-token-1"], "the token file wins over the variable")
    }

    func testAWrongTokenIsOneSentence() throws {
        try server.configure(.init(keys: [.init(accessKeyId: "AKIAUNUSED", secretAccessKey: "unused")], containerToken: "right"))
        let home = try ConfigurationTestHome()
        home.variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.endpoint + "/container/creds"
        home.variables["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "wrong"
        XCTAssertConfigurationError(try home.credentialResolver().credentials(),
                                    .credentialSourceFailed(source: "the container credentials endpoint \(server.endpoint)",
                                                            reason: "it answered HTTP 401",
                                                            fix: "check AWS_CONTAINER_CREDENTIALS_FULL_URI and the task's or pod's role"))
        home.variables["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "two\nlines"
        XCTAssertThrowsError(try home.credentialResolver().credentials()) { error in
            XCTAssertTrue("\(error)".contains("its authorization token spans several lines"), "\(error)")
        }
    }

    func testPlainHTTPOnlyToLoopbackOrContainerHosts() throws {
        func allowed(_ url: String) -> Bool { ContainerCredentialProvider.isAllowed(EndpointURL(url)!) }
        XCTAssertTrue(allowed("https://credentials.example.com/role"))
        XCTAssertTrue(allowed("http://127.0.0.1:8080/creds"))
        XCTAssertTrue(allowed("http://127.2.3.4/creds"))
        XCTAssertTrue(allowed("http://localhost:9911/creds"))
        XCTAssertTrue(allowed("http://[::1]:9911/creds"))
        XCTAssertTrue(allowed("http://169.254.170.2/v2/credentials/x"))
        XCTAssertTrue(allowed("http://169.254.170.23/v1/credentials"))
        XCTAssertTrue(allowed("http://[fd00:ec2::23]/v1/credentials"))
        XCTAssertFalse(allowed("http://169.254.169.254/latest"))
        XCTAssertFalse(allowed("http://credentials.example.com/role"))
        XCTAssertFalse(allowed("http://127.0.0.1.example.com/role"))

        let home = try ConfigurationTestHome()
        home.variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://credentials.example.com/role"
        XCTAssertConfigurationError(try home.credentialResolver().credentialProvider(),
                                    .credentialSourceFailed(source: "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                                            reason: "http://credentials.example.com is neither https nor a loopback or container address",
                                                            fix: "use an https:// URL, a loopback address or 169.254.170.2/169.254.170.23"))
    }

    func testARelativeURIGoesToTheECSAgentAndWinsOverAFullURI() throws {
        let home = try ConfigurationTestHome()
        home.variables["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/task-guid"
        home.variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.endpoint + "/container/creds"
        let provider = try home.credentialResolver().credentialProvider()
        XCTAssertEqual(provider.source, .container(url: "http://169.254.170.2"))
        XCTAssertEqual((provider as? ContainerCredentialProvider)?.url, "http://169.254.170.2/v2/credentials/task-guid")
    }
}
