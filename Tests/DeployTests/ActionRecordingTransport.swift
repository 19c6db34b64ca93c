import AWS
import Foundation

/// Passes every request on to a real transport (and so to a real server) and remembers the
/// query-protocol `Action` or JSON-protocol `X-Amz-Target` of each, to prove what was sent.
final class ActionRecordingTransport: HTTPTransport, @unchecked Sendable {
    private let inner: any HTTPTransport
    private let lock = NSLock()
    private var recorded: [String] = []

    init(_ inner: any HTTPTransport = CurlTransport()) { self.inner = inner }

    /// The actions sent so far, oldest first (`"ValidateTemplate"`, `"AmazonSSM.GetParameter"`).
    var actions: [String] { lock.withLock { recorded } }

    /// How many times `action` was sent.
    func count(_ action: String) -> Int { actions.filter { $0 == action }.count }

    func send(_ request: HTTPRequest, sink: HTTPResponseSink) throws -> HTTPResponse {
        if let action = Self.action(of: request) { lock.withLock { recorded.append(action) } }
        return try inner.send(request, sink: sink)
    }

    private static func action(of request: HTTPRequest) -> String? {
        if let target = request.headers.first(where: { $0.name.lowercased() == "x-amz-target" }) { return target.value }
        guard case .bytes(let body) = request.body else { return nil }
        return String(decoding: body, as: UTF8.self).split(separator: "&")
            .first { $0.hasPrefix("Action=") }.map { String($0.dropFirst("Action=".count)) }
    }
}
