import Foundation

/// An inline policy of a user or group, with its document as JSON text.
public struct IAMInlinePolicy: Sendable, Equatable {
    public var policyName: String
    /// The policy document, URL-decoded (IAM answers it percent-encoded, RFC 3986).
    public var document: String

    public init(policyName: String, document: String) {
        self.policyName = policyName
        self.document = document
    }
}

extension IAMClient {
    /// A user's inline policy; throws `AWSError` with code `NoSuchEntity` when the user or the
    /// policy does not exist.
    public func getUserPolicy(userName: String, policyName: String) throws -> IAMInlinePolicy {
        var parameters = QueryParameters()
        parameters.set("UserName", userName)
        parameters.set("PolicyName", policyName)
        return Self.inlinePolicy(try client.queryResult(.iam, "GetUserPolicy", parameters, idempotent: true), name: policyName)
    }

    /// A group's inline policy; throws `AWSError` with code `NoSuchEntity` when the group or the
    /// policy does not exist.
    public func getGroupPolicy(groupName: String, policyName: String) throws -> IAMInlinePolicy {
        var parameters = QueryParameters()
        parameters.set("GroupName", groupName)
        parameters.set("PolicyName", policyName)
        return Self.inlinePolicy(try client.queryResult(.iam, "GetGroupPolicy", parameters, idempotent: true), name: policyName)
    }

    static func inlinePolicy(_ result: XMLTreeElement, name: String) -> IAMInlinePolicy {
        IAMInlinePolicy(policyName: result.string("PolicyName") ?? name, document: decodedDocument(result.string("PolicyDocument") ?? ""))
    }

    /// IAM percent-encodes policy documents; a document that is already JSON is left alone.
    static func decodedDocument(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") { return trimmed }
        return trimmed.removingPercentEncoding ?? trimmed
    }
}

extension AWSError {
    /// IAM's answer for a user, group or policy that does not exist.
    public var isNoSuchEntity: Bool { code == "NoSuchEntity" }
}
