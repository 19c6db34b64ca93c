import Curl
import Foundation

/// `HTTPTransport` over libcurl. Keeps a small pool of easy handles so that connections are
/// reused across requests, and so that requests from several threads never share a handle.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    /// Time limits applied to every request.
    public let timeouts: CurlTimeouts

    private let lock = NSLock()
    /// Idle handles, guarded by `lock`. A handle is taken out for one request and put back.
    private var idle: [CurlEasy] = []
    private let maximumIdle: Int

    /// - Parameters:
    ///   - timeouts: connect timeout, low-speed limit and optional overall limit.
    ///   - maximumIdleHandles: handles (each with its open connections) kept between requests.
    public init(timeouts: CurlTimeouts = CurlTimeouts(), maximumIdleHandles: Int = 4) {
        self.timeouts = timeouts
        self.maximumIdle = max(1, maximumIdleHandles)
    }

    public func send(_ request: HTTPRequest, sink: HTTPResponseSink) throws -> HTTPResponse {
        let curlRequest = CurlRequest(
            method: request.method,
            url: request.url,
            headers: request.headers,
            body: Self.curlBody(request.body),
            sink: Self.curlSink(sink),
            timeouts: timeouts
        )
        let easy: CurlEasy
        do {
            easy = try checkOut()
        } catch let error as CurlError {
            throw Self.transportError(error, url: request.url)
        }
        do {
            let response = try easy.perform(curlRequest)
            checkIn(easy)
            return HTTPResponse(status: response.status, headers: response.headers, body: response.body)
        } catch let error as CurlError {
            // A handle whose transfer failed is dropped, with whatever connection state it had.
            throw Self.transportError(error, url: request.url)
        }
    }

    // MARK: - Handle pool

    private func checkOut() throws -> CurlEasy {
        lock.lock()
        let reused = idle.popLast()
        lock.unlock()
        return try reused ?? CurlEasy()
    }

    private func checkIn(_ easy: CurlEasy) {
        lock.lock()
        defer { lock.unlock() }
        if idle.count < maximumIdle { idle.append(easy) }
    }

    // MARK: - Mapping

    static func curlBody(_ body: HTTPBody) -> CurlRequestBody {
        switch body {
        case .empty: return .empty
        case .bytes(let data): return .bytes(data)
        case .file(let path, let offset, let length): return .file(path: path, offset: offset, length: length)
        }
    }

    static func curlSink(_ sink: HTTPResponseSink) -> CurlResponseSink {
        switch sink {
        case .memory: return .memory
        case .file(let path): return .file(path: path)
        }
    }

    /// Maps a curl failure to the transport's kinds, keeping curl's own message.
    public static func transportError(_ error: CurlError, url: String) -> TransportError {
        TransportError(kind: kind(of: error.code), message: error.reason, url: CurlEasy.withoutQuery(url))
    }

    /// Which `TransportError.Kind` a curl code means.
    public static func kind(of code: CurlCode) -> TransportError.Kind {
        switch code {
        case .couldntConnect, .couldntResolveHost, .couldntResolveProxy:
            return .cannotConnect
        case .recvError, .sendError, .gotNothing, .partialFile, .sendFailRewind, .http2, .http2Stream:
            return .connectionLost
        case .operationTimedOut:
            return .timedOut
        case .readError, .writeError, .fileCouldntReadFile:
            return .localFile
        default:
            return code.isTLSFailure ? .tls : .other
        }
    }
}
