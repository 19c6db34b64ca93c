/// AWS Systems Manager Parameter Store (JSON 1.1 protocol, `X-Amz-Target: AmazonSSM.<Action>`):
/// the parameters ncaas keeps a deployed analysis's configuration in.
public struct SSMClient: Sendable {
    public let client: AWSClient

    public init(_ client: AWSClient) {
        self.client = client
    }

    private func call(_ action: String, idempotent: Bool, settled: Set<String> = [], _ input: [String: Any]) throws -> [String: Any] {
        try client.json(.ssm, targetPrefix: "AmazonSSM", action, input, idempotent: idempotent, settled: settled)
    }

    /// The named parameter; throws `AWSError` with `isParameterNotFound` when there is none.
    public func getParameter(name: String, withDecryption: Bool = false) throws -> SSMParameter {
        let reply = try call("GetParameter", idempotent: true, ["Name": name, "WithDecryption": withDecryption])
        guard let json = reply["Parameter"] as? [String: Any], let parameter = SSMParameter(json: json) else {
            throw AWSClientError(.invalidResponse, "SSM answered GetParameter for \(name) without the parameter.")
        }
        return parameter
    }

    /// The named parameter, or nil when there is none.
    public func parameter(named name: String, withDecryption: Bool = false) throws -> SSMParameter? {
        do {
            return try getParameter(name: name, withDecryption: withDecryption)
        } catch let error as AWSError where error.isParameterNotFound {
            return nil
        }
    }

    /// Creates the parameter or replaces its value (`Overwrite`), and returns its new version.
    public func putParameter(name: String, value: String, type: String = "String", description: String? = nil) throws -> Int {
        var input: [String: Any] = ["Name": name, "Value": value, "Type": type, "Overwrite": true]
        if let description { input["Description"] = description }
        let reply = try call("PutParameter", idempotent: true, input)
        return (reply["Version"] as? Int) ?? 0
    }

    /// Deletes the parameter; throws `AWSError` with `isParameterNotFound` when there is none.
    public func deleteParameter(name: String) throws {
        _ = try call("DeleteParameter", idempotent: false, settled: ["ParameterNotFound"], ["Name": name])
    }
}
