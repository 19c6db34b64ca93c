import AWS
import Blueprint
import Foundation
import LosslessJSON

/// After a deploy, checks through the service APIs the state ncaas depends on — the bucket's
/// notifications to the job queue, the queue policy, the affiliates' policies (their content,
/// not only their names) and groups, the job instance role's policy, the deployed configuration
/// in SSM — and sets whatever is
/// missing or different. Some endpoints' CloudFormation skips these (moto 5.2 skips
/// groups, group membership, queue policies and bucket notifications); on AWS the same check
/// catches drift. Each fix is reported as one sentence.
public struct DeploymentConvergence {
    public let client: AWSClient
    public let template: StackTemplate

    public init(client: AWSClient, template: StackTemplate) {
        self.client = client
        self.template = template
    }

    private var naming: StackNaming { template.naming }

    /// What the check found and did.
    public struct Outcome: Sendable {
        /// Sentences for what had to be set (empty when all was in place).
        public var fixed: [String]
        /// The job queue's ARN, as SQS reports it.
        public var queueArn: String
    }

    /// Checks and converges; `instanceProfile` is the job instance profile's name (whose role's
    /// policy is checked), when known.
    public func run(queueURL knownQueueURL: String?, instanceProfile: String? = nil, progress: ((DeployProgress) -> Void)? = nil) throws -> Outcome {
        var fixed: [String] = []
        func note(_ sentence: String) {
            fixed.append(sentence)
            progress?(.converged(sentence))
        }
        let queueURL = try knownQueueURL ?? client.sqs.getQueueURL(name: naming.jobQueueName)
        let attributes = try client.sqs.getQueueAttributes(queueURL: queueURL, names: ["QueueArn", "Policy"])
        guard let queueArn = attributes["QueueArn"], let arn = ARN(queueArn) else {
            throw AWSClientError(.invalidResponse, "SQS did not report the ARN of queue \(naming.jobQueueName).")
        }
        let policies = PolicyDocuments(naming: naming, mode: .resolved(partition: arn.partition, region: arn.region, accountId: arn.account))
        let bucketArn = "arn:\(arn.partition):s3:::\(naming.bucketName)"

        // The queue policy: S3 may only send when it allows this bucket.
        let policy = attributes["Policy"] ?? ""
        if !(policy.contains("sqs:SendMessage") && policy.contains(bucketArn)) {
            let document = JSONWriter.compact.render(policies.queuePolicy(queueArn: .string(queueArn)), baseIndent: "")
            try client.sqs.setQueueAttributes(queueURL: queueURL, attributes: ["Policy": document])
            note("set the policy of queue \(naming.jobQueueName) through the SQS API (only bucket \(naming.bucketName) may send)")
        }

        // The bucket's notifications: one per affiliate's submissions folder.
        let wanted = template.affiliates.map { entry in
            S3QueueConfiguration(id: "\(entry.affiliate.name)-submissions", queueArn: queueArn, events: ["s3:ObjectCreated:*"],
                                 prefix: naming.prefix(entry.affiliate.name) + "submissions/", suffix: StackNaming.submitSuffix)
        }
        let present = try client.s3.getBucketNotificationConfiguration(bucket: naming.bucketName)
        let missing = wanted.filter { want in
            !present.contains { $0.queueArn == want.queueArn && $0.prefix == want.prefix && $0.suffix == want.suffix
                && $0.events.contains(where: { $0 == "s3:ObjectCreated:*" }) }
        }
        if !missing.isEmpty {
            try client.s3.putBucketNotificationConfiguration(bucket: naming.bucketName, queues: wanted)
            note("set \(wanted.count) notification\(wanted.count == 1 ? "" : "s") of bucket \(naming.bucketName) to queue \(naming.jobQueueName) through the S3 API (\(missing.map { $0.prefix ?? "" }.joined(separator: ", ")))")
        }

        // Each affiliate: the access policy on its users, and its group with them in it and the
        // same policy; a policy is compared by its content (parsed JSON), so an edit behind
        // the stack's back is undone.
        for (affiliate, _) in template.affiliates {
            let policyName = naming.accessPolicyName(affiliate.name)
            let groupName = naming.groupName(affiliate.name)
            let document = JSONWriter.compact.render(policies.affiliateAccess(affiliate.name), baseIndent: "")
            var usersWithoutPolicy: [String] = []
            var usersWithDriftedPolicy: [String] = []
            var usersOutsideGroup: [String] = []
            for user in affiliate.userNames {
                switch try inlinePolicy({ try client.iam.getUserPolicy(userName: user, policyName: policyName) }) {
                case nil: usersWithoutPolicy.append(user)
                case let present? where !JSONContent.same(present.document, document): usersWithDriftedPolicy.append(user)
                default: break
                }
                if !(try client.iam.listGroupsForUser(userName: user)).contains(where: { $0.groupName == groupName }) {
                    usersOutsideGroup.append(user)
                }
            }
            for user in usersWithoutPolicy + usersWithDriftedPolicy {
                try client.iam.putUserPolicy(userName: user, policyName: policyName, document: document)
            }
            if !usersWithoutPolicy.isEmpty {
                note("put policy \(policyName) on user\(usersWithoutPolicy.count == 1 ? "" : "s") \(usersWithoutPolicy.joined(separator: ", ")) through the IAM API")
            }
            if !usersWithDriftedPolicy.isEmpty {
                note("put policy \(policyName) back on user\(usersWithDriftedPolicy.count == 1 ? "" : "s") \(usersWithDriftedPolicy.joined(separator: ", ")) through the IAM API (its content had changed)")
            }
            // A group none of whose users is in it may not exist: create it (an existing one answers EntityAlreadyExists).
            var groupCreated = false
            if affiliate.userNames.isEmpty || usersOutsideGroup.count == affiliate.userNames.count {
                groupCreated = try createGroupIfMissing(groupName)
                if groupCreated {
                    try client.iam.putGroupPolicy(groupName: groupName, policyName: policyName, document: document)
                    note("created group \(groupName) with policy \(policyName) through the IAM API")
                }
            }
            if !groupCreated {
                let present = try inlinePolicy { try client.iam.getGroupPolicy(groupName: groupName, policyName: policyName) }
                if present.map({ !JSONContent.same($0.document, document) }) ?? true {
                    try client.iam.putGroupPolicy(groupName: groupName, policyName: policyName, document: document)
                    note(present == nil ? "put policy \(policyName) on group \(groupName) through the IAM API"
                        : "put policy \(policyName) back on group \(groupName) through the IAM API (its content had changed)")
                }
            }
            for user in usersOutsideGroup {
                try client.iam.addUserToGroup(userName: user, groupName: groupName)
            }
            if !usersOutsideGroup.isEmpty {
                note("added \(usersOutsideGroup.joined(separator: ", ")) to group \(groupName) through the IAM API")
            }
        }

        // The job instance role's policy, by content (moto 5.2's CloudFormation stores it as a
        // Python repr, not JSON, which no reader of the policy can use).
        if let instanceProfile, let role = try client.iam.instanceProfileRoles(instanceProfile).first {
            let policyName = naming.instancePolicyName
            let document = JSONWriter.compact.render(policies.instanceAccess, baseIndent: "")
            let present = try inlinePolicy { try client.iam.getRolePolicy(roleName: role.name, policyName: policyName) }
            if present.map({ !JSONContent.same($0.document, document) }) ?? true {
                try client.iam.putRolePolicy(roleName: role.name, policyName: policyName, document: document)
                note(present == nil ? "put policy \(policyName) on role \(role.name) through the IAM API"
                    : "put policy \(policyName) back on role \(role.name) through the IAM API (its content was not the template's)")
            }
        }

        // The deployed configuration: what job runners read must be the blueprint's LambdaConfig.
        let parameterName = naming.configParameterName
        let config = template.deployedConfigJSON
        let parameter = try client.ssm.parameter(named: parameterName)
        if parameter.map({ !JSONContent.same($0.value, config) }) ?? true {
            _ = try client.ssm.putParameter(name: parameterName, value: config,
                                            description: "The deployed LambdaConfig of \(naming.analysis) (JSON): what job runners read.")
            note(parameter == nil ? "created parameter \(parameterName) with the blueprint's LambdaConfig through the SSM API"
                : "set parameter \(parameterName) back to the blueprint's LambdaConfig through the SSM API (it held something else)")
        }
        return Outcome(fixed: fixed, queueArn: queueArn)
    }

    /// The policy `get` reads, or nil when IAM answers NoSuchEntity.
    private func inlinePolicy(_ get: () throws -> IAMInlinePolicy) throws -> IAMInlinePolicy? {
        do {
            return try get()
        } catch let error as AWSError where error.isNoSuchEntity {
            return nil
        }
    }

    /// Creates the group; false when it already exists.
    private func createGroupIfMissing(_ name: String) throws -> Bool {
        do {
            _ = try client.iam.createGroup(groupName: name)
            return true
        } catch let error as AWSError where error.code == "EntityAlreadyExists" {
            return false
        }
    }
}

/// The parts of an ARN ncaas needs: `arn:<partition>:<service>:<region>:<account>:<resource>`.
struct ARN {
    var partition: String
    var service: String
    var region: String
    var account: String

    init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { return nil }
        partition = String(parts[1])
        service = String(parts[2])
        region = String(parts[3])
        account = String(parts[4])
    }
}
