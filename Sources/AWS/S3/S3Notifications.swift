import Foundation

/// Bucket notifications to SQS queues.
extension S3Client {
    /// Replaces the bucket's notification configuration with these queue configurations
    /// (an empty list removes all notifications).
    public func putBucketNotificationConfiguration(bucket: String, queues: [S3QueueConfiguration]) throws {
        var writer = XMLWriter()
        writer.element("NotificationConfiguration", namespace: "http://s3.amazonaws.com/doc/2006-03-01/") { doc in
            for queue in queues {
                doc.element("QueueConfiguration") { q in
                    if let id = queue.id { q.element("Id", text: id) }
                    q.element("Queue", text: queue.queueArn)
                    for event in queue.events { q.element("Event", text: event) }
                    let rules = [("prefix", queue.prefix), ("suffix", queue.suffix)].compactMap { name, value in
                        value.map { (name, $0) }
                    }
                    if !rules.isEmpty {
                        q.element("Filter") { filter in
                            filter.element("S3Key") { s3Key in
                                for (name, value) in rules {
                                    s3Key.element("FilterRule") { rule in
                                        rule.element("Name", text: name)
                                        rule.element("Value", text: value)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        _ = try send("PutBucketNotificationConfiguration", idempotent: true, method: "PUT", bucket: bucket,
                     query: [("notification", nil)], body: .bytes(Data(writer.document.utf8)))
    }

    /// The bucket's queue notification configurations.
    public func getBucketNotificationConfiguration(bucket: String) throws -> [S3QueueConfiguration] {
        let response = try send("GetBucketNotificationConfiguration", idempotent: true, method: "GET", bucket: bucket,
                                query: [("notification", nil)])
        return try xml(response, "GetBucketNotificationConfiguration").children("QueueConfiguration").map { q in
            var prefix: String?
            var suffix: String?
            for rule in q["Filter", "S3Key"]?.children("FilterRule") ?? [] {
                switch rule.string("Name")?.lowercased() {
                case "prefix": prefix = rule.string("Value")
                case "suffix": suffix = rule.string("Value")
                default: break
                }
            }
            return S3QueueConfiguration(id: q.string("Id"), queueArn: q.string("Queue") ?? "",
                                        events: q.children("Event").map(\.text), prefix: prefix, suffix: suffix)
        }
    }
}
