/// Waiting for stacks and change sets to settle.
extension CloudFormationClient {
    /// Polls until the stack is no longer changing and returns it; nil when it is gone
    /// (deleted and no longer listed by name). Progress reports each new status, with the
    /// newest resource event when there is one ("CREATE_IN_PROGRESS: Queue CREATE_COMPLETE").
    public func waitUntilStackSettled(_ stackName: String, policy: WaiterPolicy = .standard,
                                      progress: ((String) -> Void)? = nil) throws -> Stack? {
        try client.wait(for: "stack \(stackName) to settle", policy: policy, progress: progress) { () -> WaiterOutcome<Stack?> in
            guard let stack = try describeStack(stackName) else { return .done(nil) }
            if stack.isSettled { return .done(stack) }
            guard progress != nil,
                  let newest = try? describeStackEventsPage(stack.stackId).items.first,
                  newest.logicalResourceId != stack.stackName else {
                return .pending(status: stack.status)
            }
            return .pending(status: "\(stack.status): \(newest.logicalResourceId) \(newest.resourceStatus)")
        }
    }

    /// Waits until the stack settles in `goal` (e.g. "CREATE_COMPLETE"); any other settled
    /// status fails with the stack's status reason and the first failed resource event.
    @discardableResult
    public func waitForStack(_ stackName: String, toReach goal: String, policy: WaiterPolicy = .standard,
                             progress: ((String) -> Void)? = nil) throws -> Stack? {
        let stack = try waitUntilStackSettled(stackName, policy: policy, progress: progress)
        guard let stack else {
            if goal == "DELETE_COMPLETE" { return nil }
            throw AWSClientError(.waiterFailed, "Stack \(stackName) does not exist (waiting for \(goal)).")
        }
        if stack.status == goal { return stack }
        var reason = stack.statusReason.map { ": \($0)" } ?? ""
        if let failed = try? describeStackEventsPage(stack.stackId).items.last(where: { $0.resourceStatus.hasSuffix("_FAILED") }) {
            reason += " (\(failed.logicalResourceId) \(failed.resourceStatus)\(failed.resourceStatusReason.map { ": \($0)" } ?? ""))"
        }
        throw AWSClientError(.waiterFailed, "Stack \(stackName) ended in \(stack.status) instead of \(goal)\(reason).")
    }

    /// Waits until a change set has been computed; returns it whether it holds changes or
    /// failed for having none (`ChangeSet.isEmpty`), and fails otherwise.
    @discardableResult
    public func waitForChangeSet(_ changeSetName: String, stackName: String? = nil, policy: WaiterPolicy = .standard,
                                 progress: ((String) -> Void)? = nil) throws -> ChangeSet {
        try client.wait(for: "change set \(changeSetName) to be ready", policy: policy, progress: progress) { () -> WaiterOutcome<ChangeSet> in
            let changeSet = try describeChangeSet(changeSetName, stackName: stackName)
            switch changeSet.status {
            case "CREATE_COMPLETE": return .done(changeSet)
            case "FAILED" where changeSet.isEmpty: return .done(changeSet)
            case "FAILED", "DELETE_COMPLETE", "DELETE_FAILED":
                return .failed(reason: "it is \(changeSet.status)\(changeSet.statusReason.map { ": \($0)" } ?? "")")
            default: return .pending(status: changeSet.status)
            }
        }
    }
}
