import AWS

/// `--replace` of a stack in ROLLBACK_COMPLETE. The failed creation may have left its bucket
/// behind (DeletionPolicy Retain holds on a rollback too), and a new stack cannot create a
/// bucket that exists. An empty bucket this stack created is deleted with the stack, so it is
/// made again; a bucket holding data is never deleted, and the replacement is refused before
/// anything changes.
struct FailedStackReplacement {
    let client: AWSClient
    let naming: StackNaming
    let progress: ((DeployProgress) -> Void)?

    /// Deletes the failed stack (and the empty bucket it left) and waits until it is gone.
    func run(_ stack: Stack, policy: WaiterPolicy) throws {
        let cloudFormation = client.cloudFormation
        let bucket = naming.bucketName
        let leftEmptyBucket = try leftBucket(stackId: stack.stackId)
        progress?(.step("deleting stack \(naming.stackName), which is in ROLLBACK_COMPLETE"))
        try cloudFormation.deleteStack(stack.stackId)
        var watcher = StackEventWatcher(cloudFormation: cloudFormation, stackName: naming.stackName, policy: policy, progress: progress)
        if let left = try watcher.waitUntilSettled(stackId: stack.stackId), left.status != "DELETE_COMPLETE" {
            throw DeployError.stackFailed(stack: naming.stackName, status: left.status,
                                          resource: watcher.firstFailure(stackId: stack.stackId)?.resource, reason: left.statusReason)
        }
        if leftEmptyBucket {
            progress?(.step("deleting the empty bucket \(bucket) the failed creation left (the new stack makes it again)"))
            try client.s3.deleteBucket(bucket)
        }
    }

    /// Whether the failed creation left its bucket, empty; throws when it left it with data.
    private func leftBucket(stackId: String) throws -> Bool {
        let bucket = naming.bucketName
        guard try client.s3.bucketExists(bucket) else { return false }
        // Only a bucket this stack created is its to delete (a retained one stays among its
        // resources, DELETE_SKIPPED on AWS); another's is refused as taken.
        let resources = try client.cloudFormation.describeStackResources(stackId)
        guard resources.contains(where: { $0.logicalResourceId == StackTemplate.Resource.bucket && $0.physicalResourceId == bucket
            && !$0.resourceStatus.hasPrefix("CREATE_FAILED") }) else {
            throw DeployError.bucketTaken(bucket)
        }
        let page = try client.s3.listObjectsV2Page(bucket: bucket, maxKeys: 1)
        if !page.objects.isEmpty { throw DeployError.failedStackBucketHoldsData(stack: naming.stackName, bucket: bucket) }
        return true
    }
}
