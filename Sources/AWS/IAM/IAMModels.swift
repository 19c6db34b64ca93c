/// An IAM user.
public struct IAMUser: Sendable, Equatable {
    public var userName: String
    public var userId: String
    public var arn: String
    public var path: String

    init(_ element: XMLTreeElement) {
        userName = element.string("UserName") ?? ""
        userId = element.string("UserId") ?? ""
        arn = element.string("Arn") ?? ""
        path = element.string("Path") ?? "/"
    }
}

/// An IAM group.
public struct IAMGroup: Sendable, Equatable {
    public var groupName: String
    public var groupId: String
    public var arn: String

    init(_ element: XMLTreeElement) {
        groupName = element.string("GroupName") ?? ""
        groupId = element.string("GroupId") ?? ""
        arn = element.string("Arn") ?? ""
    }
}

/// A new access key. The secret is only available right after creation; it is never
/// included in `description`.
public struct IAMAccessKey: Sendable, CustomStringConvertible {
    public var userName: String
    public var accessKeyId: String
    public var secretAccessKey: String
    public var status: String

    public var description: String { "access key \(accessKeyId) of \(userName) (\(status))" }
}

/// A managed policy attached to a user or group.
public struct IAMAttachedPolicy: Sendable, Equatable {
    public var policyName: String
    public var policyArn: String
}
