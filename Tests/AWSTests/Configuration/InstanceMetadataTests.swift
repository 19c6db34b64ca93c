import AWS
import Foundation
import SigV4
import TestSupport
import XCTest

/// The last step of the credential chain, against moto's instance metadata service.
final class InstanceMetadataTests: XCTestCase {
    nonisolated(unsafe) private static var moto: MotoServer?

    private func motoServer() throws -> MotoServer {
        if let running = Self.moto { return running }
        let started = try MotoServer(checksAuth: false)
        Self.moto = started
        return started
    }

    override class func tearDown() {
        moto?.stop()
        moto = nil
        super.tearDown()
    }

    private func metadataTransport() -> RecordingTransport {
        RecordingTransport(CurlTransport())
    }

    func testRoleCredentialsComeFromIMDSv2WhenNothingElseIsConfigured() throws {
        let moto = try motoServer()
        let home = try ConfigurationTestHome()
        home.variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = moto.endpoint + "/"
        let transport = metadataTransport()
        let resolved = try home.resolver(instanceMetadataTransport: transport).credentials()

        XCTAssertEqual(resolved.credentials, SigningCredentials(accessKeyId: "test-key", secretAccessKey: "test-secret-key",
                                                               sessionToken: "test-session-token"))
        XCTAssertEqual(resolved.source, .instanceMetadata(role: "default-role"))
        let expiration = try XCTUnwrap(resolved.expiration)
        XCTAssertGreaterThan(expiration, Date())
        XCTAssertEqual(transport.requestedURLs, [
            moto.endpoint + "/latest/api/token",
            moto.endpoint + "/latest/meta-data/iam/security-credentials/",
            moto.endpoint + "/latest/meta-data/iam/security-credentials/default-role",
        ])
        XCTAssertFalse(resolved.description.contains("test-secret-key"))
        XCTAssertTrue(resolved.description.contains("instance metadata (role default-role)"), resolved.description)
    }

    func testExpiringCredentialsAreFetchedAgainBeforeTheyExpire() throws {
        let moto = try motoServer()
        let home = try ConfigurationTestHome()
        home.variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = moto.endpoint
        let transport = metadataTransport()
        let resolver = try home.resolver(instanceMetadataTransport: transport)
        let initial = try resolver.credentials()
        let expiration = try XCTUnwrap(initial.expiration)
        let now = LockedDate(expiration.addingTimeInterval(-3600))
        let refreshing = resolver.refreshingCredentials(startingWith: initial, clock: { now.value })

        XCTAssertEqual(try refreshing.credentials().accessKeyId, "test-key")
        XCTAssertEqual(transport.requestedURLs.count, 3, "an hour before expiry nothing is fetched")

        now.value = expiration.addingTimeInterval(-60)
        XCTAssertEqual(try refreshing.resolved().source, .instanceMetadata(role: "default-role"))
        XCTAssertEqual(transport.requestedURLs.count, 6, "a minute before expiry the three IMDS calls run again")
    }

    func testEarlierSourcesMeanIMDSIsNeverAsked() throws {
        let moto = try motoServer()
        let home = try ConfigurationTestHome(credentials: "[default]\naws_access_key_id = AKIDFILE000000000000\naws_secret_access_key = s\n")
        home.variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = moto.endpoint
        let transport = metadataTransport()
        XCTAssertEqual(try home.resolver(instanceMetadataTransport: transport).credentials().credentials.accessKeyId, "AKIDFILE000000000000")
        XCTAssertEqual(transport.requestedURLs, [])
    }

    func testDisabledByEnvironmentIsSkippedEntirely() throws {
        let moto = try motoServer()
        let home = try ConfigurationTestHome()
        home.variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = moto.endpoint
        home.variables["AWS_EC2_METADATA_DISABLED"] = "TRUE"
        let transport = metadataTransport()
        let resolver = try home.resolver(instanceMetadataTransport: transport)
        XCTAssertNil(resolver.instanceMetadata)
        XCTAssertConfigurationError(try resolver.credentials(),
                                    .noCredentials(profile: "default", checked: ["the environment", home.credentialsPath, home.configPath]))
        XCTAssertEqual(transport.requestedURLs, [])
    }

    func testNoMetadataServiceMeansNoCredentialsQuickly() throws {
        let home = try ConfigurationTestHome()
        home.variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:\(try FreePort.next())"
        let started = Date()
        XCTAssertConfigurationError(try home.resolver(instanceMetadataTransport: metadataTransport()).credentials(),
                                    .noCredentials(profile: "default",
                                                   checked: ["the environment", home.credentialsPath, home.configPath, "instance metadata"]))
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
    }

    func testUnusableCredentialsDocumentIsAnError() throws {
        // A metadata service that lists a role but returns a broken document cannot be made
        // from moto, so this one fault is scripted.
        let scripted = ScriptedMetadataService(roleDocument: #"{"Code": "Success", "AccessKeyId": "ASIAEXAMPLE"}"#)
        let home = try ConfigurationTestHome()
        XCTAssertConfigurationError(try home.resolver(instanceMetadataTransport: scripted).credentials(),
                                    .instanceMetadata(reason: "the reply for role ncaas-role has no SecretAccessKey"))

        let failing = ScriptedMetadataService(roleDocument: #"{"Code": "AssumeRoleUnauthorizedAccess"}"#)
        XCTAssertConfigurationError(try home.resolver(instanceMetadataTransport: failing).credentials(),
                                    .instanceMetadata(reason: "role ncaas-role reports AssumeRoleUnauthorizedAccess"))
    }

    func testRefusedTokenMeansNoInstanceMetadata() throws {
        let refusing = ScriptedMetadataService(roleDocument: "{}", tokenStatus: 403)
        XCTAssertNil(try InstanceMetadataClient(transport: refusing).fetchCredentials())
    }
}

/// A metadata service answering from a script: token, one role, and the given document.
private struct ScriptedMetadataService: HTTPTransport {
    var roleDocument: String
    var tokenStatus = 200

    func send(_ request: HTTPRequest, sink: HTTPResponseSink) throws -> HTTPResponse {
        func reply(_ status: Int, _ text: String) -> HTTPResponse {
            HTTPResponse(status: status, headers: [], body: Data(text.utf8))
        }
        switch (request.method, request.url) {
        case ("PUT", let url) where url.hasSuffix("/latest/api/token"):
            return reply(tokenStatus, "scripted-token")
        case ("GET", let url) where url.hasSuffix("/security-credentials/"):
            return reply(request.header("X-aws-ec2-metadata-token") == "scripted-token" ? 200 : 401, "ncaas-role\n")
        case ("GET", let url) where url.hasSuffix("/security-credentials/ncaas-role"):
            return reply(200, roleDocument)
        default:
            return reply(404, "")
        }
    }
}

/// A date tests move by hand.
private final class LockedDate: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Date
    init(_ date: Date) { stored = date }
    var value: Date {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
