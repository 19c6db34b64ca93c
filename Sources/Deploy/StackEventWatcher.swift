import AWS
import Foundation

/// Waits for a stack operation to settle while reporting its new events, oldest first, and
/// finds the first failure of the operation when it did not succeed.
struct StackEventWatcher {
    let cloudFormation: CloudFormationClient
    let stackName: String
    let policy: WaiterPolicy
    let progress: ((DeployProgress) -> Void)?
    /// Event ids already seen (before the operation, or reported).
    private(set) var seen: Set<String> = []

    init(cloudFormation: CloudFormationClient, stackName: String, policy: WaiterPolicy, progress: ((DeployProgress) -> Void)?) {
        self.cloudFormation = cloudFormation
        self.stackName = stackName
        self.policy = policy
        self.progress = progress
    }

    /// Marks the stack's current events as old, so only the coming operation's are reported.
    /// Only needed when someone listens.
    mutating func markExistingEvents(stackId: String?) {
        guard progress != nil, let stackId else { return }
        if let events = try? cloudFormation.describeStackEventsPage(stackId).items { seen.formUnion(events.map(\.eventId)) }
    }

    /// Polls until the stack settles; nil when it no longer exists (deleted).
    mutating func waitUntilSettled(stackId: String) throws -> Stack? {
        var seen = self.seen
        let progress = self.progress
        let cloudFormation = self.cloudFormation
        let stack = try cloudFormation.client.wait(for: "stack \(stackName) to settle", policy: policy) { () -> WaiterOutcome<Stack?> in
            let stack = try cloudFormation.describeStack(stackId)
            if let progress, let events = try? cloudFormation.describeStackEventsPage(stackId).items {
                for event in events.reversed() where !seen.contains(event.eventId) {
                    seen.insert(event.eventId)
                    progress(.stackEvent(event))
                }
            }
            guard let stack, !(stack.status == "DELETE_COMPLETE") else { return .done(nil) }
            return stack.isSettled ? .done(stack) : .pending(status: stack.status)
        }
        self.seen = seen
        return stack
    }

    /// The earliest failed resource event of the latest operation (events after the stack's own
    /// latest `*_IN_PROGRESS` event), as (resource, reason).
    func firstFailure(stackId: String) -> (resource: String, reason: String?)? {
        guard let events = try? cloudFormation.describeStackEvents(stackId, pageLimit: 5) else { return nil }
        var operation: [StackEvent] = []
        for event in events {  // newest first
            if event.logicalResourceId == stackName, event.resourceType == "AWS::CloudFormation::Stack",
               event.resourceStatus.hasSuffix("_IN_PROGRESS"), !event.resourceStatus.contains("ROLLBACK"),
               !event.resourceStatus.contains("CLEANUP") {
                break
            }
            operation.append(event)
        }
        guard let failed = operation.last(where: { $0.resourceStatus.hasSuffix("_FAILED") && $0.logicalResourceId != stackName })
                ?? operation.last(where: { $0.resourceStatus.hasSuffix("_FAILED") }) else { return nil }
        return (failed.logicalResourceId, failed.resourceStatusReason)
    }
}
