import Foundation

extension IAMClient {
    /// The roles (name and ARN) in the instance profile `name`; throws `AWSError` with code
    /// `NoSuchEntity` when there is no such profile.
    public func instanceProfileRoles(_ name: String) throws -> [(name: String, arn: String)] {
        var parameters = QueryParameters()
        parameters.set("InstanceProfileName", name)
        let result = try client.queryResult(.iam, "GetInstanceProfile", parameters, idempotent: true)
        return (result.child("InstanceProfile") ?? result).list("Roles").compactMap { role in
            role.string("RoleName").map { ($0, role.string("Arn") ?? "") }
        }
    }

    /// The names of a role's inline policies.
    public func listRolePolicies(roleName: String) throws -> [String] {
        var parameters = QueryParameters()
        parameters.set("RoleName", roleName)
        return try client.queryResult(.iam, "ListRolePolicies", parameters, idempotent: true).list("PolicyNames").map(\.text)
    }

    /// Creates or replaces an inline policy of a role (`document` is the policy JSON).
    public func putRolePolicy(roleName: String, policyName: String, document: String) throws {
        var parameters = QueryParameters()
        parameters.set("RoleName", roleName)
        parameters.set("PolicyName", policyName)
        parameters.set("PolicyDocument", document)
        _ = try client.queryResult(.iam, "PutRolePolicy", parameters, idempotent: true)
    }

    /// A role's inline policy; throws `AWSError` with code `NoSuchEntity` when the role or the
    /// policy does not exist.
    public func getRolePolicy(roleName: String, policyName: String) throws -> IAMInlinePolicy {
        var parameters = QueryParameters()
        parameters.set("RoleName", roleName)
        parameters.set("PolicyName", policyName)
        return Self.inlinePolicy(try client.queryResult(.iam, "GetRolePolicy", parameters, idempotent: true), name: policyName)
    }
}
