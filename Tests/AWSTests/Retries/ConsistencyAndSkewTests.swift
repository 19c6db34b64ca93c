import Foundation
import TestSupport
import XCTest
@testable import AWS

/// What a real cloud does besides failing: EC2 does not show for a moment what it just created,
/// a reply is lost after the work was done, and this machine's clock may be off. Faults injected by
/// the fault proxy between the client and moto (signature and IAM checks on).
final class ConsistencyAndSkewTests: MotoTestCase {
    private var proxy: FaultProxy!

    override func setUpWithError() throws {
        proxy = try FaultProxy(upstream: try moto.endpoint)
    }

    override func tearDownWithError() throws {
        proxy?.stop()
    }

    private func client(maxAttempts: Int = 8, clock: @escaping @Sendable () -> Date = { Date() }) throws -> AWSClient {
        AWSClient(region: try moto.region, credentials: try moto.admin, transport: try moto.transport, endpoint: proxy.endpoint,
                  retryPolicy: RetryPolicy(maxAttempts: maxAttempts, baseDelay: 0.01, maxDelay: 0.05), clock: clock,
                  sleep: { _ in })
    }

    private func notFound(_ code: String, _ action: String) -> FaultProxy.Fault {
        FaultProxy.Fault.error(status: 400, code: code).matching("Action=\(action)")
    }

    /// InvalidGroup.NotFound / InvalidInstanceID.NotFound right after a create are retried with
    /// backoff on CreateTags, AuthorizeSecurityGroupIngress and TerminateInstances.
    func testResourcesNotVisibleYetAreRetried() throws {
        let ec2 = EC2Client(try client())
        let group = try ec2.createSecurityGroup(groupName: "fresh", description: "just made")
        try proxy.setFaults([notFound("InvalidGroup.NotFound", "CreateTags"), notFound("InvalidGroup.NotFound", "CreateTags"),
                             notFound("InvalidGroup.NotFound", "AuthorizeSecurityGroupIngress")])
        try ec2.createTags(resourceIds: [group], tags: [Tag(key: "k", value: "v")])
        try ec2.authorizeSecurityGroupIngress(groupId: group, permissions: [IpPermission(ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrRanges: ["10.0.0.0/8"])])
        let seen = try ec2.describeSecurityGroups(groupIds: [group]).first
        XCTAssertEqual(seen?.tags, [Tag(key: "k", value: "v")])
        XCTAssertEqual(try proxy.requests().map(\.fault).filter { $0 == "error" }.count, 3)

        let image = try XCTUnwrap(ec2.describeImages(owners: ["amazon"], pageLimit: 50).first?.imageId)
        let instance = try XCTUnwrap(ec2.runInstances(RunInstancesInput(imageId: image, instanceType: "t3.nano")).instances.first)
        try proxy.setFaults([notFound("InvalidInstanceID.NotFound", "TerminateInstances"), notFound("InvalidInstanceID.NotFound", "TerminateInstances")])
        XCTAssertEqual(try ec2.terminateInstances([instance.instanceId]).first?.instanceId, instance.instanceId)
        try ec2.waitForInstances([instance.instanceId], toBe: .terminated)
    }

    /// A NotFound that does not go away is reported after the attempts, not retried forever.
    func testAResourceThatStaysMissingIsReported() throws {
        let ec2 = EC2Client(try client(maxAttempts: 3))
        XCTAssertThrowsError(try ec2.createTags(resourceIds: ["sg-00000000000000000"], tags: [Tag(key: "k", value: "v")])) { error in
            XCTAssertEqual((error as? AWSError)?.code, "InvalidGroup.NotFound", "\(error)")
            XCTAssertEqual((error as? AWSError)?.attempts, 3)
        }
    }

    /// A delete or an authorize whose reply was lost after the work was done is retried, and the
    /// "already gone" or "already there" answer is its success, not an error.
    func testALostReplyAfterTheWorkIsSettledByTheRetry() throws {
        let iam = IAMClient(try client())
        _ = try iam.createGroup(groupName: "to-delete")
        try proxy.setFaults([FaultProxy.Fault.resetBody.matching("Action=DeleteGroup")])
        try iam.deleteGroup(groupName: "to-delete")
        XCTAssertEqual(try proxy.requests().filter { $0.target == "/" }.map(\.fault).suffix(2), ["resetBody", "pass"])

        let ec2 = EC2Client(try client())
        let group = try ec2.createSecurityGroup(groupName: "authorized", description: "rules")
        try proxy.setFaults([FaultProxy.Fault.resetBody.matching("Action=AuthorizeSecurityGroupIngress")])
        try ec2.authorizeSecurityGroupIngress(groupId: group, permissions: [IpPermission(ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrRanges: ["10.0.0.0/8"])])
        XCTAssertEqual(try ec2.describeSecurityGroups(groupIds: [group]).first?.ingress.count, 1)

        let s3 = S3Client(try client())
        try s3.createBucket("lost-replies")
        try proxy.setFaults([FaultProxy.Fault.resetBody.matching("PUT /lost-replies/lease")])
        let lease = Data("host a, pid 1, 12:00:00".utf8)
        XCTAssertNotNil(try s3.putObject(bucket: "lost-replies", key: "lease", data: lease, if: .absent), "our write landed: ours, not someone else's")
        XCTAssertNil(try s3.putObject(bucket: "lost-replies", key: "lease", data: Data("host b".utf8), if: .absent), "and it holds")
    }

    /// A waiter's poll that fails (the endpoint busy past the client's own retries) does not end the
    /// wait: it polls again until its own deadline.
    func testAWaiterKeepsPollingThroughFailedPolls() throws {
        let client = try self.client(maxAttempts: 2)
        let ec2 = EC2Client(client)
        try proxy.setFaults(Array(repeating: FaultProxy.Fault.status503().matching("Action=DescribeSecurityGroups"), count: 7))
        var polls = 0
        let groups = try client.wait(for: "the default group", policy: WaiterPolicy(firstDelay: 0, timeout: 30)) { () -> WaiterOutcome<[SecurityGroup]> in
            polls += 1
            return .done(try ec2.describeSecurityGroups(groupNames: ["default"]))
        }
        XCTAssertEqual(groups.count, 1)
        XCTAssertEqual(polls, 4, "three polls failed (two attempts each), the fourth saw the group")

        try proxy.setFaults(Array(repeating: FaultProxy.Fault.error(status: 403, code: "AccessDenied").matching("Action=DescribeSecurityGroups"), count: 1))
        XCTAssertThrowsError(try client.wait(for: "the default group", policy: WaiterPolicy(firstDelay: 0, timeout: 30)) { () -> WaiterOutcome<Int> in
            .done(try ec2.describeSecurityGroups(groupNames: ["default"]).count)
        }) { error in
            XCTAssertEqual((error as? AWSError)?.code, "AccessDenied", "a refusal is not waited out")
        }
    }

    /// A request refused because this machine's clock is an hour off is signed again with the
    /// server's time (its Date header), once; later requests use the correction.
    func testAClockAnHourOffIsCorrectedFromTheServersDate() throws {
        try proxy.checkClock(maxSkew: 900)
        let client = try self.client(clock: { Date().addingTimeInterval(3600) })
        XCTAssertFalse(try STSClient(client).getCallerIdentity().arn.isEmpty)
        XCTAssertFalse(try STSClient(client).getCallerIdentity().arn.isEmpty)
        XCTAssertEqual(try proxy.requestCount(), 3, "one refusal, then two calls with the corrected clock")
        XCTAssertEqual(client.clockOffset.value, -3600, accuracy: 5)
    }

    /// When the refusal persists after the correction, the error says so in a sentence.
    func testAClockRefusalThatPersistsSaysSo() throws {
        let client = try self.client(clock: { Date().addingTimeInterval(-7200) })
        try proxy.setFaults(Array(repeating: FaultProxy.Fault.error(status: 403, code: "RequestTimeTooSkewed"), count: 2))
        XCTAssertThrowsError(try STSClient(client).getCallerIdentity()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("RequestTimeTooSkewed"), text)
            XCTAssertTrue(text.contains("This machine's clock is 120 minutes behind the service's and the request was still refused after correcting for it; set the clock right (for example `sudo timedatectl set-ntp true`) and try again"), text)
        }
        XCTAssertEqual(try proxy.requestCount(), 2, "corrected and retried once, not more")
    }
}
