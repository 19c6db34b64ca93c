import Foundation

/// One HTTP request as the AWS client builds it. Header names keep the case they were given;
/// comparisons are case-insensitive.
public struct HTTPRequest: Sendable {
    public var method: String
    /// Absolute URL, already percent-encoded as it must go on the wire.
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: HTTPBody

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: HTTPBody = .empty) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// What a request sends.
public enum HTTPBody: Sendable {
    case empty
    case bytes(Data)
    /// Streamed from a file, `length` bytes starting at `offset`.
    case file(path: String, offset: UInt64, length: UInt64)
}

/// Where a response body goes.
public enum HTTPResponseSink: Sendable {
    /// Kept in memory (`HTTPResponse.body`).
    case memory
    /// Streamed into a file (written to `path`; `HTTPResponse.body` stays empty).
    case file(path: String)
}

/// One HTTP response.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// A failure below HTTP: nothing (or nothing whole) came back.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Could not connect (refused, unreachable, DNS).
        case cannotConnect
        /// Connected, then the connection dropped or was reset before the response was whole.
        case connectionLost
        /// No progress within the time limit.
        case timedOut
        /// TLS handshake or certificate failure.
        case tls
        /// A local file could not be read or written.
        case localFile
        /// Anything else the transport reports.
        case other
    }
    public var kind: Kind
    /// The transport's own message (for curl: the error buffer or `curl_easy_strerror`).
    public var message: String
    /// The URL that failed, without query string (never carries secrets).
    public var url: String

    public init(kind: Kind, message: String, url: String) {
        self.kind = kind
        self.message = message
        self.url = url
    }

    public var description: String { "\(message) (\(url))" }

    /// True for failures where sending the same request again may succeed.
    public var isRetryable: Bool { kind == .connectionLost || kind == .timedOut || kind == .cannotConnect }
}

/// Sends HTTP requests. The curl-backed implementation is `CurlTransport`; every client in
/// ncaas takes this protocol, so tests and other transports can stand in.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, sink: HTTPResponseSink) throws -> HTTPResponse
}

extension HTTPTransport {
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        try send(request, sink: .memory)
    }
}
