import AWS

/// What a deploy or teardown is doing, for progress lines.
public enum DeployProgress: Sendable {
    /// A step has begun ("validating the template").
    case step(String)
    /// A new stack event, oldest first.
    case stackEvent(StackEvent)
    /// Something the endpoint's CloudFormation skipped was set through the service API.
    case converged(String)
}

/// A change set's resource changes, grouped the way a reviewer reads them.
public struct ChangeSummary: Sendable, Equatable {
    public var added: [ResourceChange] = []
    public var modified: [ResourceChange] = []
    public var replaced: [ResourceChange] = []
    public var removed: [ResourceChange] = []

    public init(_ changes: [ResourceChange]) {
        for change in changes {
            switch change.action {
            case "Add": added.append(change)
            case "Remove": removed.append(change)
            default:
                if change.replacement == "True" { replaced.append(change) } else { modified.append(change) }
            }
        }
    }

    public var isEmpty: Bool { added.isEmpty && modified.isEmpty && replaced.isEmpty && removed.isEmpty }

    /// `2 to add, 1 to modify, 0 to replace, 0 to remove`.
    public var counts: String {
        "\(added.count) to add, \(modified.count) to modify, \(replaced.count) to replace, \(removed.count) to remove"
    }

    /// One line per change: `+ JobQueue (AWS::SQS::Queue)`, `~`, `±` (replace), `-`.
    public var lines: [String] {
        added.map { "+ \($0.logicalResourceId) (\($0.resourceType))" }
            + modified.map { "~ \($0.logicalResourceId) (\($0.resourceType))" }
            + replaced.map { "± \($0.logicalResourceId) (\($0.resourceType), replaced)" }
            + removed.map { "- \($0.logicalResourceId) (\($0.resourceType))" }
    }
}
