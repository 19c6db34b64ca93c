import AWS
import DevAMI
import Foundation

/// `ncaas jobs cancel`: stops a job from any machine. It leaves a mark (`logs/ncaas-cancel.json`)
/// so the job's manager, if one is alive, reports its datasets as cancelled; terminates the job's
/// instances (found by tags); and when no manager is alive (its lease is stale or absent), ends the
/// unfinished datasets FAILED and the certificate with STEP 4/4 itself.
public struct JobCancellation {
    public struct Result: Sendable {
        public var job: String
        public var terminated: [String]
        /// Whether a live manager was running the job (it records the end itself).
        public var managerAlive: Bool
    }

    public static let reason = "The job was cancelled (`ncaas jobs cancel`); its instances were terminated."

    public var cloud: DevCloud
    public var s3: S3Client
    /// A lease younger than this means a live manager.
    public var leaseFreshness: TimeInterval = 60

    public init(cloud: DevCloud, s3: S3Client) {
        self.cloud = cloud
        self.s3 = s3
    }

    public static func markKey(_ layout: JobLayout) -> String { layout.logsPrefix + "ncaas-cancel.json" }

    /// Whether the job was cancelled (its mark exists).
    public static func isCancelled(s3: S3Client, layout: JobLayout) -> Bool {
        ((try? s3.objectInfo(bucket: layout.bucket, key: markKey(layout))) ?? nil) != nil
    }

    public func cancel(_ record: JobRecord) throws -> Result {
        let layout = record.layout
        guard !record.finished else {
            throw JobError(.refused, "The job \(layout.jobName) has already finished (\(record.state.rawValue)); there is nothing to cancel.")
        }
        let mark = ["at": InstanceTags.format(cloud.now())]
        try s3.putObject(bucket: layout.bucket, key: Self.markKey(layout), data: try JSONSerialization.data(withJSONObject: mark), contentType: "application/json")
        let instances = try cloud.ec2.describeInstances(filters: JobTags.liveFilters(analysis: layout.analysis)
            + [.tag(JobTags.group, JobTags.value(layout.group)), .tag(JobTags.job, JobTags.value(layout.jobName))])
        try cloud.terminate(instances.map(\.instanceId))
        let alive = ManagerLease.lastHeartbeat(s3: s3, layout: layout).map { cloud.now().timeIntervalSince($0) < leaseFreshness } ?? false
        if !alive {
            let finished = InstanceTags.format(cloud.now())
            for var status in record.datasets where !status.status.isFinal {
                status.status = .failed
                status.reason.append(Self.reason)
                status.jobFinish = finished
                try s3.putObject(bucket: layout.bucket, key: layout.statusKey(dataset: status.input), data: status.json, contentType: "application/json")
            }
            let certificate = (record.certificate ?? "") + "STEP 4/4 (Job Finished): cancelled with `ncaas jobs cancel`; instances terminated.\n"
            try s3.putObject(bucket: layout.bucket, key: layout.certificateKey, data: Data(certificate.utf8), contentType: "text/plain")
        }
        return Result(job: layout.jobName, terminated: instances.map(\.instanceId), managerAlive: alive)
    }
}
