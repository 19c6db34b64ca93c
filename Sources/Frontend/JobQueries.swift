import AWS
import Blueprint
import Foundation
import Jobs

/// `ncaas jobs list|status|logs`: jobs read back from the analysis's bucket.
public enum JobQueries {
    /// The jobs of `group`, or of every affiliate when `group` is nil.
    public static func list(_ target: String, group: String?, overrides: ConfigurationOverrides) throws -> [JobRecord] {
        let first = try JobTarget.make(target, group: group ?? firstAffiliate(target), overrides: overrides)
        let groups = group.map { [$0] } ?? first.context.blueprint.affiliates.map(\.name)
        let history = JobHistory(s3: first.s3, bucket: first.bucket, analysis: first.context.analysis)
        return try groups.flatMap { try history.jobs(group: $0) }
    }

    /// One job, by name (`job__<analysis>_<timestamp>` or the timestamp).
    public static func job(_ target: String, name: String, group: String?, overrides: ConfigurationOverrides) throws -> JobRecord {
        let job = try JobTarget.make(target, group: group, overrides: overrides)
        return try JobHistory(s3: job.s3, bucket: job.bucket, analysis: job.context.analysis).job(group: job.group, name: name)
    }

    /// Cancels the job named `name`: its instances terminated, its unfinished datasets FAILED.
    public static func cancel(_ target: String, name: String, group: String?, overrides: ConfigurationOverrides) throws -> JobCancellation.Result {
        let job = try JobTarget.make(target, group: group, overrides: overrides)
        let record = try JobHistory(s3: job.s3, bucket: job.bucket, analysis: job.context.analysis).job(group: job.group, name: name)
        return try JobCancellation(cloud: job.context.cloud, s3: job.s3).cancel(record)
    }

    /// Emits what is new every `interval` seconds until the job (or the dataset) ends: the
    /// certificate when `dataset` is nil, else the dataset's stdout (and its stderr, flagged), then
    /// one last line with its final status and reason.
    public static func follow(_ target: String, name: String, dataset: String?, group: String?, overrides: ConfigurationOverrides,
                              interval: Double = 1, emit: (_ text: String, _ isError: Bool) -> Void) throws {
        let job = try JobTarget.make(target, group: group, overrides: overrides)
        let history = JobHistory(s3: job.s3, bucket: job.bucket, analysis: job.context.analysis)
        var printed = (out: "", err: "")
        while true {
            // A poll is a read: one that fails for a passing reason is tried again at the next turn.
            let record: JobRecord
            do { record = try history.job(group: job.group, name: name) } catch where AWSClient.isPassing(error) {
                Thread.sleep(forTimeInterval: interval)
                continue
            }
            if let dataset {
                let status = try Self.dataset(record, dataset)
                emit(TextFollower.newPart(of: status.stdout, after: printed.out), false)
                emit(TextFollower.newPart(of: status.stderr, after: printed.err), true)
                printed = (status.stdout, status.stderr)
                if status.status.isFinal {
                    emit("== \(status.input): \(status.status.rawValue)\(status.reason.last.map { ": \($0)" } ?? "") ==\n", false)
                    return
                }
            } else {
                let text = record.certificate ?? ""
                emit(TextFollower.newPart(of: text, after: printed.out), false)
                printed.out = text
                if record.finished { return }
            }
            Thread.sleep(forTimeInterval: interval)
        }
    }

    /// The dataset of `record` named `dataset` (its key or its file name).
    public static func dataset(_ record: JobRecord, _ dataset: String) throws -> DatasetStatus {
        if let match = record.datasets.first(where: { $0.input == dataset || JobLayout.basename($0.input) == dataset }) { return match }
        throw JobError(.notFound, "The job \(record.layout.jobName) has no dataset '\(dataset)' (its datasets: \(record.datasets.map(\.input).joined(separator: ", "))).")
    }

    /// With several affiliates and no --group, listing starts from the first (JobTarget needs one).
    private static func firstAffiliate(_ target: String) -> String? {
        guard let path = try? BlueprintFile.resolve(target), let document = try? BlueprintFile.load(path) else { return nil }
        return Blueprint(document: document).affiliates.first?.name
    }
}
