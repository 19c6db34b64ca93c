import AWS
import Foundation
import Support

/// A job as S3 records it: its datasets' status files and its certificate. Rebuilt from the
/// bucket alone, so any machine with read access sees the same jobs.
public struct JobRecord: Sendable {
    public enum State: String, Sendable {
        /// Not every dataset has ended, and the certificate has no STEP 4/4 yet.
        case running = "RUNNING"
        case success = "SUCCESS"
        case failed = "FAILED"
    }

    public var layout: JobLayout
    /// Each dataset's status, in the order of their keys.
    public var datasets: [DatasetStatus]
    /// The certificate's text, if it was written.
    public var certificate: String?

    /// Whether the job manager finished the job (the certificate's last step is written).
    public var finished: Bool { certificate?.contains("STEP 4/4") ?? false }

    public var state: State {
        if !finished && datasets.contains(where: { !$0.status.isFinal }) { return .running }
        if !finished && datasets.isEmpty { return .running }
        return datasets.allSatisfy { $0.status == .success } && !datasets.isEmpty ? .success : .failed
    }

    /// When the job started: the earliest dataset start.
    public var started: String? { datasets.compactMap(\.jobStart).min() }
}

/// Reads jobs from an analysis's bucket: `<group>/results/job__*/logs/`.
public struct JobHistory {
    public var s3: S3Client
    public var bucket: String
    public var analysis: String

    public init(s3: S3Client, bucket: String, analysis: String) {
        self.s3 = s3
        self.bucket = bucket
        self.analysis = analysis
    }

    /// The group's jobs, oldest name first.
    public func jobs(group: String) throws -> [JobRecord] {
        let prefix = "\(group)/results/job__\(analysis)_"
        let listing = try s3.listObjectsV2(bucket: bucket, prefix: "\(group)/results/", delimiter: "/")
        return try listing.commonPrefixes.filter { $0.hasPrefix(prefix) }.sorted().map { folder in
            let timestamp = String(folder.dropFirst(prefix.count).dropLast())
            return try job(JobLayout(bucket: bucket, analysis: analysis, group: group, timestamp: timestamp))
        }
    }

    /// The job named `name` (`job__<analysis>_<timestamp>`, or the timestamp alone).
    public func job(group: String, name: String) throws -> JobRecord {
        let head = "job__\(analysis)_"
        let timestamp = name.hasPrefix(head) ? String(name.dropFirst(head.count)) : name
        let record = try job(JobLayout(bucket: bucket, analysis: analysis, group: group, timestamp: timestamp))
        guard record.certificate != nil || !record.datasets.isEmpty else {
            throw JobError(.notFound, "There is no job \(head)\(timestamp) in \(group)'s results; see the jobs with `ncaas jobs list \(AnalysisHint.name(analysis)) --group \(group)`.")
        }
        return record
    }

    func job(_ layout: JobLayout) throws -> JobRecord {
        let objects = try s3.listObjectsV2(bucket: bucket, prefix: layout.logsPrefix).objects
        var datasets: [DatasetStatus] = []
        var certificate: String?
        for object in objects {
            if object.key == layout.certificateKey {
                certificate = String(decoding: try s3.getObject(bucket: bucket, key: object.key), as: UTF8.self)
            } else if object.key.hasSuffix("_STATUS.txt"), let status = try? DatasetStatus.parse(try s3.getObject(bucket: bucket, key: object.key)) {
                datasets.append(status)
            }
        }
        return JobRecord(layout: layout, datasets: datasets.sorted { $0.input < $1.input }, certificate: certificate)
    }
}
