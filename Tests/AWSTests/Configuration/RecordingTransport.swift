import AWS
import Foundation

/// Passes requests to a real transport and remembers their URLs (to prove a step was or was
/// not taken).
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let inner: any HTTPTransport
    private let lock = NSLock()
    private var urls: [String] = []

    init(_ inner: any HTTPTransport) { self.inner = inner }

    var requestedURLs: [String] { lock.withLock { urls } }

    func send(_ request: HTTPRequest, sink: HTTPResponseSink) throws -> HTTPResponse {
        lock.withLock { urls.append(request.url) }
        return try inner.send(request, sink: sink)
    }
}
