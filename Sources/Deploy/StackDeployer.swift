import AWS
import Blueprint
import Foundation

/// `ncaas deploy`: submits a rendered template as a change set (create or update), shows what
/// it changes, executes it while reporting stack events, then verifies and converges through
/// the service APIs what the endpoint's CloudFormation may have skipped.
public struct StackDeployer {
    public struct Options: Sendable {
        /// Show the change set, then delete it without executing.
        public var dryRun = false
        /// Delete a stack in ROLLBACK_COMPLETE and create it again.
        public var replace = false
        /// The CIDR allowed to SSH to job instances; nil keeps the template's default.
        public var sshCIDR: String?
        /// The overall deadline of each wait, in seconds.
        public var timeout: TimeInterval = 900
        /// Stack tags (the analysis and the blueprint's commit).
        public var tags: [Tag] = []
        /// With `dryRun`: call ValidateTemplate beside the change set (a preview runs the checks a
        /// deploy would). A deploy never does: CreateChangeSet validates the template itself, and
        /// its verdict is reported in the same words (moto's ValidateTemplate runs cfn-lint and takes
        /// about a second, which made a cold deploy slower than `aws cloudformation deploy`).
        public var validateTemplate = true

        public init(dryRun: Bool = false, replace: Bool = false, sshCIDR: String? = nil, timeout: TimeInterval = 900, tags: [Tag] = [],
                    validateTemplate: Bool = true) {
            self.validateTemplate = validateTemplate
            self.dryRun = dryRun
            self.replace = replace
            self.sshCIDR = sshCIDR
            self.timeout = timeout
            self.tags = tags
        }
    }

    /// What a deploy did.
    public enum Action: String, Sendable {
        case created, updated, unchanged
        /// `--dry-run`: the change set was shown and deleted.
        case previewed
    }

    /// Who validated the template.
    public enum Validation: String, Sendable {
        /// A dry run: ValidateTemplate was called and accepted the template.
        case validated
        /// A deploy: CreateChangeSet validated it (no ValidateTemplate).
        case changeSet = "change-set"
        /// A dry run with `validateTemplate` off (`--no-validate`).
        case skipped
    }

    public struct Result: Sendable {
        public var stackName: String
        public var action: Action
        public var changeSetType: ChangeSetType
        public var changes: ChangeSummary
        public var status: String?
        public var outputs: [DeployedOutput] = []
        /// True when the endpoint reported no outputs and they were derived from the stack's
        /// resources (moto 5.2 gives stacks made by change sets no outputs).
        public var outputsDerived = false
        /// Sentences for what was set through service APIs after the stack settled.
        public var converged: [String] = []
        /// Folder markers made (keys).
        public var folderMarkers: [String] = []
        /// True when a stack in ROLLBACK_COMPLETE was deleted first (`--replace`).
        public var replacedFailedStack = false
        /// Whether the template was validated, found validated before, or not validated.
        public var validation: Validation = .skipped
        /// Sentences about what the deploy read differently from the blueprint (an affiliate user
        /// under NeuroCAAS's `<user><REGION>` name) or found missing (the AMI).
        public var notes: [String] = []
    }

    public let client: AWSClient
    public let template: StackTemplate
    public let progress: ((DeployProgress) -> Void)?

    public init(client: AWSClient, template: StackTemplate, progress: ((DeployProgress) -> Void)? = nil) {
        self.client = client
        self.template = template
        self.progress = progress
    }

    private var cloudFormation: CloudFormationClient { client.cloudFormation }
    private var naming: StackNaming { template.naming }

    public func deploy(_ options: Options) throws -> Result {
        // Affiliate users under NeuroCAAS's `<user><REGION>` name: the stack names them so.
        // Refused before anything is changed: every affiliate's missing users at once.
        let users = try affiliateUsers()
        if !users.missing.isEmpty { throw DeployError.missingUsers(analysis: naming.analysis, users.missing) }
        if !users.renamed.isEmpty, template.userRenames.isEmpty {
            let renamed = try StackTemplate(blueprint: template.blueprint, manager: template.includesManager, userRenames: users.renamed)
            var result = try StackDeployer(client: client, template: renamed, progress: progress).deploy(options)
            result.notes = users.renamedSentences + result.notes
            return result
        }
        do {
            return try deployOnce(options)
        } catch DeployError.stackFailed(let stack, "ROLLBACK_COMPLETE", let resource?, let reason) where QueueCooldown.isDeletedRecently(reason) {
            // A create failed because a queue of the same name was deleted under a minute ago
            // (a teardown or a replaced stack just before): delete the failed stack, wait the
            // minute out, create it again.
            let queue = resource == StackTemplate.Resource.deadLetterQueue ? naming.deadLetterQueueName : naming.jobQueueName
            progress?(.step("SQS refused to create queue \(queue): one of that name was deleted less than a minute ago"))
            guard let failed = try cloudFormation.describeStack(stack) else { throw DeployError.queueDeletedRecently(stack: stack, queue: queue) }
            try FailedStackReplacement(client: client, naming: naming, progress: progress)
                .run(failed, policy: WaiterPolicy(timeout: options.timeout))
            QueueCooldown.wait(queue: queue, sleep: client.sleep, progress: progress)
            do {
                var result = try deployOnce(options)
                result.replacedFailedStack = true
                return result
            } catch DeployError.stackFailed(_, _, _, let again) where QueueCooldown.isDeletedRecently(again) {
                throw DeployError.queueDeletedRecently(stack: stack, queue: queue)
            }
        }
    }

    private func deployOnce(_ options: Options) throws -> Result {
        let stackName = naming.stackName
        let policy = WaiterPolicy(timeout: options.timeout)
        var replaced = false
        // A preview runs ValidateTemplate beside the checks and the change set; a deploy leaves
        // validation to CreateChangeSet, whose refusal reads the same (DeployError.templateRejected).
        let templateURL = try TemplateStaging(client: client, progress: progress).url(for: template.text, stackName: stackName)
        var validationOutcome: Validation = options.dryRun ? .skipped : .changeSet
        var validation: ConcurrentCall<TemplateSummary>?
        if options.dryRun, options.validateTemplate {
            validationOutcome = .validated
            validation = ConcurrentCall { [cloudFormation, template] in
                try cloudFormation.validateTemplate(templateBody: template.text, templateURL: templateURL)
            }
            progress?(.step("validating the template"))
        }

        var existing = try cloudFormation.describeStack(stackName)
        // REVIEW_IN_PROGRESS: a stack whose first change set was never executed; not busy.
        if let stack = existing, !stack.isSettled, stack.status != "REVIEW_IN_PROGRESS" {
            throw DeployError.busy(stack: stackName, status: stack.status)
        }
        if let stack = existing, stack.status == "ROLLBACK_COMPLETE" {
            guard options.replace, !options.dryRun else { throw DeployError.rollbackComplete(stackName) }
            try FailedStackReplacement(client: client, naming: naming, progress: progress).run(stack, policy: policy)
            existing = nil
            replaced = true
        }
        // A stack left in review by an earlier preview has never been created.
        let type: ChangeSetType = (existing == nil || existing?.status == "REVIEW_IN_PROGRESS") ? .create : .update

        try checkPrerequisites(creating: type == .create)

        var parameters: [StackParameter] = []
        if let cidr = options.sshCIDR, !template.includesManager { parameters.append(StackParameter(key: StackTemplate.sshCIDRParameter, value: cidr)) }
        if let subnet = template.subnet {
            parameters.append(StackParameter(key: StackTemplate.vpcParameter, value: try client.ec2.vpcId(ofSubnet: subnet)))
        }
        let input = StackTemplateInput(stackName: stackName, templateBody: template.text, templateURL: templateURL, parameters: parameters,
                                       capabilities: ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
                                       tags: options.tags)
        let changeSetName = Self.changeSetName()
        progress?(.step("creating change set \(changeSetName) (\(type.rawValue))"))
        let created: (changeSetId: String, stackId: String)
        do {
            created = try cloudFormation.createChangeSet(input, changeSetName: changeSetName, type: type,
                                                         description: "ncaas deploy of \(stackName)")
        } catch let error as AWSError {
            _ = try? validation?.value()
            throw DeployError.rejection(of: error, stack: stackName)
        }
        let changeSet: ChangeSet
        do {
            changeSet = try cloudFormation.waitForChangeSet(created.changeSetId, stackName: stackName, policy: policy)
            if let validation {
                do { _ = try validation.value() } catch let error as AWSError { throw DeployError.rejection(of: error, stack: stackName) }
            }
        } catch let error as AWSClientError where error.kind == .waiterFailed {
            try? cloudFormation.deleteChangeSet(created.changeSetId)
            throw DeployError.changeSetFailed(stack: stackName, reason: error.message)
        } catch {
            try? cloudFormation.deleteChangeSet(created.changeSetId)
            if type == .create { try? cloudFormation.deleteStack(created.stackId) }
            throw error
        }
        let changes = ChangeSummary(changeSet.changes)
        var result = Result(stackName: stackName, action: .unchanged, changeSetType: type, changes: changes, status: existing?.status)
        result.replacedFailedStack = replaced
        result.validation = validationOutcome

        if changeSet.isEmpty || (type == .update && changes.isEmpty) {
            try? cloudFormation.deleteChangeSet(created.changeSetId)
            result.action = options.dryRun ? .previewed : .unchanged
            if !options.dryRun { try finish(&result, made: false) }
            return result
        }
        if options.dryRun {
            try? cloudFormation.deleteChangeSet(created.changeSetId)
            if type == .create { try? cloudFormation.deleteStack(created.stackId) }
            result.action = .previewed
            return result
        }

        var watcher = StackEventWatcher(cloudFormation: cloudFormation, stackName: stackName, policy: policy, progress: progress)
        watcher.markExistingEvents(stackId: created.stackId)
        progress?(.step("executing change set \(changeSetName): \(changes.counts)"))
        try cloudFormation.executeChangeSet(created.changeSetId)
        let goal = type == .create ? "CREATE_COMPLETE" : "UPDATE_COMPLETE"
        guard let settled = try watcher.waitUntilSettled(stackId: created.stackId) else {
            throw DeployError.stackFailed(stack: stackName, status: "DELETE_COMPLETE", resource: nil, reason: "the stack disappeared while it was being deployed")
        }
        guard settled.status == goal else {
            let failure = watcher.firstFailure(stackId: created.stackId)
            throw DeployError.stackFailed(stack: stackName, status: settled.status, resource: failure?.resource,
                                          reason: failure?.reason ?? settled.statusReason)
        }
        result.action = type == .create ? .created : .updated
        result.status = settled.status
        result.outputs = settled.outputs.map { DeployedOutput(key: $0.key, value: $0.value) }
        try finish(&result, made: true)
        return result
    }

    /// Converges what the endpoint skipped and, after a change, makes the folder markers.
    private func finish(_ result: inout Result, made: Bool) throws {
        if result.outputs.isEmpty, let stack = try cloudFormation.describeStack(naming.stackName) {
            result.outputs = stack.outputs.map { DeployedOutput(key: $0.key, value: $0.value) }
            result.status = stack.status
        }
        var resources: [StackResource] = []
        if result.outputs.isEmpty { resources = try cloudFormation.describeStackResources(naming.stackName) }
        func physical(_ id: String) -> String? { resources.first { $0.logicalResourceId == id }?.physicalResourceId }
        let queueURL = result.outputs.first { $0.key == StackTemplate.Output.queueURL }?.value ?? physical(StackTemplate.Resource.jobQueue)
        let instanceProfile = result.outputs.first { $0.key == StackTemplate.Output.instanceProfile }?.value ?? physical(StackTemplate.Resource.instanceProfile)
        let outcome = try DeploymentConvergence(client: client, template: template).run(queueURL: queueURL, instanceProfile: instanceProfile, progress: progress)
        result.converged = outcome.fixed
        if result.outputs.isEmpty, let arn = ARN(outcome.queueArn) {
            result.outputs = derivedOutputs(physical: physical, queueURL: queueURL, queueArn: outcome.queueArn, arn: arn)
            result.outputsDerived = true
        }
        guard made else { return }
        for (affiliate, _) in template.affiliates {
            for folder in StackNaming.affiliateFolders {
                let key = naming.prefix(affiliate.name) + folder
                try client.s3.putObject(bucket: naming.bucketName, key: key, data: Data())
                result.folderMarkers.append(key)
            }
        }
        if !result.folderMarkers.isEmpty {
            progress?(.step("made \(result.folderMarkers.count) folder markers for \(template.affiliates.count) affiliate\(template.affiliates.count == 1 ? "" : "s")"))
        }
    }

    /// The template's outputs rebuilt from the stack's resources, for endpoints that report none.
    private func derivedOutputs(physical: (String) -> String?, queueURL: String?, queueArn: String, arn: ARN) -> [DeployedOutput] {
        typealias O = StackTemplate.Output
        typealias R = StackTemplate.Resource
        let profile = physical(R.instanceProfile)
        let values: [(String, String?)] = [
            (O.bucket, physical(R.bucket) ?? naming.bucketName),
            (O.queueURL, queueURL),
            (O.queueArn, queueArn),
            (O.deadLetterQueueURL, physical(R.deadLetterQueue)),
            (O.instanceProfile, profile),
            (O.instanceProfileArn, profile.map { "arn:\(arn.partition):iam::\(arn.account):instance-profile/\($0)" }),
            (O.securityGroup, physical(R.securityGroup)),
            (O.configParameter, physical(R.configParameter) ?? naming.configParameterName),
        ]
        return values.compactMap { key, value in value.map { DeployedOutput(key: key, value: $0) } }
    }

    /// Refuses, before anything is changed, what CloudFormation would only fail on halfway: a bucket
    /// name already taken (affiliate users that do not exist are refused first, in `deploy`).
    private func checkPrerequisites(creating: Bool) throws {
        if creating {
            let exists: Bool
            do {
                exists = try client.s3.bucketExists(naming.bucketName)
            } catch let error as AWSError where error.status == 403 {
                throw DeployError.bucketForbidden(naming.bucketName)
            } catch let error as AWSError where error.status == 301 {
                throw DeployError.bucketInAnotherRegion(bucket: naming.bucketName, region: error.bucketRegion)
            }
            if exists { throw DeployError.bucketTaken(naming.bucketName) }
        }
    }

    /// The affiliates' users as IAM has them (the blueprint's REGION, then the one in use, for `<user><REGION>`).
    private func affiliateUsers() throws -> AffiliateUsers {
        let regions = [template.blueprint.region, client.region].compactMap { $0 }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return try AffiliateUsers.resolve(template.affiliates.map(\.affiliate), regions: regions, iam: client.iam)
    }

    /// `ncaas-20261122T040512-1a2b3c4d`: unique, sortable, within CloudFormation's rules.
    static func changeSetName(date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        return "ncaas-\(formatter.string(from: date))-\(ClientToken.make().prefix(8))"
    }
}

/// One output of the deployed stack.
public struct DeployedOutput: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
