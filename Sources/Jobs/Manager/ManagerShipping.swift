import AWS
import Crypto
import Deploy
import Foundation

/// What a deploy puts in the bucket for the in-stack job manager: the ncaas executable (only when its
/// SHA-256 differs from the one there, kept beside it in `ncaas/ncaas.sha256`) and the blueprint.
public struct ManagerShipping: Sendable {
    public let s3: S3Client
    public let layout: ManagerLayout

    public init(s3: S3Client, layout: ManagerLayout) {
        self.s3 = s3
        self.layout = layout
    }

    static let shaKey = "ncaas/ncaas.sha256"

    /// What shipping did.
    public struct Shipped: Sendable {
        /// The build's ETag in the bucket: what the manager's heartbeat names once it runs it.
        public var build: String
        public var sha256: String
        /// Bytes uploaded (0 when the bucket held this build already).
        public var uploadedBytes: Int64
    }

    public func ship(binary: String, blueprint: Data) throws -> Shipped {
        _ = try s3.putObject(bucket: layout.bucket, key: ManagerLayout.blueprintKey, data: blueprint, contentType: "application/json")
        let sha = try Self.sha256(of: binary)
        let deployed = try? String(decoding: s3.getObject(bucket: layout.bucket, key: Self.shaKey), as: UTF8.self)
        var uploaded: Int64 = 0
        let present = try s3.objectInfo(bucket: layout.bucket, key: ManagerLayout.binaryKey) != nil
        if deployed?.trimmingCharacters(in: .whitespacesAndNewlines) != sha || !present {
            _ = try s3.uploadFile(binary, bucket: layout.bucket, key: ManagerLayout.binaryKey, contentType: "application/octet-stream")
            _ = try s3.putObject(bucket: layout.bucket, key: Self.shaKey, data: Data((sha + "\n").utf8), contentType: "text/plain")
            uploaded = (try FileManager.default.attributesOfItem(atPath: binary)[.size] as? NSNumber)?.int64Value ?? 0
        }
        guard let etag = try s3.objectInfo(bucket: layout.bucket, key: ManagerLayout.binaryKey)?.eTag else {
            throw JobError(.failed, "s3://\(layout.bucket)/\(ManagerLayout.binaryKey) is gone right after it was uploaded; run the deploy again.")
        }
        return Shipped(build: etag.trimmingCharacters(in: .whitespaces), sha256: sha, uploadedBytes: uploaded)
    }

    static func sha256(of path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw JobError(.notFound, "\(path) cannot be read.") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 8 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
