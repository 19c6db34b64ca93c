import Foundation

/// Sends a request that carries no AWS signature (AssumeRoleWithWebIdentity, the SSO portal
/// and its token service, the container credentials endpoint), retrying a failed connection,
/// a throttle or a server error a few times with a short backoff.
enum UnsignedRequest {
    /// The last reply, whatever its status; throws `TransportError` when the last attempt got none.
    static func send(_ request: HTTPRequest, transport: any HTTPTransport, attempts: Int = 3,
                     sleep: (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }) throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try transport.send(request)
                let retryable = response.status == 429 || response.status >= 500
                guard retryable, attempt < attempts else { return response }
            } catch let failure as TransportError {
                guard attempt < attempts else { throw failure }
            }
            sleep(0.2 * Double(1 << (attempt - 1)))
        }
    }
}
