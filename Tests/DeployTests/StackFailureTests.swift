import AWS
import Deploy
import Foundation
import SigV4
import XCTest

/// Stack states moto cannot produce (its CloudFormation never rolls back): a scripted
/// CloudFormation endpoint, answering each query action with a canned reply.
final class StackFailureTests: XCTestCase {
    /// Answers query-protocol calls by their Action; records the actions in order.
    final class ScriptedEndpoint: HTTPTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var replies: [String: [String]]
        private(set) var actions: [String] = []

        /// `replies[action]` are used in turn; the last one repeats.
        init(_ replies: [String: [String]]) { self.replies = replies }

        func send(_ request: HTTPRequest, sink: HTTPResponseSink) throws -> HTTPResponse {
            guard case .bytes(let body) = request.body,
                  let action = String(decoding: body, as: UTF8.self).split(separator: "&")
                    .first(where: { $0.hasPrefix("Action=") })?.dropFirst("Action=".count) else {
                return HTTPResponse(status: 400, headers: [], body: Data("<ErrorResponse><Error><Code>Unexpected</Code><Message>\(request.method) \(request.url)</Message></Error></ErrorResponse>".utf8))
            }
            lock.lock()
            defer { lock.unlock() }
            actions.append(String(action))
            guard var queue = replies[String(action)], let reply = queue.first else {
                return HTTPResponse(status: 400, headers: [], body: Data("<ErrorResponse><Error><Code>Unexpected</Code><Message>\(action)</Message></Error></ErrorResponse>".utf8))
            }
            if queue.count > 1 { queue.removeFirst(); replies[String(action)] = queue }
            return HTTPResponse(status: 200, headers: [], body: Data("<\(action)Response><\(action)Result>\(reply)</\(action)Result></\(action)Response>".utf8))
        }
    }

    private func stack(_ status: String) -> String {
        "<Stacks><member><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/failing/1</StackId><StackName>failing</StackName><StackStatus>\(status)</StackStatus></member></Stacks>"
    }

    private func event(_ id: String, _ resource: String, _ type: String, _ status: String, _ reason: String = "") -> String {
        "<member><EventId>\(id)</EventId><LogicalResourceId>\(resource)</LogicalResourceId><ResourceType>\(type)</ResourceType><ResourceStatus>\(status)</ResourceStatus><ResourceStatusReason>\(reason)</ResourceStatusReason><Timestamp>2026-01-01T00:00:00Z</Timestamp></member>"
    }

    private func deployer(_ endpoint: ScriptedEndpoint) throws -> StackDeployer {
        let client = AWSClient(region: "us-east-1", credentials: SigningCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret"),
                               transport: endpoint, endpoint: "http://scripted.invalid", retryPolicy: RetryPolicy(maxAttempts: 1),
                               sleep: { _ in })
        return StackDeployer(client: client, template: try DeployFixtures.template(DeployFixtures.blueprintText(name: "failing", affiliates: [])))
    }

    func testRollbackCompleteIsRefusedWithoutReplaceBeforeAnyChange() throws {
        let endpoint = ScriptedEndpoint(["DescribeStacks": [stack("ROLLBACK_COMPLETE")], "ValidateTemplate": [""]])
        XCTAssertThrowsError(try deployer(endpoint).deploy(.init())) { error in
            XCTAssertEqual(error as? DeployError, .rollbackComplete("failing"))
            XCTAssertTrue("\(error)".contains("ncaas deploy failing --replace"), "\(error)")
        }
        XCTAssertFalse(endpoint.actions.contains { ["DeleteStack", "CreateChangeSet", "ExecuteChangeSet"].contains($0) }, "\(endpoint.actions)")
    }

    func testAFailedUpdateNamesTheFirstFailingResourceAndItsReason() throws {
        let stackType = "AWS::CloudFormation::Stack"
        let events = "<StackEvents>"
            + event("e5", "failing", stackType, "UPDATE_ROLLBACK_COMPLETE")
            + event("e4", "JobQueue", "AWS::SQS::Queue", "UPDATE_FAILED", "Resource update cancelled")
            + event("e3", "AnalysisConfigParameter", "AWS::SSM::Parameter", "UPDATE_FAILED", "Value too long")
            + event("e2", "failing", stackType, "UPDATE_IN_PROGRESS", "User Initiated")
            + event("e1", "OldResource", "AWS::SQS::Queue", "CREATE_FAILED", "an earlier operation")
            + "</StackEvents>"
        let changeSet = "<ChangeSetId>cs-1</ChangeSetId><Status>CREATE_COMPLETE</Status><ExecutionStatus>AVAILABLE</ExecutionStatus>"
            + "<Changes><member><ResourceChange><Action>Modify</Action><LogicalResourceId>AnalysisConfigParameter</LogicalResourceId>"
            + "<ResourceType>AWS::SSM::Parameter</ResourceType><Replacement>False</Replacement></ResourceChange></member></Changes>"
        let endpoint = ScriptedEndpoint([
            "DescribeStacks": [stack("UPDATE_COMPLETE"), stack("UPDATE_ROLLBACK_COMPLETE")],
            "ValidateTemplate": [""],
            "CreateChangeSet": ["<Id>cs-1</Id><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/failing/1</StackId>"],
            "DescribeChangeSet": [changeSet],
            "ExecuteChangeSet": [""],
            "DescribeStackEvents": [events],
        ])
        XCTAssertThrowsError(try deployer(endpoint).deploy(.init())) { error in
            XCTAssertEqual(error as? DeployError, .stackFailed(stack: "failing", status: "UPDATE_ROLLBACK_COMPLETE",
                                                               resource: "AnalysisConfigParameter", reason: "Value too long"))
            XCTAssertTrue("\(error)".hasPrefix("Stack failing ended in UPDATE_ROLLBACK_COMPLETE at AnalysisConfigParameter: Value too long."), "\(error)")
        }
    }
}
