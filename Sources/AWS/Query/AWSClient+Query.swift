import Foundation

extension AWSClient {
    /// Sends a query-protocol call (form-encoded POST of `Action`, `Version` and the
    /// parameters) and returns the root of the XML reply.
    ///
    /// - Parameters:
    ///   - idempotent: whether the call may be sent again after it may have been processed.
    ///   - url: where to POST, when not the service endpoint (an SQS queue URL).
    ///   - settled, notYetVisible: see `AWSCall.settledCodes` and `AWSCall.notYetVisibleCodes`.
    func query(_ service: AWSService, _ action: String, _ parameters: QueryParameters = QueryParameters(),
               idempotent: Bool, url: String? = nil, settled: Set<String> = [], notYetVisible: Set<String> = []) throws -> XMLTreeElement {
        var pairs: [(String, String)] = [("Action", action), ("Version", service.apiVersion ?? "")]
        pairs += parameters.pairs
        let body = Data(PercentEncoding.formEncode(pairs).utf8)
        let target = try url ?? endpointURL(for: service).url(path: "/")
        let call = AWSCall(service: service, operation: action, idempotent: idempotent, method: "POST", url: target,
                           headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")],
                           body: .bytes(body), settledCodes: settled, notYetVisibleCodes: notYetVisible)
        let response = try send(call)
        // A call settled by an earlier attempt whose reply was lost has no reply of its own.
        if response.body.isEmpty, !settled.isEmpty { return XMLTreeElement(name: action + "Response") }
        do {
            return try XMLTreeElement.parse(response.body)
        } catch {
            throw AWSClientError(.invalidResponse, "\(service.displayName) answered \(action) with a reply that is not XML: \(error)")
        }
    }

    /// Like `query`, returning the `<Action>Result` element (IAM, STS, CloudFormation, SQS
    /// wrap their results in one; EC2 does not, so the root is returned for it).
    func queryResult(_ service: AWSService, _ action: String, _ parameters: QueryParameters = QueryParameters(),
                     idempotent: Bool, url: String? = nil, settled: Set<String> = []) throws -> XMLTreeElement {
        let root = try query(service, action, parameters, idempotent: idempotent, url: url, settled: settled)
        return root.child("\(action)Result") ?? root
    }
}
