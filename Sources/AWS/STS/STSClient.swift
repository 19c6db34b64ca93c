/// Who the credentials belong to, as STS reports it.
public struct CallerIdentity: Sendable, Equatable {
    public var account: String
    public var arn: String
    public var userId: String
}

/// AWS Security Token Service (query protocol, API 2011-06-15).
public struct STSClient: Sendable {
    public let client: AWSClient

    public init(_ client: AWSClient) {
        self.client = client
    }

    /// The account, ARN and user id of the credentials in use (needs no IAM permission).
    public func getCallerIdentity() throws -> CallerIdentity {
        let result = try client.queryResult(.sts, "GetCallerIdentity", idempotent: true)
        return CallerIdentity(account: result.string("Account") ?? "", arn: result.string("Arn") ?? "",
                              userId: result.string("UserId") ?? "")
    }
}
