import XCTest
@testable import AWS

/// CloudFormation against moto with signature and IAM checks on: stacks, change sets,
/// events, resources and the waiters.
final class CloudFormationTests: MotoTestCase {
    private func template(queues: [String], description: String = "ncaas test stack") -> String {
        var resources: [String] = [#""Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Ref": "BucketName"}}}"#]
        var outputs: [String] = [#""BucketOut": {"Value": {"Ref": "Bucket"}}"#]
        for queue in queues {
            resources.append(#""\#(queue)": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "\#(queue.lowercased())"}}"#)
            outputs.append(#""\#(queue)Url": {"Value": {"Ref": "\#(queue)"}}"#)
        }
        return """
        {"AWSTemplateFormatVersion": "2010-09-09", "Description": "\(description)",
         "Parameters": {"BucketName": {"Type": "String", "Description": "where data goes"}},
         "Resources": {\(resources.joined(separator: ", "))},
         "Outputs": {\(outputs.joined(separator: ", "))}}
        """
    }

    func testValidateTemplate() throws {
        let cfn = CloudFormationClient(try moto.client())
        let summary = try cfn.validateTemplate(templateBody: template(queues: ["Jobs"]))
        XCTAssertEqual(summary.description, "ncaas test stack")
        // moto's ValidateTemplate lists no parameters (AWS lists "BucketName"); the parsing
        // of a parameter list is the same code DescribeStacks' parameters go through.
        XCTAssertThrowsError(try cfn.validateTemplate(templateBody: "{not json")) { error in
            XCTAssertEqual((error as? AWSError)?.code, "ValidationError", "\(error)")
        }
    }

    func testCreateWaitDescribeUpdateAndDeleteStack() throws {
        let client = try moto.client()
        let cfn = CloudFormationClient(client)
        let input = StackTemplateInput(stackName: "ncaas-demo", templateBody: template(queues: ["Jobs"]),
                                       parameters: [StackParameter(key: "BucketName", value: "ncaas-demo-data")],
                                       capabilities: ["CAPABILITY_IAM"], tags: [Tag(key: "ncaas:analysis", value: "demo")])
        let stackId = try cfn.createStack(input)
        XCTAssertTrue(stackId.hasPrefix("arn:aws:cloudformation:"), stackId)

        var seen: [String] = []
        let started = Date()
        let stack = try XCTUnwrap(try cfn.waitForStack("ncaas-demo", toReach: "CREATE_COMPLETE", progress: { seen.append($0) }))
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "a stack on moto settles in well under a second")
        XCTAssertEqual(stack.stackId, stackId)
        XCTAssertEqual(stack.parameters, [StackParameter(key: "BucketName", value: "ncaas-demo-data")])
        XCTAssertEqual(stack.output("BucketOut"), "ncaas-demo-data")
        XCTAssertTrue(stack.tags.contains(Tag(key: "ncaas:analysis", value: "demo")))
        let queueURL = try XCTUnwrap(stack.output("JobsUrl"))
        XCTAssertTrue(queueURL.hasPrefix("https://sqs.us-west-2.amazonaws.com/"), "stack outputs carry AWS's host: \(queueURL)")
        XCTAssertTrue(queueURL.hasSuffix("/jobs"), queueURL)

        // The resources exist through the service APIs.
        XCTAssertTrue(try S3Client(client).bucketExists("ncaas-demo-data"))
        XCTAssertFalse(try SQSClient(client).getQueueAttributes(queueURL: queueURL).isEmpty)

        let resources = try cfn.describeStackResources("ncaas-demo")
        XCTAssertEqual(Set(resources.map(\.logicalResourceId)), ["Bucket", "Jobs"])
        XCTAssertTrue(resources.allSatisfy { $0.resourceStatus == "CREATE_COMPLETE" })

        // Newest first; moto records the stack's own events only.
        let events = try cfn.describeStackEvents("ncaas-demo")
        XCTAssertEqual(events.first?.logicalResourceId, "ncaas-demo")
        XCTAssertEqual(events.first?.resourceStatus, "CREATE_COMPLETE")
        XCTAssertTrue(events.contains { $0.resourceStatus == "CREATE_IN_PROGRESS" })

        XCTAssertTrue(try cfn.describeStacks().map(\.stackName).contains("ncaas-demo"))

        var update = input
        update.templateBody = template(queues: ["Jobs", "Results"])
        update.clientRequestToken = ClientToken.make()
        _ = try cfn.updateStack(update)
        let updated = try XCTUnwrap(try cfn.waitForStack("ncaas-demo", toReach: "UPDATE_COMPLETE"))
        XCTAssertNotNil(updated.output("ResultsUrl"))

        try cfn.deleteStack("ncaas-demo")
        // By id a deleted stack is still listed (DELETE_COMPLETE); by name it is gone.
        let deleted = try cfn.waitForStack(stackId, toReach: "DELETE_COMPLETE")
        XCTAssertTrue(deleted == nil || deleted?.status == "DELETE_COMPLETE", "\(String(describing: deleted))")
        let gone = try cfn.describeStack("ncaas-demo")
        XCTAssertTrue(gone == nil || gone?.status == "DELETE_COMPLETE", "\(String(describing: gone))")
    }

    func testChangeSetsCreateDescribeExecuteAndDelete() throws {
        let cfn = CloudFormationClient(try moto.client())
        let input = StackTemplateInput(stackName: "ncaas-changes", templateBody: template(queues: ["Inbox"]),
                                       parameters: [StackParameter(key: "BucketName", value: "ncaas-changes-data")])
        let created = try cfn.createChangeSet(input, changeSetName: "initial", type: .create)
        XCTAssertFalse(created.changeSetId.isEmpty)
        let pending = try cfn.waitForChangeSet("initial", stackName: "ncaas-changes")
        XCTAssertEqual(Set(pending.changes.map(\.logicalResourceId)), ["Bucket", "Inbox"])
        XCTAssertTrue(pending.changes.allSatisfy { $0.action == "Add" })
        try cfn.executeChangeSet("initial", stackName: "ncaas-changes")
        try cfn.waitForStack("ncaas-changes", toReach: "CREATE_COMPLETE")

        var update = input
        update.templateBody = template(queues: ["Inbox", "Outbox"])
        update.clientRequestToken = ClientToken.make()
        _ = try cfn.createChangeSet(update, changeSetName: "add-outbox", type: .update)
        let changeSet = try cfn.waitForChangeSet("add-outbox", stackName: "ncaas-changes")
        XCTAssertTrue(changeSet.changes.contains { $0.logicalResourceId == "Outbox" && $0.action == "Add" }, "\(changeSet.changes)")

        _ = try cfn.createChangeSet(update, changeSetName: "discarded", type: .update)
        try cfn.deleteChangeSet("discarded", stackName: "ncaas-changes")
        XCTAssertThrowsError(try cfn.describeChangeSet("discarded", stackName: "ncaas-changes")) { error in
            // AWS: ChangeSetNotFound; moto: ValidationError.
            XCTAssertTrue(["ChangeSetNotFound", "ValidationError"].contains((error as? AWSError)?.code ?? ""), "\(error)")
        }

        try cfn.executeChangeSet("add-outbox", stackName: "ncaas-changes")
        try cfn.waitForStack("ncaas-changes", toReach: "UPDATE_COMPLETE")
        // moto applies the change set's resources but not its new outputs.
        XCTAssertEqual(Set(try cfn.describeStackResources("ncaas-changes").map(\.logicalResourceId)), ["Bucket", "Inbox", "Outbox"])
    }

    func testMissingStackIsNilAndWaitingForItFailsClearly() throws {
        let cfn = CloudFormationClient(try moto.client())
        XCTAssertNil(try cfn.describeStack("no-such-stack"))
        XCTAssertThrowsError(try cfn.waitForStack("no-such-stack", toReach: "CREATE_COMPLETE")) { error in
            XCTAssertEqual((error as? AWSClientError)?.kind, .waiterFailed)
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
    }
}
