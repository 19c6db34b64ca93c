import AWS
import Foundation
import SigV4

/// CloudFormation takes at most 51,200 bytes of template in the request (TemplateBody); a
/// larger template (an analysis with many affiliates) is uploaded to S3 and passed as
/// TemplateURL, which takes up to 1 MB.
///
/// The analysis's own bucket is made by the stack, so it cannot hold the template of the
/// stack's creation; templates go to a bucket of ncaas's own per account and region,
/// `ncaas-templates-<account>-<region>` (made on first use, private by S3's defaults),
/// under `<stack>/<sha256>.json`.
struct TemplateStaging {
    /// CloudFormation's limit for TemplateBody, in bytes.
    static let bodyLimit = 51_200

    let client: AWSClient
    let progress: ((DeployProgress) -> Void)?

    /// The TemplateURL to send, or nil when the template fits in the request.
    func url(for template: String, stackName: String) throws -> String? {
        let size = template.utf8.count
        guard size > Self.bodyLimit else { return nil }
        let account = try STSClient(client).getCallerIdentity().account
        let bucket = Self.bucketName(account: account, region: client.region)
        let key = "\(stackName)/\(SHA256Hex.hash(template)).json"
        progress?(.step("the template has \(size) bytes, over CloudFormation's \(Self.bodyLimit) for a request: uploading it to s3://\(bucket)/\(key)"))
        if try !client.s3.bucketExists(bucket) {
            do {
                try client.s3.createBucket(bucket)
            } catch let error as AWSError where error.code == "BucketAlreadyOwnedByYou" {
                // Made meanwhile by another deploy: fine.
            }
        }
        try client.s3.putObject(bucket: bucket, key: key, data: Data(template.utf8), contentType: "application/json")
        let partition = AWSPartition(region: client.region)
        return "https://\(bucket).s3.\(client.region).\(partition.dnsSuffix)/\(key)"
    }

    /// `ncaas-templates-<account>-<region>` (at most 43 characters).
    static func bucketName(account: String, region: String) -> String {
        "ncaas-templates-\(account)-\(region)"
    }
}
