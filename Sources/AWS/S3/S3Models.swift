import Foundation

/// What HeadObject/GetObject report about an object.
public struct S3ObjectInfo: Sendable, Equatable {
    public var contentLength: Int64
    public var eTag: String?
    public var contentType: String?
    public var lastModified: String?
    /// User metadata (`x-amz-meta-*`), keys lower-cased without the prefix.
    public var metadata: [String: String]

    /// `lastModified` as a date (S3 sends an HTTP date, `Wed, 04 Dec 2026 10:00:00 GMT`).
    public var lastModifiedDate: Date? {
        guard let lastModified else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: lastModified)
    }

    init(_ response: HTTPResponse) {
        contentLength = response.header("Content-Length").flatMap { Int64($0) } ?? Int64(response.body.count)
        eTag = response.header("ETag")
        contentType = response.header("Content-Type")
        lastModified = response.header("Last-Modified")
        var metadata: [String: String] = [:]
        for header in response.headers where header.name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(header.name.lowercased().dropFirst("x-amz-meta-".count))] = header.value
        }
        self.metadata = metadata
    }
}

/// An object in a listing.
public struct S3Object: Sendable, Equatable {
    public var key: String
    public var size: Int64
    public var eTag: String?
    public var lastModified: String?
}

/// One page of ListObjectsV2.
public struct S3ListPage: Sendable, Equatable {
    public var objects: [S3Object]
    /// With a delimiter: the "folders" under the prefix.
    public var commonPrefixes: [String]
    public var nextContinuationToken: String?
}

/// Everything under a prefix, all pages merged.
public struct S3Listing: Sendable, Equatable {
    public var objects: [S3Object]
    public var commonPrefixes: [String]
}

/// S3 → SQS notification for object events, optionally limited by key prefix and suffix.
public struct S3QueueConfiguration: Sendable, Equatable {
    public var id: String?
    /// The queue's ARN.
    public var queueArn: String
    /// e.g. "s3:ObjectCreated:*".
    public var events: [String]
    public var prefix: String?
    public var suffix: String?

    public init(id: String? = nil, queueArn: String, events: [String], prefix: String? = nil, suffix: String? = nil) {
        self.id = id
        self.queueArn = queueArn
        self.events = events
        self.prefix = prefix
        self.suffix = suffix
    }
}
