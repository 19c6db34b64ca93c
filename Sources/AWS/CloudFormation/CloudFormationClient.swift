/// AWS CloudFormation (query protocol, API 2010-05-15): stacks, change sets, events.
///
/// Creates, updates, deletes and change-set executions carry a client request token, so
/// they are retried safely.
public struct CloudFormationClient: Sendable {
    public let client: AWSClient

    public init(_ client: AWSClient) {
        self.client = client
    }

    func call(_ action: String, idempotent: Bool, settled: Set<String> = [], _ fill: (inout QueryParameters) -> Void = { _ in }) throws -> XMLTreeElement {
        var parameters = QueryParameters()
        fill(&parameters)
        return try client.queryResult(.cloudformation, action, parameters, idempotent: idempotent, settled: settled)
    }

    // MARK: Stacks

    /// Starts creating a stack and returns its id.
    public func createStack(_ input: StackTemplateInput, onFailure: String? = nil) throws -> String {
        let result = try call("CreateStack", idempotent: true) { p in
            input.add(to: &p)
            p.set("OnFailure", onFailure)
            p.set("ClientRequestToken", input.clientRequestToken)
        }
        return result.string("StackId") ?? ""
    }

    /// Starts updating a stack and returns its id. When nothing would change, CloudFormation
    /// refuses with a ValidationError (`AWSError.isNoUpdatesToPerform`).
    public func updateStack(_ input: StackTemplateInput) throws -> String {
        let result = try call("UpdateStack", idempotent: true) { p in
            input.add(to: &p)
            p.set("ClientRequestToken", input.clientRequestToken)
        }
        return result.string("StackId") ?? ""
    }

    /// Starts deleting a stack (by name or id).
    public func deleteStack(_ stackName: String, clientRequestToken: String = ClientToken.make()) throws {
        _ = try call("DeleteStack", idempotent: true) { p in
            p.set("StackName", stackName)
            p.set("ClientRequestToken", clientRequestToken)
        }
    }

    /// One page of stacks (one stack when `stackName` is given).
    public func describeStacksPage(stackName: String? = nil, nextToken: String? = nil) throws -> Page<Stack> {
        let result = try call("DescribeStacks", idempotent: true) { p in
            p.set("StackName", stackName)
            p.set("NextToken", nextToken)
        }
        return Page(items: result.list("Stacks").map(Stack.init), nextToken: result.string("NextToken"))
    }

    /// All stacks, or the named one.
    public func describeStacks(stackName: String? = nil, pageLimit: Int = Paginator.defaultPageLimit) throws -> [Stack] {
        try Paginator.all(operation: "DescribeStacks", pageLimit: pageLimit) {
            try describeStacksPage(stackName: stackName, nextToken: $0)
        }
    }

    /// The named stack, or nil when there is no such stack.
    public func describeStack(_ stackName: String) throws -> Stack? {
        do {
            return try describeStacksPage(stackName: stackName).items.first
        } catch let error as AWSError where error.isStackMissing {
            return nil
        }
    }

    /// One page of a stack's events, newest first.
    public func describeStackEventsPage(_ stackName: String, nextToken: String? = nil) throws -> Page<StackEvent> {
        let result = try call("DescribeStackEvents", idempotent: true) { p in
            p.set("StackName", stackName)
            p.set("NextToken", nextToken)
        }
        return Page(items: result.list("StackEvents").map(StackEvent.init), nextToken: result.string("NextToken"))
    }

    /// All of a stack's events, newest first.
    public func describeStackEvents(_ stackName: String, pageLimit: Int = Paginator.defaultPageLimit) throws -> [StackEvent] {
        try Paginator.all(operation: "DescribeStackEvents", pageLimit: pageLimit) {
            try describeStackEventsPage(stackName, nextToken: $0)
        }
    }

    public func describeStackResources(_ stackName: String) throws -> [StackResource] {
        let result = try call("DescribeStackResources", idempotent: true) { $0.set("StackName", stackName) }
        return result.list("StackResources").map(StackResource.init)
    }

    /// Checks a template's syntax and reports its parameters and needed capabilities.
    /// - Parameter templateURL: where the template was uploaded, sent instead of the body.
    public func validateTemplate(templateBody: String, templateURL: String? = nil) throws -> TemplateSummary {
        let result = try call("ValidateTemplate", idempotent: true) { p in
            if let templateURL { p.set("TemplateURL", templateURL) } else { p.set("TemplateBody", templateBody) }
        }
        return TemplateSummary(description: result.string("Description"),
                               parameterKeys: result.list("Parameters").compactMap { $0.string("ParameterKey") },
                               capabilities: result.list("Capabilities").map(\.text))
    }

    // MARK: Change sets

    /// Creates a change set and returns its id (and the stack's). Not sent again blindly after a
    /// reply that may have been lost (an endpoint that ignores ClientToken would make a second
    /// stack of the same name): the change set is looked up by its name (unique per deploy), and
    /// only when it is not there is the request sent again.
    public func createChangeSet(_ input: StackTemplateInput, changeSetName: String, type: ChangeSetType,
                                description: String? = nil) throws -> (changeSetId: String, stackId: String) {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let result = try call("CreateChangeSet", idempotent: false) { p in
                    input.add(to: &p)
                    p.set("ChangeSetName", changeSetName)
                    p.set("ChangeSetType", type.rawValue)
                    p.set("Description", description)
                    p.set("ClientToken", input.clientRequestToken)
                }
                return (result.string("Id") ?? "", result.string("StackId") ?? "")
            } catch let error where attempt < client.retryPolicy.maxAttempts && AWSClient.mayHaveActed(error) {
                if let made = try? describeChangeSet(changeSetName, stackName: input.stackName), !made.changeSetId.isEmpty {
                    return (made.changeSetId, made.stackId)
                }
                client.sleep(client.retryPolicy.backoff(retry: attempt))
            }
        }
    }

    /// A change set with all its changes.
    public func describeChangeSet(_ changeSetName: String, stackName: String? = nil,
                                  pageLimit: Int = Paginator.defaultPageLimit) throws -> ChangeSet {
        var header: XMLTreeElement?
        let changes = try Paginator.all(operation: "DescribeChangeSet", pageLimit: pageLimit) { token -> Page<ResourceChange> in
            let result = try call("DescribeChangeSet", idempotent: true) { p in
                p.set("ChangeSetName", changeSetName)
                p.set("StackName", stackName)
                p.set("NextToken", token)
            }
            if header == nil { header = result }
            let items = result.list("Changes").compactMap { change -> ResourceChange? in
                guard let resource = change.child("ResourceChange") else { return nil }
                return ResourceChange(action: resource.string("Action") ?? "",
                                      logicalResourceId: resource.string("LogicalResourceId") ?? "",
                                      resourceType: resource.string("ResourceType") ?? "",
                                      replacement: resource.string("Replacement"))
            }
            return Page(items: items, nextToken: result.string("NextToken"))
        }
        let first = header ?? XMLTreeElement(name: "DescribeChangeSetResult")
        return ChangeSet(changeSetId: first.string("ChangeSetId") ?? "", changeSetName: first.string("ChangeSetName") ?? "",
                         stackId: first.string("StackId") ?? "", status: first.string("Status") ?? "",
                         statusReason: first.string("StatusReason"),
                         executionStatus: first.string("ExecutionStatus") ?? "", changes: changes)
    }

    /// Applies a change set to its stack.
    public func executeChangeSet(_ changeSetName: String, stackName: String? = nil,
                                 clientRequestToken: String = ClientToken.make()) throws {
        _ = try call("ExecuteChangeSet", idempotent: true) { p in
            p.set("ChangeSetName", changeSetName)
            p.set("StackName", stackName)
            p.set("ClientRequestToken", clientRequestToken)
        }
    }

    public func deleteChangeSet(_ changeSetName: String, stackName: String? = nil) throws {
        _ = try call("DeleteChangeSet", idempotent: false, settled: ["ChangeSetNotFound", "ChangeSetNotFoundException"]) { p in
            p.set("ChangeSetName", changeSetName)
            p.set("StackName", stackName)
        }
    }
}

extension AWSError {
    /// CloudFormation's refusal of an update that would change nothing.
    public var isNoUpdatesToPerform: Bool {
        code == "ValidationError" && message.contains("No updates are to be performed")
    }

    /// CloudFormation's answer for a stack name that does not exist.
    public var isStackMissing: Bool {
        code == "ValidationError" && message.contains("does not exist")
    }
}
