/// Amazon SQS (query protocol, API 2012-11-05).
///
/// Queue URLs handed out by SQS or CloudFormation carry AWS's host name; when an endpoint is
/// configured, every queue is addressed through it (path kept, scheme and host replaced).
public struct SQSClient: Sendable {
    public let client: AWSClient

    public init(_ client: AWSClient) {
        self.client = client
    }

    /// Where requests for a queue are sent.
    public func requestURL(forQueue queueURL: String) throws -> String {
        guard client.hasCustomEndpoint(.sqs) else { return queueURL }
        return try client.endpointURL(for: .sqs).readdress(queueURL)
    }

    private func call(_ action: String, queueURL: String?, idempotent: Bool,
                      _ fill: (inout QueryParameters) -> Void = { _ in }) throws -> XMLTreeElement {
        var parameters = QueryParameters()
        parameters.set("QueueUrl", queueURL)
        fill(&parameters)
        return try client.queryResult(.sqs, action, parameters, idempotent: idempotent,
                                      url: try queueURL.map(requestURL(forQueue:)))
    }

    /// Creates a queue (or returns the URL of an identical existing one).
    public func createQueue(name: String, attributes: [String: String] = [:]) throws -> String {
        let result = try call("CreateQueue", queueURL: nil, idempotent: true) { p in
            p.set("QueueName", name)
            Self.addAttributes(attributes, to: &p)
        }
        return result.string("QueueUrl") ?? ""
    }

    public func deleteQueue(queueURL: String) throws {
        _ = try call("DeleteQueue", queueURL: queueURL, idempotent: true)
    }

    /// The URL of a queue by name.
    public func getQueueURL(name: String, ownerAccountId: String? = nil) throws -> String {
        let result = try call("GetQueueUrl", queueURL: nil, idempotent: true) { p in
            p.set("QueueName", name)
            p.set("QueueOwnerAWSAccountId", ownerAccountId)
        }
        guard let url = result.string("QueueUrl") else {
            throw AWSClientError(.invalidResponse, "SQS GetQueueUrl replied without a queue URL.")
        }
        return url
    }

    /// Sends a message and returns its id. Not retried once it may have been delivered.
    public func sendMessage(queueURL: String, body: String, delaySeconds: Int? = nil) throws -> String {
        let result = try call("SendMessage", queueURL: queueURL, idempotent: false) { p in
            p.set("MessageBody", body)
            p.set("DelaySeconds", delaySeconds)
        }
        return result.string("MessageId") ?? ""
    }

    /// Receives up to `maxMessages` (1–10), long-polling up to `waitTimeSeconds` (0–20).
    public func receiveMessages(queueURL: String, maxMessages: Int = 1, waitTimeSeconds: Int? = nil,
                                visibilityTimeout: Int? = nil) throws -> [SQSMessage] {
        let result = try call("ReceiveMessage", queueURL: queueURL, idempotent: true) { p in
            p.set("MaxNumberOfMessages", maxMessages)
            p.set("WaitTimeSeconds", waitTimeSeconds)
            p.set("VisibilityTimeout", visibilityTimeout)
            p.set("AttributeName.1", "All")
        }
        return result.children("Message").map(SQSMessage.init)
    }

    public func deleteMessage(queueURL: String, receiptHandle: String) throws {
        _ = try call("DeleteMessage", queueURL: queueURL, idempotent: true) { $0.set("ReceiptHandle", receiptHandle) }
    }

    /// Makes a received message invisible for `visibilityTimeout` more seconds (0 releases it).
    public func changeMessageVisibility(queueURL: String, receiptHandle: String, visibilityTimeout: Int) throws {
        _ = try call("ChangeMessageVisibility", queueURL: queueURL, idempotent: true) { p in
            p.set("ReceiptHandle", receiptHandle)
            p.set("VisibilityTimeout", visibilityTimeout)
        }
    }

    /// Queue attributes by name ("All" for every one).
    public func getQueueAttributes(queueURL: String, names: [String] = ["All"]) throws -> [String: String] {
        let result = try call("GetQueueAttributes", queueURL: queueURL, idempotent: true) { p in
            p.setEC2List("AttributeName", names)
        }
        var attributes: [String: String] = [:]
        for attribute in result.children("Attribute") {
            if let name = attribute.string("Name") { attributes[name] = attribute.string("Value") ?? "" }
        }
        return attributes
    }

    /// Sets queue attributes (e.g. "Policy", "VisibilityTimeout", "RedrivePolicy").
    public func setQueueAttributes(queueURL: String, attributes: [String: String]) throws {
        _ = try call("SetQueueAttributes", queueURL: queueURL, idempotent: true) { Self.addAttributes(attributes, to: &$0) }
    }

    private static func addAttributes(_ attributes: [String: String], to p: inout QueryParameters) {
        for (index, name) in attributes.keys.sorted().enumerated() {
            p.set("Attribute.\(index + 1).Name", name)
            p.set("Attribute.\(index + 1).Value", attributes[name])
        }
    }
}
