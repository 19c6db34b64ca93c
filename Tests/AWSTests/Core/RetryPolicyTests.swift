import XCTest
@testable import AWS

final class RetryPolicyTests: XCTestCase {
    func testFullJitterBackoffGrowsAndIsCapped() {
        let top = RetryPolicy(baseDelay: 0.1, maxDelay: 1, random: { 0.999999 })
        XCTAssertEqual(top.backoff(retry: 1), 0.1, accuracy: 0.001)
        XCTAssertEqual(top.backoff(retry: 2), 0.2, accuracy: 0.001)
        XCTAssertEqual(top.backoff(retry: 3), 0.4, accuracy: 0.001)
        XCTAssertEqual(top.backoff(retry: 10), 1, accuracy: 0.001)
        XCTAssertEqual(RetryPolicy(random: { 0 }).backoff(retry: 3), 0)
    }

    func testWhatIsRetried() {
        let policy = RetryPolicy()
        func error(_ status: Int, _ code: String) -> AWSError {
            AWSError(service: .ec2, operation: "Op", status: status, code: code, message: "")
        }
        XCTAssertTrue(policy.shouldRetry(error(400, "Throttling"), idempotent: false))
        XCTAssertTrue(policy.shouldRetry(error(503, "RequestLimitExceeded"), idempotent: false))
        XCTAssertTrue(policy.shouldRetry(error(503, "ServiceUnavailable"), idempotent: false))
        XCTAssertTrue(policy.shouldRetry(error(429, "TooMany"), idempotent: false))
        XCTAssertTrue(policy.shouldRetry(error(500, "InternalError"), idempotent: true))
        XCTAssertFalse(policy.shouldRetry(error(500, "InternalError"), idempotent: false))
        XCTAssertFalse(policy.shouldRetry(error(403, "AccessDenied"), idempotent: true))
        XCTAssertFalse(policy.shouldRetry(error(400, "ValidationError"), idempotent: true))

        let reset = TransportError(kind: .connectionLost, message: "reset", url: "http://x")
        let refused = TransportError(kind: .cannotConnect, message: "refused", url: "http://x")
        XCTAssertTrue(policy.shouldRetry(reset, idempotent: true))
        XCTAssertFalse(policy.shouldRetry(reset, idempotent: false))
        XCTAssertTrue(policy.shouldRetry(refused, idempotent: false))
        XCTAssertFalse(policy.shouldRetry(TransportError(kind: .tls, message: "cert", url: "https://x"), idempotent: true))
    }

    func testRetryAfterHeaderIsRead() {
        XCTAssertEqual(RetryPolicy.retryAfter(HTTPResponse(status: 503, headers: [(name: "retry-after", value: " 2 ")], body: Data())), 2)
        XCTAssertNil(RetryPolicy.retryAfter(HTTPResponse(status: 503, headers: [(name: "Retry-After", value: "Wed, 21 Oct 2015 07:28:00 GMT")], body: Data())))
    }
}
