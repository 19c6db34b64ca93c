import Foundation

/// How failed calls are retried: full-jitter exponential backoff, bounded attempts, and
/// `Retry-After` honoured.
///
/// A retry is made only when sending again is safe: throttling replies, 503 and 429 say the
/// request was not acted on; connection failures before anything was sent are always safe;
/// other 5xx replies and dropped connections are retried only for idempotent operations
/// (reads, and creates that carry a client token).
public struct RetryPolicy: Sendable {
    /// Attempts in total, the first one included (1 disables retries).
    public var maxAttempts: Int
    /// The backoff before the first retry is drawn from `0...baseDelay`.
    public var baseDelay: TimeInterval
    /// No single backoff is longer than this.
    public var maxDelay: TimeInterval
    /// A `Retry-After` longer than this is not waited for: the call fails instead.
    public var maxRetryAfter: TimeInterval
    /// A number in `0..<1`; injected so tests can fix the jitter.
    public var random: @Sendable () -> Double

    public init(maxAttempts: Int = 8, baseDelay: TimeInterval = 0.1, maxDelay: TimeInterval = 5,
                maxRetryAfter: TimeInterval = 30,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.random = random
    }

    /// The default: 8 attempts, 100 ms base, 5 s cap. Eight, not botocore's three: a command makes
    /// hundreds of calls, and with a quarter of requests failing (503s, throttling, resets) three
    /// attempts lose one call in 64, eight one in 65,000 (bench/faults.sh measures it).
    public static var standard: RetryPolicy { RetryPolicy() }

    /// Attempts for a transport failure: an endpoint that refuses connections is tried three
    /// times at most (it is down, not busy), anything else `maxAttempts`.
    public func attempts(for failure: TransportError) -> Int {
        failure.kind == .cannotConnect ? min(maxAttempts, 3) : maxAttempts
    }

    /// The backoff before retry number `retry` of a resource that is not visible yet: EC2 takes
    /// seconds, not milliseconds, to show what it just created (0.5 s, 1 s, 2 s... capped).
    public func visibilityBackoff(retry: Int) -> TimeInterval {
        min(maxDelay, 0.5 * pow(2, Double(max(0, retry - 1)))) * (0.5 + random() / 2)
    }

    /// No retries at all.
    public static var none: RetryPolicy { RetryPolicy(maxAttempts: 1) }

    /// The full-jitter backoff before retry number `retry` (1 for the first retry).
    public func backoff(retry: Int) -> TimeInterval {
        let exponent = Double(max(0, retry - 1))
        let ceiling = min(maxDelay, baseDelay * pow(2, exponent))
        return ceiling * random()
    }

    /// Whether an error reply may be retried for an operation of this idempotency.
    public func shouldRetry(_ error: AWSError, idempotent: Bool) -> Bool {
        if error.isThrottling { return true }
        // No capacity now (a 500 on EC2) is an answer for the caller, who may choose another market.
        if EC2Client.capacityCodes.contains(error.code) { return false }
        switch error.status {
        case 503, 429: return true
        case 500, 502, 504: return idempotent
        default:
            return ["RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
                    "ServiceUnavailable"].contains(error.code) && idempotent
        }
    }

    /// Whether a transport failure may be retried for an operation of this idempotency.
    public func shouldRetry(_ error: TransportError, idempotent: Bool) -> Bool {
        guard error.isRetryable else { return false }
        // Nothing reached the server if the connection was never made.
        return error.kind == .cannotConnect || idempotent
    }

    /// The `Retry-After` delay of a reply, in seconds, when it carries one.
    public static func retryAfter(_ response: HTTPResponse) -> TimeInterval? {
        guard let value = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces),
              let seconds = Double(value), seconds >= 0 else { return nil }
        return seconds
    }
}
