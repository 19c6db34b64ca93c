import AWS
import DevAMI
import Foundation

/// `ncaas jobs serve`: the long-running job manager of a deployed analysis. It long-polls the job
/// queue (which receives the bucket's `<group>/submissions/*submit.json` notifications), runs up
/// to `concurrency` jobs at once through `JobManager`, keeps each message invisible while its job
/// runs, and deletes a message only once its job is recorded (the certificate's STEP 4/4).
///
/// Each submission runs once: a job already finished is not run again; a job whose manager is
/// alive (its lease is fresh, e.g. a `test-job` in progress) is left to it; a job left unfinished
/// by a manager that died has its tagged instances terminated and is run again from the start.
public struct JobServer: Sendable {
    public var cloud: DevCloud
    public var s3: S3Client
    public var sqs: SQSClient
    public var settings: JobSettings
    public var queueURL: String
    /// The groups (affiliates) whose submissions are run; others are dropped with a line.
    public var groups: [String]
    public var concurrency: Int = 4
    /// How long a received message stays invisible; renewed at a third of it while its job runs.
    /// A lease older than this counts as its manager's death.
    public var visibilityTimeout: Int = 60
    public var observer: JobManager.Observer
    /// The blueprint's local hooks, run for every job.
    public var hooks = JobHooks()
    /// Reads the deployed settings again before each job (a redeploy applies to the next job without
    /// a restart); nil, or a failed read, keeps `settings`.
    public var currentSettings: (@Sendable () throws -> JobSettings)?
    /// The in-stack manager's heartbeat and restart checks (`jobs serve --in-stack`); nil on a laptop.
    public var runtime: ManagerRuntime?
    /// Security groups for job instances instead of `ncaas-ssh` (the in-stack manager: the stack's job
    /// group, which admits SSH from the manager only).
    public var jobSecurityGroupIds: [String]?

    public init(cloud: DevCloud, s3: S3Client, sqs: SQSClient, settings: JobSettings, queueURL: String, groups: [String],
                observer: JobManager.Observer = .init()) {
        self.cloud = cloud
        self.s3 = s3
        self.sqs = sqs
        self.settings = settings
        self.queueURL = queueURL
        self.groups = groups
        self.observer = observer
    }

    /// What became of one submission.
    public enum Outcome: Equatable, Sendable {
        case ran(job: String, succeeded: Bool)
        case alreadyFinished(job: String)
        case runningElsewhere(job: String)
        case dropped(key: String, reason: String)
    }

    /// Polls until `shouldStop` says so (or the in-stack runtime asks for a restart), handing each
    /// outcome to `onOutcome` (from worker threads); running jobs finish before it returns.
    public func serve(shouldStop: @escaping @Sendable () -> Bool, onOutcome: @escaping @Sendable (Outcome) -> Void) {
        let slots = DispatchSemaphore(value: concurrency)
        let busy = LockedCount()
        let server = self
        while !shouldStop() && runtime?.restartReason == nil {
            let free = concurrency - busy.value
            guard free > 0 else { Thread.sleep(forTimeInterval: 0.1); continue }
            let messages: [SQSMessage]
            do {
                messages = try sqs.receiveMessages(queueURL: queueURL, maxMessages: min(10, free), waitTimeSeconds: 1, visibilityTimeout: visibilityTimeout)
            } catch {
                observer.progress("could not receive from the job queue: \(error); retrying")
                Thread.sleep(forTimeInterval: 1)
                continue
            }
            for message in messages {
                slots.wait()
                busy.add(1)
                DispatchQueue.global().async {
                    defer { busy.add(-1); slots.signal() }
                    for outcome in server.handle(message) { onOutcome(outcome) }
                }
            }
        }
        // Let running jobs finish, then give the slots back (libdispatch traps on a semaphore freed
        // below its initial value).
        for _ in 0..<concurrency { slots.wait() }
        for _ in 0..<concurrency { slots.signal() }
    }

    /// Runs the submissions of one message; deletes it unless a job in it is another manager's.
    func handle(_ message: SQSMessage) -> [Outcome] {
        let keepAlive = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        let renew = max(1, Double(visibilityTimeout) / 3)
        keepAlive.schedule(deadline: .now() + renew, repeating: renew)
        keepAlive.setEventHandler { [sqs, queueURL, visibilityTimeout] in
            _ = try? sqs.changeMessageVisibility(queueURL: queueURL, receiptHandle: message.receiptHandle, visibilityTimeout: visibilityTimeout)
        }
        keepAlive.resume()
        defer { keepAlive.cancel() }
        let outcomes = S3EventNotification.createdObjects(in: message.body).map { submission($0) }
        if !outcomes.contains(where: { if case .runningElsewhere = $0 { return true } else { return false } }) {
            _ = try? sqs.deleteMessage(queueURL: queueURL, receiptHandle: message.receiptHandle)
        }
        return outcomes
    }

    func submission(_ object: S3EventNotification.Object) -> Outcome {
        guard object.bucket == settings.bucket, let group = S3EventNotification.submission(object.key) else {
            return .dropped(key: object.key, reason: "not a submission of \(settings.analysis)")
        }
        guard groups.contains(group) else { return .dropped(key: object.key, reason: "\(group) is not an affiliate of \(settings.analysis)") }
        let submit: SubmitFile
        do {
            submit = try SubmitFile.parse(try s3.getObject(bucket: object.bucket, key: object.key), source: object.key)
        } catch {
            return .dropped(key: object.key, reason: "\(error)")
        }
        let layout = JobLayout(bucket: settings.bucket, analysis: settings.analysis, group: group, timestamp: submit.timestamp)
        if let certificate = try? s3.getObject(bucket: layout.bucket, key: layout.certificateKey),
           String(decoding: certificate, as: UTF8.self).contains("STEP 4/4") {
            return .alreadyFinished(job: layout.jobName)
        }
        // Atomically ours, or another manager's (a second server, or S3 delivering the event twice).
        let lease = ManagerLease(s3: s3, layout: layout)
        let leaseInterval = max(1, Double(visibilityTimeout) / 3)
        guard let claim = try? lease.claim(interval: leaseInterval, now: cloud.now()), claim == .claimed else {
            return .runningElsewhere(job: layout.jobName)
        }
        // Left unfinished by a manager that is gone: its instances go before the job runs again.
        let orphans = (try? cloud.ec2.describeInstances(filters: JobTags.liveFilters(analysis: settings.analysis)
            + [.tag(JobTags.group, JobTags.value(group)), .tag(JobTags.job, JobTags.value(layout.jobName))])) ?? []
        if !orphans.isEmpty {
            observer.progress("\(layout.jobName): terminating \(orphans.count) instance(s) a stopped manager left: \(orphans.map(\.instanceId).joined(separator: ", "))")
            try? cloud.terminate(orphans.map(\.instanceId))
        }
        observer.progress("\(layout.jobName): running \(submit.datanames.count) dataset(s) for \(group)")
        let deployed = (try? currentSettings?()) ?? settings
        var manager = JobManager(cloud: cloud, s3: s3, settings: deployed, observer: observer)
        manager.leaseInterval = leaseInterval
        manager.claimedLease = lease
        manager.hooks = hooks
        manager.jobSecurityGroupIds = jobSecurityGroupIds
        runtime?.jobStarted()
        let succeeded = (try? manager.run(submit, group: group).succeeded) ?? false
        runtime?.jobEnded(layout.jobName, outcome: succeeded ? "SUCCESS" : "FAILED")
        return .ran(job: layout.jobName, succeeded: succeeded)
    }
}

/// A counter shared by threads.
final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func add(_ delta: Int) { lock.lock(); count += delta; lock.unlock() }
}
