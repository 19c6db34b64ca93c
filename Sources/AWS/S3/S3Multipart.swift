import Foundation

/// Multipart upload: large files go up in parts read straight from the file.
extension S3Client {
    /// The smallest part S3 accepts (except the last one).
    public static let minimumPartSize: UInt64 = 5 * 1024 * 1024

    /// Starts a multipart upload and returns its upload id.
    public func createMultipartUpload(bucket: String, key: String, contentType: String? = nil) throws -> String {
        var headers: [(name: String, value: String)] = []
        if let contentType { headers.append((name: "Content-Type", value: contentType)) }
        // Sent again after a lost reply, it starts a second upload: the first stays empty and costs nothing.
        let response = try send("CreateMultipartUpload", idempotent: true, method: "POST", bucket: bucket, key: key,
                                query: [("uploads", nil)], headers: headers)
        guard let uploadId = try xml(response, "CreateMultipartUpload").string("UploadId"), !uploadId.isEmpty else {
            throw AWSClientError(.invalidResponse, "S3 CreateMultipartUpload replied without an upload id.")
        }
        return uploadId
    }

    /// Uploads one part (numbered from 1) and returns its ETag.
    public func uploadPart(bucket: String, key: String, uploadId: String, partNumber: Int, body: HTTPBody) throws -> String {
        let response = try send("UploadPart", idempotent: true, method: "PUT", bucket: bucket, key: key,
                                query: [("partNumber", String(partNumber)), ("uploadId", uploadId)], body: body)
        guard let eTag = response.header("ETag") else {
            throw AWSClientError(.invalidResponse, "S3 UploadPart \(partNumber) replied without an ETag.")
        }
        return eTag
    }

    /// Joins the uploaded parts (in order) into the object; returns its ETag.
    @discardableResult
    public func completeMultipartUpload(bucket: String, key: String, uploadId: String, partETags: [String]) throws -> String? {
        var writer = XMLWriter()
        writer.element("CompleteMultipartUpload", namespace: "http://s3.amazonaws.com/doc/2006-03-01/") { doc in
            for (index, eTag) in partETags.enumerated() {
                doc.element("Part") { part in
                    part.element("PartNumber", text: String(index + 1))
                    part.element("ETag", text: eTag)
                }
            }
        }
        let response: HTTPResponse
        do {
            response = try send("CompleteMultipartUpload", idempotent: true, method: "POST", bucket: bucket, key: key,
                                query: [("uploadId", uploadId)], body: .bytes(Data(writer.document.utf8)))
        } catch let error as AWSError where error.code == "NoSuchUpload" && error.attempts > 1 {
            // An earlier attempt completed it and its reply was lost: the object is there.
            guard let info = try objectInfo(bucket: bucket, key: key) else { throw error }
            return info.eTag
        }
        // S3 may answer 200 and put the error in the body.
        let root = try xml(response, "CompleteMultipartUpload")
        if root.name == "Error" {
            throw AWSError(service: .s3, operation: "CompleteMultipartUpload", status: response.status,
                           code: root.string("Code") ?? "InternalError", message: root.string("Message") ?? "",
                           requestId: root.string("RequestId") ?? response.header("x-amz-request-id"))
        }
        return root.string("ETag")
    }

    /// Abandons a multipart upload, freeing its parts.
    public func abortMultipartUpload(bucket: String, key: String, uploadId: String) throws {
        _ = try send("AbortMultipartUpload", idempotent: true, method: "DELETE", bucket: bucket, key: key,
                     query: [("uploadId", uploadId)])
    }

    /// Uploads a file: in one PutObject when it is at most `partSize`, otherwise as a
    /// multipart upload of `partSize` parts read from the file. A failed multipart upload is
    /// aborted before the error is rethrown. Returns the object's ETag.
    @discardableResult
    public func uploadFile(_ path: String, bucket: String, key: String, contentType: String? = nil,
                           partSize: UInt64 = 8 * 1024 * 1024, progress: ((_ sent: UInt64, _ total: UInt64) -> Void)? = nil) throws -> String? {
        let size: UInt64
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        } catch {
            throw AWSClientError(.invalidInput, "Cannot upload \(path): the file cannot be read.")
        }
        let partSize = max(partSize, Self.minimumPartSize)
        if size <= partSize {
            let eTag = try putObject(bucket: bucket, key: key, body: .file(path: path, offset: 0, length: size),
                                     contentType: contentType)
            progress?(size, size)
            return eTag
        }
        let uploadId = try createMultipartUpload(bucket: bucket, key: key, contentType: contentType)
        do {
            var eTags: [String] = []
            var offset: UInt64 = 0
            while offset < size {
                let length = min(partSize, size - offset)
                eTags.append(try uploadPart(bucket: bucket, key: key, uploadId: uploadId, partNumber: eTags.count + 1,
                                            body: .file(path: path, offset: offset, length: length)))
                offset += length
                progress?(offset, size)
            }
            return try completeMultipartUpload(bucket: bucket, key: key, uploadId: uploadId, partETags: eTags)
        } catch {
            try? abortMultipartUpload(bucket: bucket, key: key, uploadId: uploadId)
            throw error
        }
    }

    /// The ids of multipart uploads in progress under a prefix.
    public func listMultipartUploads(bucket: String, prefix: String? = nil) throws -> [(key: String, uploadId: String)] {
        var query: [(String, String?)] = [("uploads", nil)]
        if let prefix { query.append(("prefix", prefix)) }
        let response = try send("ListMultipartUploads", idempotent: true, method: "GET", bucket: bucket, query: query)
        return try xml(response, "ListMultipartUploads").children("Upload").map {
            (key: $0.string("Key") ?? "", uploadId: $0.string("UploadId") ?? "")
        }
    }
}
