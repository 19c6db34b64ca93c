/// A message received from a queue.
public struct SQSMessage: Sendable, Equatable {
    public var messageId: String
    /// Needed to delete the message or change its visibility.
    public var receiptHandle: String
    public var body: String
    public var md5OfBody: String?
    /// System attributes (e.g. "ApproximateReceiveCount", "SentTimestamp").
    public var attributes: [String: String]

    init(_ e: XMLTreeElement) {
        messageId = e.string("MessageId") ?? ""
        receiptHandle = e.string("ReceiptHandle") ?? ""
        body = e.string("Body") ?? ""
        md5OfBody = e.string("MD5OfBody")
        var attributes: [String: String] = [:]
        for attribute in e.children("Attribute") {
            if let name = attribute.string("Name") { attributes[name] = attribute.string("Value") ?? "" }
        }
        self.attributes = attributes
    }
}
