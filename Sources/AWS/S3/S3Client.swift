import Foundation

/// Amazon S3 (REST/XML, SigV4 with the S3 flavor: payload hash in `x-amz-content-sha256`).
///
/// Against a configured endpoint buckets are addressed path-style
/// (`http://127.0.0.1:5000/bucket/key`); against AWS, virtual-host style when the bucket
/// name allows it. Keys are percent-encoded once, slashes kept.
public struct S3Client: Sendable {
    public let client: AWSClient

    public init(_ client: AWSClient) {
        self.client = client
    }

    // MARK: Addressing

    /// The URL of a bucket (key nil) or an object, with an encoded query string.
    public func url(bucket: String, key: String? = nil, query: [(String, String?)] = []) throws -> String {
        let endpoint = try client.endpointURL(for: .s3)
        let keyPath = key.map { "/" + PercentEncoding.encodePath($0) } ?? ""
        let queryString = query.map { name, value in
            PercentEncoding.encode(name) + (value.map { "=" + PercentEncoding.encode($0) } ?? "")
        }.joined(separator: "&")
        if !client.hasCustomEndpoint(.s3), Self.isVirtualHostable(bucket) {
            let host = "\(endpoint.scheme)://\(bucket).\(endpoint.hostHeader)"
            return host + (keyPath.isEmpty ? "/" : keyPath) + (queryString.isEmpty ? "" : "?" + queryString)
        }
        return endpoint.url(path: "/" + PercentEncoding.encode(bucket) + keyPath, query: queryString)
    }

    /// Bucket names that can be a DNS label under the S3 host (no dots: TLS wildcard).
    static func isVirtualHostable(_ bucket: String) -> Bool {
        (3...63).contains(bucket.count) && bucket.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
            && bucket.first != "-" && bucket.last != "-"
    }

    func send(_ operation: String, idempotent: Bool, method: String, bucket: String, key: String? = nil,
              query: [(String, String?)] = [], headers: [(name: String, value: String)] = [],
              body: HTTPBody = .empty, sink: HTTPResponseSink = .memory, settled: Set<String> = []) throws -> HTTPResponse {
        let call = AWSCall(service: .s3, operation: operation, idempotent: idempotent, method: method,
                           url: try url(bucket: bucket, key: key, query: query), headers: headers, body: body, sink: sink,
                           settledCodes: settled)
        return try client.send(call)
    }

    func xml(_ response: HTTPResponse, _ operation: String) throws -> XMLTreeElement {
        do {
            return try XMLTreeElement.parse(response.body)
        } catch {
            throw AWSClientError(.invalidResponse, "S3 answered \(operation) with a reply that is not XML: \(error)")
        }
    }

    // MARK: Buckets

    /// Creates a bucket in the client's region (with a LocationConstraint outside us-east-1).
    public func createBucket(_ bucket: String) throws {
        var body = HTTPBody.empty
        if client.region != "us-east-1" {
            var writer = XMLWriter()
            writer.element("CreateBucketConfiguration", namespace: "http://s3.amazonaws.com/doc/2006-03-01/") {
                $0.element("LocationConstraint", text: client.region)
            }
            body = .bytes(Data(writer.document.utf8))
        }
        _ = try send("CreateBucket", idempotent: false, method: "PUT", bucket: bucket, body: body, settled: ["BucketAlreadyOwnedByYou"])
    }

    public func deleteBucket(_ bucket: String) throws {
        _ = try send("DeleteBucket", idempotent: true, method: "DELETE", bucket: bucket, settled: ["NoSuchBucket"])
    }

    /// Succeeds when the bucket exists and the caller may use it; throws `AWSError`
    /// (NotFound, Forbidden) otherwise.
    public func headBucket(_ bucket: String) throws {
        _ = try send("HeadBucket", idempotent: true, method: "HEAD", bucket: bucket)
    }

    /// Whether the bucket exists (false on 404; other errors are thrown).
    public func bucketExists(_ bucket: String) throws -> Bool {
        do {
            try headBucket(bucket)
            return true
        } catch let error as AWSError where error.status == 404 {
            return false
        }
    }

    // MARK: Objects

    /// Uploads an object in one request (from memory or a file); returns its ETag.
    @discardableResult
    public func putObject(bucket: String, key: String, body: HTTPBody, contentType: String? = nil,
                          metadata: [String: String] = [:]) throws -> String? {
        var headers: [(name: String, value: String)] = []
        if let contentType { headers.append((name: "Content-Type", value: contentType)) }
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            headers.append((name: "x-amz-meta-\(name)", value: value))
        }
        let response = try send("PutObject", idempotent: true, method: "PUT", bucket: bucket, key: key,
                                headers: headers, body: body)
        return response.header("ETag")
    }

    /// Uploads bytes; returns the ETag.
    @discardableResult
    public func putObject(bucket: String, key: String, data: Data, contentType: String? = nil) throws -> String? {
        try putObject(bucket: bucket, key: key, body: .bytes(data), contentType: contentType)
    }

    /// Downloads an object into memory.
    public func getObject(bucket: String, key: String) throws -> Data {
        try send("GetObject", idempotent: true, method: "GET", bucket: bucket, key: key).body
    }

    /// Downloads an object into a file (streamed; never held in memory).
    @discardableResult
    public func getObject(bucket: String, key: String, toFile path: String) throws -> S3ObjectInfo {
        let response = try send("GetObject", idempotent: true, method: "GET", bucket: bucket, key: key, sink: .file(path: path))
        return S3ObjectInfo(response)
    }

    /// Size, ETag, type and metadata of an object; throws `AWSError` with status 404 if absent.
    public func headObject(bucket: String, key: String) throws -> S3ObjectInfo {
        S3ObjectInfo(try send("HeadObject", idempotent: true, method: "HEAD", bucket: bucket, key: key))
    }

    /// The object's info, or nil when there is no such object.
    public func objectInfo(bucket: String, key: String) throws -> S3ObjectInfo? {
        do {
            return try headObject(bucket: bucket, key: key)
        } catch let error as AWSError where error.status == 404 {
            return nil
        }
    }

    public func deleteObject(bucket: String, key: String) throws {
        _ = try send("DeleteObject", idempotent: true, method: "DELETE", bucket: bucket, key: key)
    }

    // MARK: Listing

    /// One page of ListObjectsV2.
    /// - Parameter startAfter: list only the keys after this one (S3's `start-after`, on the first page).
    public func listObjectsV2Page(bucket: String, prefix: String? = nil, delimiter: String? = nil, maxKeys: Int? = nil,
                                  continuationToken: String? = nil, startAfter: String? = nil) throws -> S3ListPage {
        var query: [(String, String?)] = [("list-type", "2"), ("encoding-type", "url")]
        if let prefix { query.append(("prefix", prefix)) }
        if let startAfter, continuationToken == nil { query.append(("start-after", startAfter)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let response = try send("ListObjectsV2", idempotent: true, method: "GET", bucket: bucket, query: query)
        let root = try xml(response, "ListObjectsV2")
        let encoded = root.string("EncodingType") == "url"
        func decode(_ text: String) -> String { encoded ? Self.urlDecode(text) : text }
        let objects = root.children("Contents").map {
            S3Object(key: decode($0.string("Key") ?? ""), size: Int64($0.string("Size") ?? "") ?? 0,
                     eTag: $0.string("ETag"), lastModified: $0.string("LastModified"))
        }
        let prefixes = root.children("CommonPrefixes").compactMap { $0.string("Prefix").map(decode) }
        let truncated = root.bool("IsTruncated") ?? false
        return S3ListPage(objects: objects, commonPrefixes: prefixes,
                          nextContinuationToken: truncated ? root.string("NextContinuationToken") : nil)
    }

    /// Every object (and common prefix) under a prefix, following every page.
    public func listObjectsV2(bucket: String, prefix: String? = nil, delimiter: String? = nil, pageSize: Int? = nil,
                              pageLimit: Int = Paginator.defaultPageLimit) throws -> S3Listing {
        var prefixes: [String] = []
        let objects = try Paginator.all(operation: "ListObjectsV2", pageLimit: pageLimit) { token -> Page<S3Object> in
            let page = try listObjectsV2Page(bucket: bucket, prefix: prefix, delimiter: delimiter, maxKeys: pageSize,
                                             continuationToken: token)
            prefixes += page.commonPrefixes
            return Page(items: page.objects, nextToken: page.nextContinuationToken)
        }
        return S3Listing(objects: objects, commonPrefixes: prefixes)
    }

    /// Decodes S3's `encoding-type=url` form (`+` is a space).
    static func urlDecode(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
