import XCTest
@testable import AWS

/// SQS against moto with signature and IAM checks on.
final class SQSTests: MotoTestCase {
    func testSendReceiveHideReleaseAndDelete() throws {
        let sqs = SQSClient(try moto.client())
        let created = try sqs.createQueue(name: "ncaas-jobs", attributes: ["VisibilityTimeout": "30"])
        let queueURL = try sqs.getQueueURL(name: "ncaas-jobs")
        XCTAssertEqual(queueURL, created)
        XCTAssertEqual(try sqs.getQueueAttributes(queueURL: queueURL)["VisibilityTimeout"], "30")

        let body = #"{"dataname": ["a b.csv"], "note": "x & y < z"}"#
        let messageId = try sqs.sendMessage(queueURL: queueURL, body: body)
        let received = try sqs.receiveMessages(queueURL: queueURL, maxMessages: 10, waitTimeSeconds: 1, visibilityTimeout: 60)
        XCTAssertEqual(received.map(\.messageId), [messageId])
        XCTAssertEqual(received.first?.body, body)
        XCTAssertEqual(received.first?.attributes["ApproximateReceiveCount"], "1")
        let handle = try XCTUnwrap(received.first?.receiptHandle)

        // Hidden for 60 s, so nothing is received now.
        XCTAssertEqual(try sqs.receiveMessages(queueURL: queueURL, maxMessages: 10), [])
        // Released again: the same message comes back.
        try sqs.changeMessageVisibility(queueURL: queueURL, receiptHandle: handle, visibilityTimeout: 0)
        let again = try sqs.receiveMessages(queueURL: queueURL, maxMessages: 10, visibilityTimeout: 60)
        XCTAssertEqual(again.map(\.messageId), [messageId])
        XCTAssertEqual(again.first?.attributes["ApproximateReceiveCount"], "2")

        try sqs.deleteMessage(queueURL: queueURL, receiptHandle: try XCTUnwrap(again.first?.receiptHandle))
        XCTAssertEqual(try sqs.receiveMessages(queueURL: queueURL, maxMessages: 10), [])
        XCTAssertEqual(try sqs.getQueueAttributes(queueURL: queueURL, names: ["ApproximateNumberOfMessages"])["ApproximateNumberOfMessages"], "0")
    }

    func testQueueURLsWithAWSHostNamesGoThroughTheConfiguredEndpoint() throws {
        let moto = try moto
        let sqs = SQSClient(moto.client())
        let local = try sqs.createQueue(name: "ncaas-results")
        XCTAssertTrue(local.hasPrefix(moto.endpoint), local)
        let path = local.dropFirst(moto.endpoint.count) // "/123456789012/ncaas-results"
        let awsStyle = "https://sqs.us-west-2.amazonaws.com" + path
        XCTAssertEqual(try sqs.requestURL(forQueue: awsStyle), moto.endpoint + path)
        _ = try sqs.sendMessage(queueURL: awsStyle, body: "through the endpoint")
        let received = try sqs.receiveMessages(queueURL: awsStyle, maxMessages: 1, waitTimeSeconds: 1)
        XCTAssertEqual(received.map(\.body), ["through the endpoint"])
    }

    func testMissingQueueIsAClearError() throws {
        let sqs = SQSClient(try moto.client())
        XCTAssertThrowsError(try sqs.getQueueURL(name: "no-such-queue")) { error in
            let error = error as? AWSError
            XCTAssertEqual(error?.service, .sqs)
            XCTAssertTrue(["AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"].contains(error?.code ?? ""), "\(String(describing: error))")
            XCTAssertTrue(error?.description.hasPrefix("SQS refused GetQueueUrl: ") ?? false)
        }
    }
}
