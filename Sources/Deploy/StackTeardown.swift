import AWS
import Foundation
import Support

/// `ncaas teardown`: deletes the stack; the bucket and its data stay (DeletionPolicy Retain)
/// unless `deleteData`, which empties and deletes the bucket after the stack is gone. Also
/// removes what deploy set through the service APIs (groups, user policies, notifications).
public struct StackTeardown {
    public struct Result: Sendable {
        public var stackName: String
        /// The analysis's bucket (`ncaas.bucket`, else the stack name).
        public var bucketName: String = ""
        public var stackDeleted: Bool
        /// Objects deleted with the bucket (`deleteData`).
        public var objectsDeleted = 0
        public var bucketDeleted = false
        /// True when the bucket (and its data) is still there.
        public var bucketKept = false
        /// Sentences for what was removed through the service APIs.
        public var cleaned: [String] = []

        /// What was done so far, for a teardown that stopped part-way.
        var doneSentences: [String] {
            (stackDeleted ? ["deleted stack \(stackName)"] : []) + cleaned
                + (objectsDeleted > 0 ? ["deleted \(objectsDeleted) object\(objectsDeleted == 1 ? "" : "s") from the bucket"] : [])
        }
    }

    public let client: AWSClient
    public let template: StackTemplate
    public let progress: ((DeployProgress) -> Void)?

    public init(client: AWSClient, template: StackTemplate, progress: ((DeployProgress) -> Void)? = nil) {
        self.client = client
        self.template = template
        self.progress = progress
    }

    private var naming: StackNaming { template.naming }

    /// Tears down; `deleteData` must already have been confirmed by the user. Every step is
    /// idempotent, so a teardown that stopped part-way (its error says what was done and what was
    /// not) is finished by running it again.
    public func run(deleteData: Bool, timeout: TimeInterval = 900) throws -> Result {
        var result = Result(stackName: naming.stackName, bucketName: naming.bucketName, stackDeleted: false)
        do {
            try run(deleteData: deleteData, timeout: timeout, into: &result)
            return result
        } catch {
            let done = result.doneSentences
            guard !done.isEmpty else { throw error }
            let rerun = "ncaas teardown \(naming.analysis)\(deleteData ? " --delete-data" : "")"
            throw PartialFailure(error: error, done: done,
                                      notDone: "the rest of the teardown\(deleteData ? " (the bucket and its remaining data)" : "") was not done; run `\(rerun)` again to finish it")
        }
    }

    private func run(deleteData: Bool, timeout: TimeInterval, into result: inout Result) throws {
        let cloudFormation = client.cloudFormation
        let stack = try cloudFormation.describeStack(naming.stackName)
        let bucketExists = try client.s3.bucketExists(naming.bucketName)
        guard stack != nil || bucketExists else { throw DeployError.noStack(naming.stackName) }

        if let stack {
            if !stack.isSettled, stack.status != "REVIEW_IN_PROGRESS" { throw DeployError.busy(stack: naming.stackName, status: stack.status) }
            progress?(.step("deleting stack \(naming.stackName)"))
            var watcher = StackEventWatcher(cloudFormation: cloudFormation, stackName: naming.stackName,
                                            policy: WaiterPolicy(timeout: timeout), progress: progress)
            watcher.markExistingEvents(stackId: stack.stackId)
            try cloudFormation.deleteStack(stack.stackId)
            if let left = try watcher.waitUntilSettled(stackId: stack.stackId), left.status != "DELETE_COMPLETE" {
                let failure = watcher.firstFailure(stackId: stack.stackId)
                throw DeployError.stackFailed(stack: naming.stackName, status: left.status, resource: failure?.resource,
                                              reason: failure?.reason ?? left.statusReason)
            }
            result.stackDeleted = true
        }
        try removeConvergedState(&result)

        guard bucketExists else { return }
        if deleteData {
            progress?(.step("emptying bucket \(naming.bucketName)"))
            // The whole bucket, no prefix: every key, every page; each key sent as it is stored.
            let listing = try client.s3.listObjectsV2(bucket: naming.bucketName)
            for object in listing.objects {
                try client.s3.deleteObject(bucket: naming.bucketName, key: object.key)
                result.objectsDeleted += 1
            }
            try client.s3.deleteBucket(naming.bucketName)
            result.bucketDeleted = true
        } else {
            // The queue is gone: notifications to it would fail every upload's event.
            let notifies = try stack != nil || !client.s3.getBucketNotificationConfiguration(bucket: naming.bucketName).isEmpty
            if notifies {
                try client.s3.putBucketNotificationConfiguration(bucket: naming.bucketName, queues: [])
                if stack == nil { result.cleaned.append("removed the bucket's notifications to the deleted job queue") }
            }
            // A stack that was already gone and nothing left over: there was nothing to tear down.
            guard stack != nil || !result.cleaned.isEmpty else { throw DeployError.noStack(naming.stackName) }
            result.bucketKept = true
        }
    }

    /// Removes the groups, memberships and user policies deploy may have set through IAM
    /// (CloudFormation has already removed its own; what is gone already is fine).
    private func removeConvergedState(_ result: inout Result) throws {
        func ignoringMissing(_ body: () throws -> Void) throws -> Bool {
            do {
                try body()
                return true
            } catch let error as AWSError where error.code == "NoSuchEntity" {
                return false
            }
        }
        for (affiliate, _) in template.affiliates {
            let groupName = naming.groupName(affiliate.name)
            let policyName = naming.accessPolicyName(affiliate.name)
            for user in affiliate.userNames {
                if try ignoringMissing({ try client.iam.deleteUserPolicy(userName: user, policyName: policyName) }) {
                    result.cleaned.append("removed policy \(policyName) from user \(user)")
                }
                let groups = (try? client.iam.listGroupsForUser(userName: user)) ?? []
                if groups.contains(where: { $0.groupName == groupName }) {
                    _ = try ignoringMissing { try client.iam.removeUserFromGroup(userName: user, groupName: groupName) }
                }
            }
            do {
                if try ignoringMissing({ try client.iam.deleteGroup(groupName: groupName) }) {
                    result.cleaned.append("deleted group \(groupName)")
                }
            } catch let error as AWSError where error.code == "DeleteConflict" {
                // A group with policies or members deploy did not set (IAM has no call here to list them).
                result.cleaned.append("kept group \(groupName): it still has policies or members (\(error.message))")
            }
        }
        for sentence in result.cleaned { progress?(.converged(sentence)) }
    }
}
