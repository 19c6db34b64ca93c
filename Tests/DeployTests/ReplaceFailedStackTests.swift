import AWS
import Deploy
import Foundation
import SigV4
import TestSupport
import XCTest

/// `--replace` of a stack in ROLLBACK_COMPLETE. moto never rolls back, so a real stack on moto
/// (auth on) is made to look rolled back: DescribeStacks answers ROLLBACK_COMPLETE for it
/// until it is deleted. Everything else — the delete, the bucket, the new stack — is moto's.
final class ReplaceFailedStackTests: XCTestCase {
    /// Forwards to moto; rewrites the stack's status in DescribeStacks replies to
    /// ROLLBACK_COMPLETE until a DeleteStack has been sent.
    final class RolledBackStack: HTTPTransport, @unchecked Sendable {
        private let inner = CurlTransport()
        private let lock = NSLock()
        private var rolledBack = false
        private var sent: [String] = []

        func pretendRolledBack() { lock.withLock { rolledBack = true } }
        var actions: [String] { lock.withLock { sent } }

        func send(_ request: HTTPRequest, sink: HTTPResponseSink) throws -> HTTPResponse {
            var action = ""
            if case .bytes(let body) = request.body {
                action = String(decoding: body, as: UTF8.self).split(separator: "&").first { $0.hasPrefix("Action=") }
                    .map { String($0.dropFirst("Action=".count)) } ?? ""
            }
            let rewrite = lock.withLock { () -> Bool in
                sent.append(action.isEmpty ? "\(request.method) S3" : action)
                if action == "DeleteStack" { rolledBack = false }
                return rolledBack && action == "DescribeStacks"
            }
            var response = try inner.send(request, sink: sink)
            if rewrite {
                response.body = Data(String(decoding: response.body, as: UTF8.self)
                    .replacingOccurrences(of: "<StackStatus>CREATE_COMPLETE</StackStatus>", with: "<StackStatus>ROLLBACK_COMPLETE</StackStatus>").utf8)
            }
            return response
        }
    }

    private var server: MotoServer!
    private var wire: RolledBackStack!
    private var client: AWSClient!

    override func setUpWithError() throws {
        server = try MotoServer()
        wire = RolledBackStack()
        client = AWSClient(region: server.region,
                           credentials: SigningCredentials(accessKeyId: server.adminCredentials.accessKeyId,
                                                           secretAccessKey: server.adminCredentials.secretAccessKey),
                           transport: wire, endpoint: server.endpoint)
    }

    override func tearDown() {
        server?.stop()
    }

    private func deploy(_ name: String, _ options: StackDeployer.Options = .init(), steps: ((String) -> Void)? = nil) throws -> StackDeployer.Result {
        let template = try DeployFixtures.template(DeployFixtures.blueprintText(name: name, affiliates: []))
        return try StackDeployer(client: client, template: template, progress: { if case .step(let line) = $0 { steps?(line) } }).deploy(options)
    }

    func testAFailedStackIsReplacedAndTheEmptyBucketItLeftIsMadeAgain() throws {
        let name = "replace-me"
        XCTAssertEqual(try deploy(name).action, .created)
        let oldId = try XCTUnwrap(client.cloudFormation.describeStack(name)).stackId
        wire.pretendRolledBack()
        XCTAssertEqual(try client.cloudFormation.describeStack(name)?.status, "ROLLBACK_COMPLETE")
        XCTAssertThrowsError(try deploy(name)) { XCTAssertEqual($0 as? DeployError, .rollbackComplete(name)) }

        var steps: [String] = []
        let replaced = try deploy(name, .init(replace: true)) { steps.append($0) }
        XCTAssertTrue(replaced.replacedFailedStack)
        XCTAssertEqual(replaced.action, .created)
        XCTAssertEqual(replaced.status, "CREATE_COMPLETE")
        XCTAssertTrue(steps.contains("deleting the empty bucket \(name) the failed creation left (the new stack makes it again)"), "\(steps)")
        let stack = try XCTUnwrap(client.cloudFormation.describeStack(name))
        XCTAssertEqual(stack.status, "CREATE_COMPLETE")
        XCTAssertNotEqual(stack.stackId, oldId, "a new stack")
        XCTAssertTrue(try client.s3.bucketExists(name))
    }

    func testABucketHoldingDataIsNeverDeletedAndNothingChanges() throws {
        let name = "replace-keeps-data"
        XCTAssertEqual(try deploy(name).action, .created)
        let data = Data("results of a week\n".utf8)
        _ = try client.s3.putObject(bucket: name, key: "lab/results/run1.csv", data: data)
        wire.pretendRolledBack()

        XCTAssertThrowsError(try deploy(name, .init(replace: true))) { error in
            XCTAssertEqual(error as? DeployError, .failedStackBucketHoldsData(stack: name, bucket: name))
            XCTAssertTrue("\(error)".contains("nothing was changed"), "\(error)")
            XCTAssertEqual((error as? DeployError)?.exitCode, 75)
        }
        XCTAssertFalse(wire.actions.contains("DeleteStack"), "\(wire.actions)")
        XCTAssertFalse(wire.actions.contains("DELETE S3"), "\(wire.actions)")
        XCTAssertEqual(try client.s3.getObject(bucket: name, key: "lab/results/run1.csv"), data)
        XCTAssertNotNil(try client.cloudFormation.describeStack(name), "the failed stack is still there")
    }
}
