import AWS
import Foundation
import TestSupport
import XCTest

/// The moto harness really enforces signatures and IAM policies, and its keys work.
final class MotoServerTests: XCTestCase {
    private let transport = CurlTransport()

    func testAdminKeySignsRequestsThatMotoAccepts() throws {
        let moto = try SharedTransportMoto.server()
        // The AWS CLI is an independent SigV4 client.
        let result = try ProcessRunner.run("aws", ["iam", "get-user", "--output", "json"],
                                           environment: moto.awsEnvironment(moto.adminCredentials), timeout: 60)
        XCTAssertTrue(result.succeeded, result.stderr)
        XCTAssertTrue(result.stdout.contains("\"UserName\": \"\(moto.adminCredentials.userName)\""), result.stdout)
    }

    func testWrongSignatureIsRejectedSoAuthIsOn() throws {
        let moto = try SharedTransportMoto.server()
        let response = try transport.send(TransportTestRequests.badlySignedListUsers(
            endpoint: moto.endpoint, keyId: moto.adminCredentials.accessKeyId))
        XCTAssertEqual(response.status, 403)
        XCTAssertEqual(errorCode(inXML: response.body), "SignatureDoesNotMatch")
    }

    func testUnknownKeyIsRejected() throws {
        let moto = try SharedTransportMoto.server()
        let response = try transport.send(TransportTestRequests.badlySignedListUsers(
            endpoint: moto.endpoint, keyId: "AKIAIOSFODNN7EXAMPLE"))
        XCTAssertEqual(response.status, 403)
        XCTAssertEqual(errorCode(inXML: response.body), "InvalidClientTokenId")
    }

    func testCreatedUserIsAllowedOnlyWhatItsPolicySays() throws {
        let moto = try SharedTransportMoto.server()
        let user = try moto.createUser(
            named: "reader-\(UUID().uuidString.prefix(8))",
            policy: MotoServer.allowPolicy(actions: ["s3:ListAllMyBuckets"]))
        XCTAssertNotEqual(user.accessKeyId, moto.adminCredentials.accessKeyId)

        let allowed = try ProcessRunner.run("aws", ["s3api", "list-buckets"], environment: moto.awsEnvironment(user), timeout: 60)
        XCTAssertTrue(allowed.succeeded, allowed.stderr)

        let denied = try ProcessRunner.run("aws", ["iam", "list-users"], environment: moto.awsEnvironment(user), timeout: 60)
        XCTAssertFalse(denied.succeeded)
        XCTAssertTrue(denied.stderr.contains("AccessDenied"), denied.stderr)
    }

    func testCreatingAUserWithABadPolicyReportsMotosReason() throws {
        let moto = try SharedTransportMoto.server()
        XCTAssertThrowsError(try moto.createUser(named: "bad-\(UUID().uuidString.prefix(8))", policy: "not json")) { error in
            XCTAssertTrue("\(error)".contains("MalformedPolicyDocument"), "\(error)")
        }
    }

    func testStopEndsTheServer() throws {
        let moto = try MotoServer()
        XCTAssertEqual(try transport.send(TransportTestRequests.motoData(endpoint: moto.endpoint)).status, 200)
        moto.stop()
        XCTAssertTransportError(try transport.send(TransportTestRequests.motoData(endpoint: moto.endpoint)), kind: .cannotConnect)
    }
}

/// The small process and port helpers.
final class ProcessRunnerTests: XCTestCase {
    func testCapturesOutputAndExitCode() throws {
        let result = try ProcessRunner.run("sh", ["-c", "read line; echo \"out:$line\"; echo err >&2; exit 3"],
                                           input: Data("given\n".utf8), timeout: 10)
        XCTAssertEqual(result.exitCode, 3)
        XCTAssertEqual(result.stdout, "out:given\n")
        XCTAssertEqual(result.stderr, "err\n")
        XCTAssertFalse(result.timedOut)
        XCTAssertFalse(result.succeeded)
    }

    func testTimeoutStopsTheCommand() throws {
        let started = Date()
        let result = try ProcessRunner.run("sleep", ["30"], timeout: 0.5)
        XCTAssertTrue(result.timedOut)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    func testFreePortCanBeBoundAgain() throws {
        let port = try FreePort.next()
        XCTAssertGreaterThan(port, 1023)
        // Nothing listens there: a connection is refused.
        XCTAssertTransportError(try CurlTransport().send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/")), kind: .cannotConnect)
    }
}
