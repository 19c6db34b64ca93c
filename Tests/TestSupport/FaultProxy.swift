import Foundation

/// A fault-injecting HTTP proxy on a free loopback port in front of a loopback upstream
/// (usually a `MotoServer`), run by `Tests/Fixtures/fault_proxy.py`.
///
/// Requests are forwarded with their headers as received (including `Host`), so requests
/// signed for `endpoint` stay valid. Each request takes the first queued fault whose
/// `match` fits (or passes through when none does); the proxy counts every request.
public final class FaultProxy: @unchecked Sendable {
    /// One injected fault.
    public struct Fault: Sendable, Equatable, Encodable {
        public enum Kind: String, Sendable, Encodable {
            /// Forward unchanged.
            case pass
            /// 503 with a query-protocol `ServiceUnavailable` body; not forwarded.
            case status503
            /// 400 with a query-protocol `Throttling` / "Rate exceeded" body; not forwarded.
            case throttle400
            /// 429 with a `TooManyRequestsException` body; not forwarded.
            case status429
            /// Half a status line and headers, then a TCP reset; not forwarded.
            case resetHeaders
            /// Forwarded; the upstream's headers and half its body, then a TCP reset.
            case resetBody
            /// The connection is closed without a byte of response; not forwarded.
            case drop
            /// Forwarded after a pause (at most 60 s).
            case delay
            /// `status` with a query-protocol error of `code`; not forwarded.
            case error
        }

        public var kind: Kind
        /// `Retry-After` value for `status503` and `status429`.
        public var retryAfter: String?
        /// Pause for `delay`.
        public var seconds: Double?
        /// Applies only to requests whose `"METHOD /path?query"` contains this text.
        public var match: String?
        /// HTTP status and error code of `error`.
        public var status: Int?
        public var code: String?
        /// The error's message for `error` (else "injected <code>").
        public var message: String?

        public init(_ kind: Kind, retryAfter: String? = nil, seconds: Double? = nil, match: String? = nil) {
            self.kind = kind
            self.retryAfter = retryAfter
            self.seconds = seconds
            self.match = match
        }

        public static let pass = Fault(.pass)
        public static let throttle400 = Fault(.throttle400)
        public static let resetHeaders = Fault(.resetHeaders)
        public static let resetBody = Fault(.resetBody)
        public static let drop = Fault(.drop)
        public static func status503(retryAfter: String? = nil) -> Fault { Fault(.status503, retryAfter: retryAfter) }
        public static func status429(retryAfter: String? = nil) -> Fault { Fault(.status429, retryAfter: retryAfter) }
        public static func delay(seconds: Double) -> Fault { Fault(.delay, seconds: seconds) }
        /// An error reply the client does not retry (or does, for the codes it knows as transient).
        public static func error(status: Int, code: String) -> Fault {
            var fault = Fault(.error)
            fault.status = status
            fault.code = code
            return fault
        }

        /// The same fault, limited to requests containing `text` in `"METHOD /path?query"`.
        public func matching(_ text: String) -> Fault {
            var copy = self
            copy.match = text
            return copy
        }
    }

    /// One request the proxy saw, and what it did with it.
    public struct SeenRequest: Sendable, Equatable, Decodable {
        public let method: String
        /// Path and query as received.
        public let target: String
        /// The `Fault.Kind` raw value applied (`"pass"` when none).
        public let fault: String
    }

    /// `http://127.0.0.1:<port>`: send requests here instead of to the upstream.
    public let endpoint: String
    public let port: Int
    private let child: LineChannelProcess

    private struct Ready: Decodable { let port: Int }
    private struct Command: Encodable {
        let op: String
        var faults: [Fault]?
        var rates: [String: Double]?
        var seed: Int?
        var maxSkew: Double?
        var spare: [String]?
    }
    private struct Reply: Decodable {
        let ok: Bool
        let error: String?
        let count: Int?
        let requests: [SeenRequest]?
    }

    /// Starts the proxy in front of `upstream` (`http://127.0.0.1:<port>`) with `faults` queued.
    public init(upstream: String, faults: [Fault] = [], startupTimeout: TimeInterval = 30) throws {
        let faultsJSON = String(decoding: try JSONEncoder().encode(faults), as: UTF8.self)
        child = try LineChannelProcess(
            name: "fault-proxy",
            command: "python3",
            arguments: ["-u", Fixtures.path("fault_proxy.py"), "--upstream", upstream, "--port", "0", "--faults", faultsJSON]
        )
        let line = try child.readLine(timeout: startupTimeout)
        guard let ready = try? JSONDecoder().decode(Ready.self, from: Data(line.utf8)) else {
            child.stop()
            throw TestSupportError("the fault proxy did not report ready, it said: \(line)", log: child.logTail())
        }
        port = ready.port
        endpoint = "http://127.0.0.1:\(ready.port)"
    }

    deinit { stop() }

    /// Replaces the queue of faults.
    public func setFaults(_ faults: [Fault]) throws {
        _ = try send(Command(op: "faults", faults: faults))
    }

    /// Draws a fault for every request the queue does not claim, with these probabilities
    /// (`[.status503: 0.1, .throttle400: 0.1, .resetHeaders: 0.025, .resetBody: 0.025]`); `seed`
    /// makes the draws repeatable. A request containing one of the `spare` texts is never reset
    /// after it was forwarded.
    public func setRates(_ rates: [Fault.Kind: Double], seed: Int? = nil, spare: [String] = []) throws {
        _ = try send(Command(op: "rates", rates: Dictionary(uniqueKeysWithValues: rates.map { ($0.key.rawValue, $0.value) }), seed: seed, spare: spare))
    }

    /// Refuses, as S3 does with 403 RequestTimeTooSkewed, every request whose `X-Amz-Date` is more
    /// than `maxSkew` seconds from the proxy's clock (nil: no check).
    public func checkClock(maxSkew: Double?) throws {
        _ = try send(Command(op: "clock", maxSkew: maxSkew))
    }

    /// How many requests the proxy has seen (since start or `reset()`).
    public func requestCount() throws -> Int {
        try send(Command(op: "stats")).count ?? 0
    }

    /// The requests the proxy has seen, oldest first (the last 10,000).
    public func requests() throws -> [SeenRequest] {
        try send(Command(op: "stats")).requests ?? []
    }

    /// Clears the fault queue and the request log.
    public func reset() throws {
        _ = try send(Command(op: "reset"))
    }

    /// The proxy's stderr, for diagnostics.
    public func logTail(bytes: Int = 4000) -> String { child.logTail(bytes: bytes) }

    /// Stops the proxy. Safe to call more than once.
    public func stop() { child.stop() }

    private func send(_ command: Command) throws -> Reply {
        let reply = try child.request(command, as: Reply.self)
        guard reply.ok else {
            throw TestSupportError("the fault proxy refused \(command.op): \(reply.error ?? "no reason given")", log: child.logTail())
        }
        return reply
    }
}
