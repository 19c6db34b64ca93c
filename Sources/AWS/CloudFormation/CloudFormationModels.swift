/// A template parameter value.
public struct StackParameter: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A stack output.
public struct StackOutput: Sendable, Equatable {
    public var key: String
    public var value: String
    public var description: String?
}

/// A CloudFormation stack as DescribeStacks reports it.
public struct Stack: Sendable, Equatable {
    public var stackId: String
    public var stackName: String
    /// e.g. "CREATE_COMPLETE", "UPDATE_ROLLBACK_IN_PROGRESS".
    public var status: String
    public var statusReason: String?
    public var creationTime: String?
    public var lastUpdatedTime: String?
    public var parameters: [StackParameter]
    public var outputs: [StackOutput]
    public var tags: [Tag]

    /// True unless the stack is still changing (status ends in `_IN_PROGRESS`).
    public var isSettled: Bool { !status.hasSuffix("_IN_PROGRESS") }

    /// The value of an output, if the stack has it.
    public func output(_ key: String) -> String? { outputs.first { $0.key == key }?.value }

    init(_ e: XMLTreeElement) {
        stackId = e.string("StackId") ?? ""
        stackName = e.string("StackName") ?? ""
        status = e.string("StackStatus") ?? ""
        statusReason = e.string("StackStatusReason")
        creationTime = e.string("CreationTime")
        lastUpdatedTime = e.string("LastUpdatedTime")
        parameters = e.list("Parameters").map {
            StackParameter(key: $0.string("ParameterKey") ?? "", value: $0.string("ParameterValue") ?? "")
        }
        outputs = e.list("Outputs").map {
            StackOutput(key: $0.string("OutputKey") ?? "", value: $0.string("OutputValue") ?? "",
                        description: $0.string("Description"))
        }
        tags = Tag.list(e, "Tags")
    }
}

/// One event in a stack's history.
public struct StackEvent: Sendable, Equatable {
    public var eventId: String
    public var logicalResourceId: String
    public var physicalResourceId: String?
    public var resourceType: String
    public var resourceStatus: String
    public var resourceStatusReason: String?
    public var timestamp: String

    init(_ e: XMLTreeElement) {
        eventId = e.string("EventId") ?? ""
        logicalResourceId = e.string("LogicalResourceId") ?? ""
        physicalResourceId = e.string("PhysicalResourceId")
        resourceType = e.string("ResourceType") ?? ""
        resourceStatus = e.string("ResourceStatus") ?? ""
        resourceStatusReason = e.string("ResourceStatusReason")
        timestamp = e.string("Timestamp") ?? ""
    }
}

/// A resource of a stack.
public struct StackResource: Sendable, Equatable {
    public var logicalResourceId: String
    public var physicalResourceId: String?
    public var resourceType: String
    public var resourceStatus: String

    init(_ e: XMLTreeElement) {
        logicalResourceId = e.string("LogicalResourceId") ?? ""
        physicalResourceId = e.string("PhysicalResourceId")
        resourceType = e.string("ResourceType") ?? ""
        resourceStatus = e.string("ResourceStatus") ?? ""
    }
}

/// What a create or update submits: the template and how to apply it.
public struct StackTemplateInput: Sendable {
    public var stackName: String
    public var templateBody: String
    /// Where the template was uploaded (S3), sent instead of the body: CloudFormation takes at
    /// most 51,200 bytes of TemplateBody.
    public var templateURL: String?
    public var parameters: [StackParameter]
    /// e.g. "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM".
    public var capabilities: [String]
    public var tags: [Tag]
    /// Makes the call safe to retry: CloudFormation acts on a token once.
    public var clientRequestToken: String

    public init(stackName: String, templateBody: String, templateURL: String? = nil, parameters: [StackParameter] = [],
                capabilities: [String] = [], tags: [Tag] = [], clientRequestToken: String = ClientToken.make()) {
        self.stackName = stackName
        self.templateBody = templateBody
        self.templateURL = templateURL
        self.parameters = parameters
        self.capabilities = capabilities
        self.tags = tags
        self.clientRequestToken = clientRequestToken
    }

    func add(to p: inout QueryParameters) {
        p.set("StackName", stackName)
        if let templateURL {
            p.set("TemplateURL", templateURL)
        } else {
            p.set("TemplateBody", templateBody)
        }
        p.setStructList("Parameters.member", parameters) { q, prefix, parameter in
            q.set("\(prefix).ParameterKey", parameter.key)
            q.set("\(prefix).ParameterValue", parameter.value)
        }
        p.setMemberList("Capabilities", capabilities)
        p.setStructList("Tags.member", tags) { q, prefix, tag in
            q.set("\(prefix).Key", tag.key)
            q.set("\(prefix).Value", tag.value)
        }
    }
}

/// Whether a change set creates a new stack or updates an existing one.
public enum ChangeSetType: String, Sendable {
    case create = "CREATE"
    case update = "UPDATE"
}

/// One resource change a change set would make.
public struct ResourceChange: Sendable, Equatable {
    /// "Add", "Modify", "Remove", ...
    public var action: String
    public var logicalResourceId: String
    public var resourceType: String
    /// "True", "False", "Conditional" for modifications.
    public var replacement: String?
}

/// A change set as DescribeChangeSet reports it.
public struct ChangeSet: Sendable, Equatable {
    public var changeSetId: String
    public var changeSetName: String
    public var stackId: String
    /// "CREATE_PENDING", "CREATE_IN_PROGRESS", "CREATE_COMPLETE", "FAILED", ...
    public var status: String
    public var statusReason: String?
    /// "AVAILABLE", "UNAVAILABLE", "EXECUTE_COMPLETE", ...
    public var executionStatus: String
    public var changes: [ResourceChange]

    /// A failed change set whose only problem is that it changes nothing.
    public var isEmpty: Bool {
        status == "FAILED" && (statusReason?.contains("didn't contain changes") == true
            || statusReason?.contains("No updates are to be performed") == true)
    }
}

/// What ValidateTemplate found in a template.
public struct TemplateSummary: Sendable, Equatable {
    public var description: String?
    public var parameterKeys: [String]
    /// Capabilities the template needs to be deployed (e.g. "CAPABILITY_IAM").
    public var capabilities: [String]
}
