import Foundation

/// What must hold for a conditional write (S3's `If-None-Match: *` and `If-Match`), the way to
/// claim something in a bucket without a race.
public enum S3WriteCondition: Sendable, Equatable {
    /// The key does not exist yet.
    case absent
    /// The object is still the one with this ETag.
    case unchanged(etag: String)
}

extension S3Client {
    /// Writes `data` only when `condition` holds. Returns the new object's ETag (empty when S3 sent
    /// none), or nil when the condition failed (412 PreconditionFailed, or 404 for `unchanged` when
    /// the object is gone). Not retried blindly, since a retry after a lost reply would fail its own
    /// condition: after a lost reply (or a 5xx) the object is read back, and holding `data` means the
    /// write landed; otherwise it is tried again. `data` should be unique to the writer (a lease
    /// names its host, process and time).
    public func putObject(bucket: String, key: String, data: Data, contentType: String? = nil, if condition: S3WriteCondition) throws -> String? {
        var headers: [(name: String, value: String)] = []
        if let contentType { headers.append((name: "Content-Type", value: contentType)) }
        switch condition {
        case .absent: headers.append((name: "If-None-Match", value: "*"))
        case .unchanged(let etag): headers.append((name: "If-Match", value: etag))
        }
        var attempt = 0
        var maybeLanded = false
        while true {
            attempt += 1
            do {
                let response = try send("PutObject", idempotent: false, method: "PUT", bucket: bucket, key: key, headers: headers, body: .bytes(data))
                return response.header("ETag") ?? ""
            } catch let error as AWSError where error.status == 412 || error.code == "PreconditionFailed" || error.code == "ConditionalRequestConflict"
                || (error.status == 404 && condition != .absent) {
                if maybeLanded, let mine = try objectWithETag(bucket: bucket, key: key), mine.data == data { return mine.etag }
                return nil
            } catch let error as AWSError where error.status >= 500 && attempt < client.retryPolicy.maxAttempts {
                maybeLanded = true
            } catch let error as AWSConnectionError where error.underlying.kind != .cannotConnect && attempt < client.retryPolicy.maxAttempts {
                maybeLanded = true
            }
            if let mine = try objectWithETag(bucket: bucket, key: key), mine.data == data { return mine.etag }
            client.sleep(client.retryPolicy.backoff(retry: attempt))
        }
    }

    /// An object's bytes and ETag; nil when there is no such key.
    public func objectWithETag(bucket: String, key: String) throws -> (data: Data, etag: String)? {
        do {
            let response = try send("GetObject", idempotent: true, method: "GET", bucket: bucket, key: key)
            return (response.body, response.header("ETag") ?? "")
        } catch let error as AWSError where error.status == 404 {
            return nil
        }
    }
}
