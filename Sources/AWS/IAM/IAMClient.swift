/// AWS Identity and Access Management (query protocol, API 2010-05-08): the users, groups,
/// access keys and policies ncaas manages for affiliates and tests.
public struct IAMClient: Sendable {
    public let client: AWSClient

    public init(_ client: AWSClient) {
        self.client = client
    }

    private func call(_ action: String, idempotent: Bool, settled: Set<String> = [], _ fill: (inout QueryParameters) -> Void = { _ in }) throws -> XMLTreeElement {
        var parameters = QueryParameters()
        fill(&parameters)
        return try client.queryResult(.iam, action, parameters, idempotent: idempotent, settled: settled)
    }

    /// A delete or remove that IAM answers with NoSuchEntity when an earlier attempt (its reply lost) did it.
    static let gone: Set<String> = ["NoSuchEntity"]

    // MARK: Users

    public func createUser(userName: String, path: String? = nil, tags: [Tag] = []) throws -> IAMUser {
        let result = try call("CreateUser", idempotent: false) {
            $0.set("UserName", userName)
            $0.set("Path", path)
            $0.setStructList("Tags.member", tags) { q, prefix, tag in
                q.set("\(prefix).Key", tag.key)
                q.set("\(prefix).Value", tag.value)
            }
        }
        return IAMUser(result.child("User") ?? result)
    }

    /// A user's tags.
    public func listUserTags(userName: String) throws -> [Tag] {
        let result = try call("ListUserTags", idempotent: true) { $0.set("UserName", userName) }
        return result.list("Tags").map { Tag(key: $0.string("Key") ?? "", value: $0.string("Value") ?? "") }
    }

    /// The named user, or the caller's own user when `userName` is nil.
    public func getUser(userName: String? = nil) throws -> IAMUser {
        let result = try call("GetUser", idempotent: true) { $0.set("UserName", userName) }
        return IAMUser(result.child("User") ?? result)
    }

    /// The users whose path starts with `pathPrefix` (every user when nil), all pages.
    public func listUsers(pathPrefix: String? = nil) throws -> [IAMUser] {
        var users: [IAMUser] = []
        var marker: String?
        repeat {
            let result = try call("ListUsers", idempotent: true) { $0.set("PathPrefix", pathPrefix); $0.set("Marker", marker) }
            users += result.list("Users").map(IAMUser.init)
            marker = result.string("IsTruncated") == "true" ? result.string("Marker") : nil
        } while marker != nil
        return users
    }

    public func deleteUser(userName: String) throws {
        _ = try call("DeleteUser", idempotent: false, settled: Self.gone) { $0.set("UserName", userName) }
    }

    // MARK: Access keys

    public func createAccessKey(userName: String) throws -> IAMAccessKey {
        let result = try call("CreateAccessKey", idempotent: false) { $0.set("UserName", userName) }
        let key = result.child("AccessKey") ?? result
        return IAMAccessKey(userName: key.string("UserName") ?? userName, accessKeyId: key.string("AccessKeyId") ?? "",
                            secretAccessKey: key.string("SecretAccessKey") ?? "", status: key.string("Status") ?? "")
    }

    public func deleteAccessKey(userName: String, accessKeyId: String) throws {
        _ = try call("DeleteAccessKey", idempotent: false, settled: Self.gone) {
            $0.set("UserName", userName)
            $0.set("AccessKeyId", accessKeyId)
        }
    }

    /// The ids of a user's access keys.
    public func listAccessKeys(userName: String) throws -> [String] {
        let result = try call("ListAccessKeys", idempotent: true) { $0.set("UserName", userName) }
        return result.list("AccessKeyMetadata").compactMap { $0.string("AccessKeyId") }
    }

    // MARK: Inline user policies

    /// Creates or replaces an inline policy of a user (`document` is the policy JSON).
    public func putUserPolicy(userName: String, policyName: String, document: String) throws {
        _ = try call("PutUserPolicy", idempotent: true) {
            $0.set("UserName", userName)
            $0.set("PolicyName", policyName)
            $0.set("PolicyDocument", document)
        }
    }

    public func deleteUserPolicy(userName: String, policyName: String) throws {
        _ = try call("DeleteUserPolicy", idempotent: false, settled: Self.gone) {
            $0.set("UserName", userName)
            $0.set("PolicyName", policyName)
        }
    }

    /// The names of a user's inline policies.
    public func listUserPolicies(userName: String) throws -> [String] {
        let result = try call("ListUserPolicies", idempotent: true) { $0.set("UserName", userName) }
        return result.list("PolicyNames").map(\.text)
    }

    /// The managed policies attached to a user.
    public func listAttachedUserPolicies(userName: String) throws -> [IAMAttachedPolicy] {
        let result = try call("ListAttachedUserPolicies", idempotent: true) { $0.set("UserName", userName) }
        return result.list("AttachedPolicies").map {
            IAMAttachedPolicy(policyName: $0.string("PolicyName") ?? "", policyArn: $0.string("PolicyArn") ?? "")
        }
    }

    // MARK: Groups

    /// Sent again after a lost reply, it answers EntityAlreadyExists, which callers read as "there".
    public func createGroup(groupName: String, path: String? = nil) throws -> IAMGroup {
        let result = try call("CreateGroup", idempotent: true) { $0.set("GroupName", groupName); $0.set("Path", path) }
        return IAMGroup(result.child("Group") ?? result)
    }

    public func deleteGroup(groupName: String) throws {
        _ = try call("DeleteGroup", idempotent: false, settled: Self.gone) { $0.set("GroupName", groupName) }
    }

    public func addUserToGroup(userName: String, groupName: String) throws {
        _ = try call("AddUserToGroup", idempotent: true) {
            $0.set("GroupName", groupName)
            $0.set("UserName", userName)
        }
    }

    public func removeUserFromGroup(userName: String, groupName: String) throws {
        _ = try call("RemoveUserFromGroup", idempotent: false, settled: Self.gone) {
            $0.set("GroupName", groupName)
            $0.set("UserName", userName)
        }
    }

    /// The users in a group (IAM answers NoSuchEntity when there is no such group).
    public func getGroupUsers(groupName: String) throws -> [IAMUser] {
        var users: [IAMUser] = []
        var marker: String?
        repeat {
            let result = try call("GetGroup", idempotent: true) { $0.set("GroupName", groupName); $0.set("Marker", marker) }
            users += result.list("Users").map(IAMUser.init)
            marker = result.string("IsTruncated") == "true" ? result.string("Marker") : nil
        } while marker != nil
        return users
    }

    /// The groups a user belongs to.
    public func listGroupsForUser(userName: String) throws -> [IAMGroup] {
        let result = try call("ListGroupsForUser", idempotent: true) { $0.set("UserName", userName) }
        return result.list("Groups").map(IAMGroup.init)
    }

    /// Creates or replaces an inline policy of a group.
    public func putGroupPolicy(groupName: String, policyName: String, document: String) throws {
        _ = try call("PutGroupPolicy", idempotent: true) {
            $0.set("GroupName", groupName)
            $0.set("PolicyName", policyName)
            $0.set("PolicyDocument", document)
        }
    }
}
