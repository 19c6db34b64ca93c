import Foundation

/// The objects an S3 event notification (the body of a job-queue message) says were created.
public enum S3EventNotification {
    public struct Object: Sendable, Equatable {
        public var bucket: String
        public var key: String
        /// The object's ETag as the event gives it (no quotes), when it does.
        public var eTag: String? = nil
    }

    /// The created objects; empty for S3's test event or a body that is not an S3 event.
    public static func createdObjects(in body: String) -> [Object] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let records = object["Records"] as? [[String: Any]] else { return [] }
        return records.compactMap { record in
            guard (record["eventName"] as? String)?.hasPrefix("ObjectCreated") ?? false,
                  let s3 = record["s3"] as? [String: Any],
                  let bucket = (s3["bucket"] as? [String: Any])?["name"] as? String,
                  let key = (s3["object"] as? [String: Any])?["key"] as? String else { return nil }
            // Keys arrive URL-encoded, with `+` for a space.
            let decoded = key.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? key
            let eTag = ((s3["object"] as? [String: Any])?["eTag"] as? String).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            return Object(bucket: bucket, key: decoded, eTag: eTag)
        }
    }

    /// `(group, key)` when `key` is a submission: `<group>/submissions/...submit.json`.
    public static func submission(_ key: String) -> String? {
        let parts = key.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[1] == "submissions", key.hasSuffix("submit.json") else { return nil }
        return String(parts[0])
    }
}
