import Foundation

extension AWSClient {
    /// Sends an AWS JSON 1.1 call (`POST /`, `X-Amz-Target: <targetPrefix>.<action>`, the input
    /// as a JSON object) and returns the reply's JSON object.
    ///
    /// - Parameters:
    ///   - targetPrefix: the service's target prefix (`AmazonSSM`).
    ///   - input: a JSON-serialisable dictionary.
    ///   - idempotent: whether the call may be sent again after it may have been processed.
    func json(_ service: AWSService, targetPrefix: String, _ action: String, _ input: [String: Any],
              idempotent: Bool, settled: Set<String> = []) throws -> [String: Any] {
        let body: Data
        do {
            body = try JSONSerialization.data(withJSONObject: input, options: [.sortedKeys])
        } catch {
            throw AWSClientError(.invalidInput, "The \(service.displayName) \(action) input is not JSON: \(error)")
        }
        let call = AWSCall(service: service, operation: action, idempotent: idempotent, method: "POST",
                           url: try endpointURL(for: service).url(path: "/"),
                           headers: [(name: "Content-Type", value: "application/x-amz-json-1.1"),
                                     (name: "X-Amz-Target", value: "\(targetPrefix).\(action)")],
                           body: .bytes(body), settledCodes: settled)
        let response = try send(call)
        if response.body.isEmpty { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
            throw AWSClientError(.invalidResponse, "\(service.displayName) answered \(action) with a reply that is not a JSON object.")
        }
        return object
    }
}
