import Foundation

/// How a waiter polls: a short first delay that grows geometrically up to a cap, and an
/// overall deadline.
public struct WaiterPolicy: Sendable {
    public var firstDelay: TimeInterval
    public var growth: Double
    public var maxDelay: TimeInterval
    /// Total time allowed, from the first poll.
    public var timeout: TimeInterval

    public init(firstDelay: TimeInterval = 0.05, growth: Double = 1.5, maxDelay: TimeInterval = 2,
                timeout: TimeInterval = 600) {
        self.firstDelay = firstDelay
        self.growth = growth
        self.maxDelay = maxDelay
        self.timeout = timeout
    }

    /// 50 ms growing ×1.5 to 2 s, for up to 10 minutes.
    public static var standard: WaiterPolicy { WaiterPolicy() }

    /// The delay before poll number `poll + 1` (`poll` ≥ 1).
    public func delay(afterPoll poll: Int) -> TimeInterval {
        min(maxDelay, firstDelay * pow(growth, Double(max(0, poll - 1))))
    }
}

/// What one poll of a waiter saw.
public enum WaiterOutcome<Value: Sendable>: Sendable {
    /// The awaited state was reached.
    case done(Value)
    /// Not there yet; `status` is reported to the progress callback.
    case pending(status: String)
    /// A state from which the awaited one cannot be reached.
    case failed(reason: String)
}

extension AWSClient {
    /// Polls until `poll` reports `.done` or `.failed`, or the deadline passes.
    ///
    /// A poll is a read: one that fails for a passing reason (the endpoint unreachable or busy after
    /// the client's own retries, a 5xx, throttling) does not end the wait; the waiter polls again
    /// with its growing delay until its own deadline, whose error then names the last failure. Any
    /// other error (permissions, a malformed request) ends it at once.
    ///
    /// - Parameters:
    ///   - what: what is awaited, for messages ("stack ncaas-demo to finish").
    ///   - progress: called with each new status (not with repeats).
    public func wait<Value: Sendable>(for what: String, policy: WaiterPolicy = .standard,
                                      progress: ((String) -> Void)? = nil,
                                      poll: () throws -> WaiterOutcome<Value>) throws -> Value {
        let deadline = clock().addingTimeInterval(policy.timeout)
        var polls = 0
        var lastStatus: String?
        var lastFailure: Error?
        while true {
            polls += 1
            do {
                switch try poll() {
                case .done(let value):
                    return value
                case .failed(let reason):
                    throw AWSClientError(.waiterFailed, "Gave up waiting for \(what): \(reason).")
                case .pending(let status):
                    lastFailure = nil
                    if status != lastStatus {
                        progress?(status)
                        lastStatus = status
                    }
                }
            } catch let error where Self.isPassing(error) {
                lastFailure = error
            }
            let remaining = deadline.timeIntervalSince(clock())
            guard remaining > 0 else {
                if let lastFailure {
                    throw AWSClientError(.waiterTimedOut, "Timed out after \(Int(policy.timeout.rounded())) s waiting for \(what); the last poll failed: \(lastFailure)")
                }
                let lastSeen = lastStatus.map { " (last seen: \($0))" } ?? ""
                throw AWSClientError(.waiterTimedOut,
                                     "Timed out after \(Int(policy.timeout.rounded())) s waiting for \(what)\(lastSeen).")
            }
            sleep(min(policy.delay(afterPoll: polls), remaining))
        }
    }

    /// Whether a failed call may nevertheless have been carried out: its reply was lost, or the
    /// service failed (5xx, not 503) after it may have started.
    public static func mayHaveActed(_ error: Error) -> Bool {
        if let error = error as? AWSConnectionError { return error.underlying.kind == .connectionLost || error.underlying.kind == .timedOut }
        if let error = error as? AWSError { return error.status >= 500 && error.status != 503 }
        return false
    }

    /// Whether a failed poll may succeed when sent again later.
    public static func isPassing(_ error: Error) -> Bool {
        if let error = error as? AWSConnectionError { return error.underlying.isRetryable }
        if let error = error as? AWSError { return error.isThrottling || error.status >= 500 }
        return false
    }
}
