import AWS
import Deploy
import DevAMI
import Foundation
import Jobs
import Support

/// `ncaas jobs serve <name>`: the job server for a deployed analysis, on its job queue.
public enum ServeJobs {
    public struct Options: Sendable {
        public var concurrency: Int
        public var visibilityTimeout: Int
        /// The in-stack job manager: job instances in the stack's job security group reached at their
        /// private addresses, a heartbeat and the log's tail in the bucket, a restart on a new build.
        public var inStack: Bool
        /// The log the in-stack manager ships (its supervisor's).
        public var logFile: String?
        public init(concurrency: Int = 4, visibilityTimeout: Int = 60, inStack: Bool = false, logFile: String? = nil) {
            self.concurrency = concurrency
            self.visibilityTimeout = visibilityTimeout
            self.inStack = inStack
            self.logFile = logFile
        }
    }

    /// The exit status of a server that drained to restart (a new build, `ncaas manager restart`):
    /// its supervisor starts it again at once.
    public static let restartStatus = ExitCodes.refused

    /// Serves until the process is stopped (SIGTERM: once the running jobs have finished); prints
    /// one line per submission handled.
    public static func run(_ target: String, options: Options, overrides: ConfigurationOverrides, say: @escaping @Sendable (String) -> Void,
                           observer: JobManager.Observer) throws {
        guard (1...64).contains(options.concurrency) else {
            throw JobError(.badInput, "--concurrency \(options.concurrency) must be between 1 and 64.")
        }
        guard (3...43_200).contains(options.visibilityTimeout) else {
            throw JobError(.badInput, "--visibility-timeout \(options.visibilityTimeout) must be between 3 and 43200 seconds.")
        }
        var context = try DevContext.make(target, overrides: overrides)
        context.cloud.preferPrivateAddress = options.inStack
        let client = context.cloud.ec2.client
        let bucket = context.blueprint.bucketName ?? context.analysis
        guard try client.s3.bucketExists(bucket) else {
            throw JobError(.notFound, "\(context.analysis) is not deployed (there is no bucket \(bucket)); run `ncaas deploy \(AnalysisHint.name(context.analysis))` first.")
        }
        let deployed = try DeployedJobSettings.load(context.blueprint, ssm: client.ssm)
        let settings = deployed.settings
        if let sentence = DeployedJobSettings.noteSentence(deployed, analysis: settings.analysis, runsWorkingCopy: false) { say("note: " + sentence) }
        let naming = StackNaming(analysis: context.analysis, bucket: bucket)
        let queueURL: String
        do {
            queueURL = try client.sqs.getQueueURL(name: naming.jobQueueName)
        } catch let error as AWSError where error.code.contains("NonExistentQueue") || error.code.contains("QueueDoesNotExist") {
            throw JobError(.notFound, "\(context.analysis) has no job queue \(naming.jobQueueName); run `ncaas deploy \(AnalysisHint.name(context.analysis))` again.")
        }
        var server = JobServer(cloud: context.cloud, s3: client.s3, sqs: client.sqs, settings: settings, queueURL: queueURL,
                               groups: context.blueprint.affiliates.map(\.name), observer: observer)
        server.concurrency = options.concurrency
        server.visibilityTimeout = options.visibilityTimeout
        server.hooks = JobHooks.from(context.blueprint, folder: (context.blueprintPath as NSString).deletingLastPathComponent)
        let blueprint = context.blueprint
        server.currentSettings = { try DeployedJobSettings.load(blueprint, ssm: client.ssm).settings }
        if options.inStack {
            server.jobSecurityGroupIds = [try jobSecurityGroup(naming: naming, client: client)]
            let runtime = ManagerRuntime(s3: client.s3, layout: ManagerLayout(bucket: bucket),
                                         instanceId: ProcessInfo.processInfo.environment["NCAAS_MANAGER_INSTANCE_ID"] ?? "unknown",
                                         build: ProcessInfo.processInfo.environment["NCAAS_MANAGER_BUILD"] ?? "",
                                         version: NCAASVersion.current, logFile: options.logFile)
            server.runtime = runtime
            runtime.start()
        }
        // SIGTERM drains: no more messages are taken, the running jobs finish, then the server exits 0.
        let draining = LockedValue(false)
        InterruptCleanup.shared.drainOnTerminate { draining.value = true }
        say("serving \(context.analysis) from \(naming.jobQueueName) (up to \(options.concurrency) jobs at once)\(options.inStack ? " in its stack" : "")")
        server.serve(shouldStop: { draining.value }) { outcome in say(line(outcome)) }
        say("drained: every job that was running has finished")
        if let runtime = server.runtime {
            runtime.stop()
            if let reason = runtime.restartReason {
                throw JobError(.refused, "restarting: \(reason); the supervisor starts the manager again.")
            }
        }
    }

    /// The stack's job security group (its output, else its resource: moto gives change-set stacks no outputs).
    static func jobSecurityGroup(naming: StackNaming, client: AWSClient) throws -> String {
        guard let stack = try client.cloudFormation.describeStack(naming.stackName) else {
            throw JobError(.notFound, "\(naming.analysis) has no stack \(naming.stackName); run `ncaas deploy \(naming.analysis)`.")
        }
        if let id = stack.output(StackTemplate.Output.securityGroup) { return id }
        let resource = try client.cloudFormation.describeStackResources(naming.stackName).first { $0.logicalResourceId == StackTemplate.Resource.securityGroup }
        guard let id = resource?.physicalResourceId else {
            throw JobError(.notFound, "The stack \(naming.stackName) has no job security group; run `ncaas deploy \(naming.analysis)` again.")
        }
        return id
    }

    static func line(_ outcome: JobServer.Outcome) -> String {
        switch outcome {
        case .ran(let job, let succeeded): return "\(job): \(succeeded ? "SUCCESS" : "FAILED")"
        case .alreadyFinished(let job): return "\(job): already finished, not run again"
        case .runningElsewhere(let job): return "\(job): another manager is running it; left to it"
        case .dropped(let key, let reason): return "\(key): dropped: \(reason)"
        }
    }
}
