import AWS
import Deploy
import DevAMI
import Foundation
import Support
import Jobs

/// `ncaas test-job <name> submit.json`: check the submit file and every key it names, upload it to
/// `<group>/submissions/`, and run the job manager for it in this process.
public enum TestJobAnalysis {
    /// Refuses (changing nothing) a submit file that is malformed or names a missing key, or whose
    /// job already ran; otherwise runs it and returns each dataset's end.
    /// Where the datasets run instead of new instances.
    public enum Host: Sendable, Equatable {
        /// The analysis's live dev instance (`--dev`).
        case dev
        /// A running instance of the analysis (`--instance-id`).
        case instance(String)
    }

    /// The job runs by the blueprint here (a developer's test); `note` hears of the fields it changed
    /// since the deploy, which `jobs serve` would not run.
    /// `market`, when given, replaces the blueprint's `ncaas.jobs.market` (`--market`).
    public static func run(target: String, submitPath: String, group: String?, host: Host? = nil, market: JobMarket? = nil,
                           overrides: ConfigurationOverrides,
                           observer: JobManager.Observer, note: (String) -> Void = { _ in }) throws -> JobReport {
        guard let data = FileManager.default.contents(atPath: submitPath) else {
            throw JobError(.notFound, "\(submitPath) does not exist or cannot be read.")
        }
        let submit = try SubmitFile.parse(data, source: (submitPath as NSString).lastPathComponent)
        let job = try JobTarget.make(target, group: group, keysGroup: submit.sharedGroup, overrides: overrides)
        var settings = try JobSettings.from(job.context.blueprint)
        if let market { settings.market = market }
        if let deployed = try? DeployedJobSettings.load(job.context.blueprint, ssm: job.context.cloud.ec2.client.ssm),
           let sentence = DeployedJobSettings.noteSentence(deployed, analysis: settings.analysis, runsWorkingCopy: true) {
            note(sentence)
        }
        try SubmissionReferences.check(submit, bucket: job.bucket, group: job.group, analysis: settings.analysis, s3: job.s3)
        let existing = try host.map { try instance(for: $0, analysis: settings.analysis, cloud: job.context.cloud) }
        let layout = JobLayout(bucket: job.bucket, analysis: settings.analysis, group: job.group, timestamp: submit.timestamp)
        if try job.s3.objectInfo(bucket: job.bucket, key: layout.certificateKey) != nil {
            throw JobError(.refused, "The job \(layout.jobName) already ran (s3://\(job.bucket)/\(layout.certificateKey) exists); give the submit file a new \"timestamp\" to run it again.")
        }
        // Claimed before it is uploaded: a `jobs serve` that sees the submission leaves it to us.
        let lease = ManagerLease(s3: job.s3, layout: layout)
        if case .held(let heartbeat) = try lease.claim(interval: JobManager.defaultLeaseInterval) {
            throw JobError(.refused, "The job \(layout.jobName) is being run by another job manager\(heartbeat.map { " (its lease was renewed at \(InstanceTags.format($0)))" } ?? ""); wait for it, or give the submit file a new \"timestamp\".")
        }
        let submissionKey = layout.submissionKey(submissionName(submitPath, submit))
        observer.progress("uploading the submission to s3://\(job.bucket)/\(submissionKey)")
        let uploaded = try job.s3.putObject(bucket: job.bucket, key: submissionKey, data: submit.json, contentType: "application/json")
        // The upload notified the job queue; this job is run here, so its message goes once the job is recorded.
        defer {
            let sqs = job.context.cloud.ec2.client.sqs
            if let queue = try? sqs.getQueueURL(name: StackNaming(analysis: settings.analysis, bucket: job.bucket).jobQueueName) {
                SubmissionMessage.consume(bucket: job.bucket, key: submissionKey, eTag: uploaded, queueURL: queue, sqs: sqs)
            }
        }
        var manager = JobManager(cloud: job.context.cloud, s3: job.s3, settings: settings, observer: observer)
        manager.existingInstance = existing
        manager.claimedLease = lease
        manager.hooks = JobHooks.from(job.context.blueprint, folder: (job.context.blueprintPath as NSString).deletingLastPathComponent)
        return try manager.run(submit, group: job.group)
    }

    /// The running instance `host` names; refused unless it is one of the analysis's instances.
    static func instance(for host: Host, analysis: String, cloud: DevCloud) throws -> Instance {
        switch host {
        case .dev:
            let (instance, _) = try DevInstances(cloud: cloud).current(analysis)
            guard instance.stateName == .running else {
                throw JobError(.refused, "The dev instance \(instance.instanceId) is \(instance.state); start it with `ncaas dev start \(AnalysisHint.name(analysis))`.")
            }
            return instance
        case .instance(let id):
            guard let instance = try? cloud.describe([id]).first else {
                throw JobError(.notFound, "There is no instance \(id) on \(cloud.endpoint).")
            }
            guard instance.tag(InstanceTags.analysis) == analysis else {
                throw JobError(.refused, "The instance \(id) is not one of \(analysis)'s (its ncaas:analysis tag is \(instance.tag(InstanceTags.analysis).map { "'\($0)'" } ?? "missing")); ncaas runs jobs only on the analysis's own instances.")
            }
            guard instance.stateName == .running else {
                throw JobError(.refused, "The instance \(id) is \(instance.state), not running.")
            }
            return instance
        }
    }

    /// The submission's name in `submissions/`: the file's own name when it ends in `submit.json`
    /// (NeuroCAAS's trigger suffix), else `<timestamp>_submit.json`.
    static func submissionName(_ path: String, _ submit: SubmitFile) -> String {
        let name = (path as NSString).lastPathComponent
        return name.hasSuffix("submit.json") ? name : "\(submit.timestamp)_submit.json"
    }
}
