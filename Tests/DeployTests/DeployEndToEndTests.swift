import AWS
import Deploy
import Foundation
import SigV4
import TestSupport
import XCTest

/// deploy → update one field → deploy again → an affiliate's own key at work → teardown, on
/// moto with signature and IAM checks on.
///
/// moto 5.2 notes: its CloudFormation skips groups, group membership, the queue policy and the
/// bucket notification (deploy sets them through the service APIs and says so), gives stacks
/// made by change sets no outputs (deploy derives them from the stack's resources), and
/// rejects signed S3 requests whose query values contain "/" — so no test lists by prefix.
final class DeployEndToEndTests: XCTestCase {
    private var server: MotoServer!
    private var admin: AWSClient!

    override func setUpWithError() throws {
        server = try MotoServer()
        admin = client(server.adminCredentials)
    }

    override func tearDown() {
        server?.stop()
    }

    private func client(_ credentials: MotoCredentials) -> AWSClient { server.client(credentials) }

    /// An IAM user with no permissions of its own, and its key.
    private func affiliateUser(_ name: String) throws -> MotoCredentials {
        // The harness needs a policy; one that allows nothing of S3 adds nothing.
        try server.createUser(named: name, policy: MotoServer.allowPolicy(actions: ["sts:GetCallerIdentity"]))
    }

    private func deploy(_ text: String, _ options: StackDeployer.Options = .init(), events: ((DeployProgress) -> Void)? = nil) throws -> StackDeployer.Result {
        try StackDeployer(client: admin, template: DeployFixtures.template(text), progress: events).deploy(options)
    }

    func testDeployUpdateRedeployUseAndTeardown() throws {
        let ann = try affiliateUser("ann")
        _ = try affiliateUser("ben")
        let name = "e2e-analysis"
        let labs: [(name: String, users: [String])] = [("lab-a", ["ann"]), ("lab-b", ["ben"])]

        // Create.
        var seen: [String] = []
        let created = try deploy(DeployFixtures.blueprintText(name: name, affiliates: labs)) { progress in
            if case .stackEvent(let event) = progress { seen.append("\(event.logicalResourceId) \(event.resourceStatus)") }
        }
        XCTAssertEqual(created.action, .created)
        XCTAssertEqual(created.status, "CREATE_COMPLETE")
        XCTAssertTrue(created.changes.added.contains { $0.logicalResourceId == StackTemplate.Resource.bucket })
        XCTAssertTrue(seen.contains("\(name) CREATE_COMPLETE"), "stack events were streamed: \(seen)")
        XCTAssertEqual(Set(created.folderMarkers), Set(["lab-a", "lab-b"].flatMap { lab in StackNaming.affiliateFolders.map { "\(lab)/\($0)" } }))
        let queueURL = try XCTUnwrap(created.outputs.first { $0.key == StackTemplate.Output.queueURL }?.value)

        // What jobs depend on is in place, whoever set it.
        let notifications = try admin.s3.getBucketNotificationConfiguration(bucket: name)
        XCTAssertEqual(Set(notifications.compactMap(\.prefix)), ["lab-a/submissions/", "lab-b/submissions/"])
        XCTAssertTrue(notifications.allSatisfy { $0.suffix == "submit.json" })
        let policy = try admin.sqs.getQueueAttributes(queueURL: queueURL, names: ["Policy"])["Policy"] ?? ""
        XCTAssertTrue(policy.contains("arn:aws:s3:::\(name)"), policy)
        XCTAssertEqual(try admin.iam.listGroupsForUser(userName: "ann").map(\.groupName), ["\(name)-lab-a"])

        // Update one field: only the deployed configuration changes.
        let updated = try deploy(DeployFixtures.blueprintText(name: name, affiliates: labs, instanceType: "m5.xlarge"))
        XCTAssertEqual(updated.action, .updated)
        XCTAssertEqual(updated.changes.modified.map(\.logicalResourceId), [StackTemplate.Resource.configParameter])
        XCTAssertTrue(updated.changes.added.isEmpty && updated.changes.removed.isEmpty && updated.changes.replaced.isEmpty)
        XCTAssertTrue(updated.converged.isEmpty, "nothing drifted: \(updated.converged)")

        // Again: no changes is success.
        let again = try deploy(DeployFixtures.blueprintText(name: name, affiliates: labs, instanceType: "m5.xlarge"))
        XCTAssertEqual(again.action, .unchanged)
        XCTAssertTrue(again.changes.isEmpty)

        // Ann, with her own key: her inputs yes, lab-b's no, a submission reaches the queue.
        let annS3 = client(ann).s3
        XCTAssertNoThrow(try annS3.putObject(bucket: name, key: "lab-a/inputs/data.csv", data: Data("1,2\n".utf8)))
        XCTAssertThrowsError(try annS3.putObject(bucket: name, key: "lab-b/inputs/data.csv", data: Data("x".utf8))) { error in
            XCTAssertEqual((error as? AWSError)?.code, "AccessDenied", "\(error)")
        }
        XCTAssertThrowsError(try annS3.putObject(bucket: name, key: "lab-a/results/forged.txt", data: Data("x".utf8)))
        try annS3.putObject(bucket: name, key: "lab-a/submissions/run1submit.json", data: Data("{\"dataname\": \"lab-a/inputs/data.csv\"}".utf8))
        let messages = try admin.sqs.receiveMessages(queueURL: queueURL, maxMessages: 10, waitTimeSeconds: 2)
        // S3 event records carry the key URL-encoded.
        XCTAssertTrue(messages.contains { $0.body.removingPercentEncoding?.contains("\"lab-a/submissions/run1submit.json\"") == true },
                      "\(messages.map(\.body))")
        try annS3.putObject(bucket: name, key: "lab-a/submissions/notes.txt", data: Data("x".utf8))
        let others = try admin.sqs.receiveMessages(queueURL: queueURL, maxMessages: 10, waitTimeSeconds: 1)
        XCTAssertFalse(others.contains { $0.body.removingPercentEncoding?.contains("notes.txt") == true }, "only submit.json objects start jobs")

        // Teardown keeps the bucket and its data.
        let teardown = try StackTeardown(client: admin, template: DeployFixtures.template(DeployFixtures.blueprintText(name: name, affiliates: labs)))
        let kept = try teardown.run(deleteData: false)
        XCTAssertTrue(kept.stackDeleted)
        XCTAssertTrue(kept.bucketKept)
        XCTAssertNil(try admin.cloudFormation.describeStack(name))
        XCTAssertNotNil(try admin.s3.objectInfo(bucket: name, key: "lab-a/inputs/data.csv"))
        XCTAssertTrue(try admin.iam.listGroupsForUser(userName: "ann").isEmpty, "the group deploy made is gone")
        XCTAssertTrue(try admin.iam.listUserPolicies(userName: "ann").allSatisfy { !$0.hasPrefix(name) })

        // A new create refuses the kept bucket before changing anything.
        XCTAssertThrowsError(try deploy(DeployFixtures.blueprintText(name: name, affiliates: labs))) { error in
            XCTAssertEqual(error as? DeployError, .bucketTaken(name))
        }
        XCTAssertNil(try admin.cloudFormation.describeStack(name))

        // --delete-data removes the bucket and everything in it.
        let deleted = try teardown.run(deleteData: true)
        XCTAssertFalse(deleted.stackDeleted)
        XCTAssertTrue(deleted.bucketDeleted)
        XCTAssertGreaterThanOrEqual(deleted.objectsDeleted, 9)
        XCTAssertFalse(try admin.s3.bucketExists(name))
    }

    func testDryRunShowsTheChangesAndLeavesNothing() throws {
        let preview = try deploy(DeployFixtures.blueprintText(name: "dry-run-only", affiliates: []), .init(dryRun: true))
        XCTAssertEqual(preview.action, .previewed)
        XCTAssertTrue(preview.changes.added.contains { $0.logicalResourceId == StackTemplate.Resource.jobQueue })
        XCTAssertFalse(try admin.s3.bucketExists("dry-run-only"))
        let stack = try admin.cloudFormation.describeStack("dry-run-only")
        XCTAssertTrue(stack == nil || stack?.status == "REVIEW_IN_PROGRESS" || stack?.status == "DELETE_COMPLETE", "\(String(describing: stack))")
    }

    func testEveryMissingAffiliateUserIsNamedAtOnceBeforeAnyChange() throws {
        let text = DeployFixtures.blueprintText(name: "missing-user", affiliates: [("lab", ["nobody", "noone"]), ("otherlab", ["ghost"])])
        XCTAssertThrowsError(try deploy(text)) { error in
            XCTAssertEqual(error as? DeployError, .missingUsers(analysis: "missing-user", [AffiliateUsers.Missing(affiliate: "lab", users: ["nobody", "noone"]),
                                                                                        AffiliateUsers.Missing(affiliate: "otherlab", users: ["ghost"])]))
            XCTAssertEqual("\(error)", "UXData.Affiliates names 3 IAM users that do not exist (lab: 'nobody', 'noone'; otherlab: 'ghost'): create them with "
                           + "`ncaas affiliates add missing-user lab nobody noone` and `ncaas affiliates add missing-user otherlab ghost`, "
                           + "or remove them from UXData.Affiliates; nothing was deployed.")
            XCTAssertEqual((error as? DeployError)?.exitCode, 65)
        }
        XCTAssertNil(try admin.cloudFormation.describeStack("missing-user"))
        XCTAssertFalse(try admin.s3.bucketExists("missing-user"))
    }

    func testMissingPermissionsSayWhichCallAndChangeNothing() throws {
        let template = try DeployFixtures.template(DeployFixtures.blueprintText(name: "no-rights", affiliates: []))
        let noS3 = try server.createUser(named: "no-s3", policy: MotoServer.allowPolicy(actions: ["cloudformation:*"]))
        XCTAssertThrowsError(try StackDeployer(client: client(noS3), template: template).deploy(.init())) { error in
            XCTAssertEqual(error as? DeployError, .bucketForbidden("no-rights"))
        }
        let noChangeSets = try server.createUser(named: "no-change-sets", policy: MotoServer.allowPolicy(
            actions: ["cloudformation:DescribeStacks", "cloudformation:ValidateTemplate", "s3:*", "iam:GetUser"]))
        XCTAssertThrowsError(try StackDeployer(client: client(noChangeSets), template: template).deploy(.init())) { error in
            let refusal = error as? AWSError
            XCTAssertEqual(refusal?.isAccessDenied, true, "\(error)")
            XCTAssertEqual(refusal?.operation, "CreateChangeSet", "\(error)")
        }
        XCTAssertNil(try admin.cloudFormation.describeStack("no-rights"))
        XCTAssertFalse(try admin.s3.bucketExists("no-rights"))
    }
}

/// A template over CloudFormation's 51,200-byte TemplateBody limit, and a bucket named apart
/// from the PipelineName, on moto with checks on.
final class LargeTemplateAndOwnBucketTests: XCTestCase {
    private var server: MotoServer!

    override func setUpWithError() throws { server = try MotoServer() }
    override func tearDown() { server?.stop() }

    func testATemplateOverTheLimitIsUploadedAndPassedAsTemplateURL() throws {
        let labs = (1...70).map { (name: "affiliate-lab-number-\($0)", users: [String]()) }
        let template = try DeployFixtures.template(DeployFixtures.blueprintText(name: "many-labs", affiliates: labs))
        XCTAssertGreaterThan(template.text.utf8.count, 51_200)
        let transport = CapturingBodies()
        let admin = AWSClient(region: server.region, credentials: SigningCredentials(accessKeyId: server.adminCredentials.accessKeyId,
                                                                                     secretAccessKey: server.adminCredentials.secretAccessKey),
                              transport: transport, endpoint: server.endpoint)
        var steps: [String] = []
        let result = try StackDeployer(client: admin, template: template, progress: { if case .step(let line) = $0 { steps.append(line) } })
            .deploy(.init())
        XCTAssertEqual(result.action, .created)
        let account = try STSClient(admin).getCallerIdentity().account
        let bucket = "ncaas-templates-\(account)-\(server.region)"
        XCTAssertTrue(steps.contains { $0.contains("over CloudFormation's 51200 for a request: uploading it to s3://\(bucket)/many-labs/") }, "\(steps)")
        // A deploy calls CreateChangeSet alone (it validates the template); ValidateTemplate is --dry-run's.
        let calls = transport.bodies.filter { $0.contains("Action=CreateChangeSet") || $0.contains("Action=ValidateTemplate") }
        XCTAssertEqual(calls.count, 1)
        XCTAssertTrue(calls.allSatisfy { $0.contains("Action=CreateChangeSet") })
        for call in calls {
            XCTAssertTrue(call.contains("TemplateURL=https%3A%2F%2F\(bucket).s3.\(server.region).amazonaws.com%2Fmany-labs%2F"), String(call.prefix(300)))
            XCTAssertFalse(call.contains("TemplateBody="))
        }
        XCTAssertEqual(try admin.s3.listObjectsV2(bucket: bucket).objects.count, 1)
        XCTAssertTrue(try admin.s3.bucketExists("many-labs"))
    }

    func testAnOwnBucketNameIsDeployedAndAffiliatesUseIt() throws {
        let admin = server.client(server.adminCredentials)
        let ann = try server.createUser(named: "ann", policy: MotoServer.allowPolicy(actions: ["sts:GetCallerIdentity"]))
        var text = DeployFixtures.blueprintText(name: "own-bucket", affiliates: [("lab", ["ann"])])
        text = text.replacingOccurrences(of: "\"REGION\": \"us-east-1\",", with: "\"REGION\": \"us-east-1\",\n  \"ncaas\": {\"bucket\": \"own-bucket-data-1\"},")
        let result = try StackDeployer(client: admin, template: DeployFixtures.template(text)).deploy(.init())
        XCTAssertEqual(result.outputs.first { $0.key == StackTemplate.Output.bucket }?.value, "own-bucket-data-1")
        XCTAssertTrue(try admin.s3.bucketExists("own-bucket-data-1"))
        XCTAssertFalse(try admin.s3.bucketExists("own-bucket"), "no bucket is named after the PipelineName")
        XCTAssertEqual(result.folderMarkers.first, "lab/inputs/")
        XCTAssertNotNil(try admin.s3.objectInfo(bucket: "own-bucket-data-1", key: "lab/inputs/"))
        let notifications = try admin.s3.getBucketNotificationConfiguration(bucket: "own-bucket-data-1")
        XCTAssertEqual(notifications.count, 1, "submissions to the named bucket reach the job queue")
        // The affiliate's grant is on the named bucket.
        try server.client(ann).s3.putObject(bucket: "own-bucket-data-1", key: "lab/inputs/data.csv", data: Data("1\n".utf8))

        let teardown = try StackTeardown(client: admin, template: DeployFixtures.template(text)).run(deleteData: true)
        XCTAssertTrue(teardown.bucketDeleted)
        XCTAssertEqual(teardown.bucketName, "own-bucket-data-1")
        XCTAssertFalse(try admin.s3.bucketExists("own-bucket-data-1"))
    }
}

/// Curl, remembering every request body (to see which template parameter was sent).
private final class CapturingBodies: HTTPTransport, @unchecked Sendable {
    private let inner = CurlTransport()
    private let lock = NSLock()
    private var list: [String] = []
    var bodies: [String] { lock.withLock { list } }

    func send(_ request: HTTPRequest, sink: HTTPResponseSink) throws -> HTTPResponse {
        if case .bytes(let data) = request.body { lock.withLock { list.append(String(decoding: data, as: UTF8.self)) } }
        return try inner.send(request, sink: sink)
    }
}
