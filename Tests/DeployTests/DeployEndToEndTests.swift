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

    func testAMissingAffiliateUserIsRefusedBeforeAnyChange() throws {
        XCTAssertThrowsError(try deploy(DeployFixtures.blueprintText(name: "missing-user", affiliates: [("lab", ["nobody"])]))) { error in
            XCTAssertEqual(error as? DeployError, .missingUsers(affiliate: "lab", users: ["nobody"]))
            XCTAssertTrue("\(error)".contains("'nobody'"))
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
