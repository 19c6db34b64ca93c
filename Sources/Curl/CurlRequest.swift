import Foundation

/// What a request sends as its body.
public enum CurlRequestBody: Sendable {
    case empty
    case bytes(Data)
    /// `length` bytes of the file at `path`, starting at byte `offset` (e.g. one multipart part).
    case file(path: String, offset: UInt64, length: UInt64)
}

/// Where the response body goes.
public enum CurlResponseSink: Sendable {
    /// Kept in memory, in `CurlResponse.body`.
    case memory
    /// Streamed into the file at `path` when the status is 2xx. The bytes go to a temporary
    /// sibling first, which replaces `path` only once the response is whole, so a failed
    /// download never leaves a truncated file behind. Any other status keeps its (error)
    /// body in memory and leaves `path` untouched.
    case file(path: String)
}

/// Time limits for one request.
public struct CurlTimeouts: Sendable, Equatable {
    /// Longest wait for the TCP (and TLS) connection, in seconds.
    public var connect: Double
    /// A transfer slower than `lowSpeedBytesPerSecond` for `lowSpeedSeconds` is aborted
    /// with `CurlCode.operationTimedOut`. Zero turns the check off.
    public var lowSpeedBytesPerSecond: Int
    public var lowSpeedSeconds: Int
    /// Overall limit for the whole request in seconds; zero means none (large transfers).
    public var total: Double

    public init(connect: Double = 10, lowSpeedBytesPerSecond: Int = 1, lowSpeedSeconds: Int = 60, total: Double = 0) {
        self.connect = connect
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedSeconds = lowSpeedSeconds
        self.total = total
    }
}

/// One HTTP request for `CurlEasy.perform`.
public struct CurlRequest: Sendable {
    public var method: String
    /// Absolute URL, already percent-encoded as it must go on the wire.
    public var url: String
    /// Sent in this order, names as given. `Expect:` is always suppressed.
    public var headers: [(name: String, value: String)]
    public var body: CurlRequestBody
    public var sink: CurlResponseSink
    public var timeouts: CurlTimeouts

    public init(
        method: String,
        url: String,
        headers: [(name: String, value: String)] = [],
        body: CurlRequestBody = .empty,
        sink: CurlResponseSink = .memory,
        timeouts: CurlTimeouts = CurlTimeouts()
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.sink = sink
        self.timeouts = timeouts
    }
}

/// One HTTP response: the final one, after any `100 Continue`.
public struct CurlResponse: Sendable {
    public var status: Int
    /// The final response's headers, in the order received.
    public var headers: [(name: String, value: String)]
    /// The body, unless it was streamed into a file.
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
