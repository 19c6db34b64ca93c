import XCTest
@testable import AWS
import TestSupport

/// Retries proven against faults injected by the harness's `FaultProxy` in front of moto
/// (auth on: every retried attempt must still carry a valid signature).
final class RetryTests: MotoTestCase {
    /// Records what the client asked to sleep, without sleeping.
    final class SleepRecorder: @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [TimeInterval] = []
        var delays: [TimeInterval] { lock.lock(); defer { lock.unlock() }; return recorded }
        func sleep(_ seconds: TimeInterval) { lock.lock(); recorded.append(seconds); lock.unlock() }
    }

    /// Passes requests to a real transport and keeps each attempt's `X-Amz-Date`.
    final class DateRecordingTransport: HTTPTransport, @unchecked Sendable {
        let inner: any HTTPTransport
        private let lock = NSLock()
        private var recorded: [String] = []
        init(_ inner: any HTTPTransport) { self.inner = inner }
        var dates: [String] { lock.lock(); defer { lock.unlock() }; return recorded }
        func send(_ request: HTTPRequest, sink: HTTPResponseSink) throws -> HTTPResponse {
            lock.lock(); recorded.append(request.header("X-Amz-Date") ?? ""); lock.unlock()
            return try inner.send(request, sink: sink)
        }
    }

    /// A clock that moves one second each time it is read.
    final class TickingClock: @unchecked Sendable {
        private let lock = NSLock()
        private var now = Date()
        func read() -> Date { lock.lock(); defer { lock.unlock() }; now += 1; return now }
    }

    private var proxy: FaultProxy!
    private let sleeper = SleepRecorder()

    override func setUpWithError() throws {
        proxy = try FaultProxy(upstream: try moto.endpoint)
    }

    override func tearDownWithError() throws {
        proxy?.stop()
    }

    private func client(maxAttempts: Int = 5) throws -> AWSClient {
        let sleeper = self.sleeper
        return try moto.client(retryPolicy: RetryPolicy(maxAttempts: maxAttempts, baseDelay: 0.05, maxDelay: 1),
                               endpoint: proxy.endpoint, sleep: { sleeper.sleep($0) })
    }

    func testSucceedsThroughTwo503sAndAThrottle() throws {
        try proxy.setFaults([.status503(), .status503(), .throttle400])
        let identity = try STSClient(try client()).getCallerIdentity()
        XCTAssertFalse(identity.arn.isEmpty)
        XCTAssertEqual(try proxy.requestCount(), 4)
        XCTAssertEqual(try proxy.requests().map(\.fault), ["status503", "status503", "throttle400", "pass"])
        XCTAssertEqual(sleeper.delays.count, 3)
        XCTAssertTrue(sleeper.delays.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(sleeper.delays)")
    }

    func testGivesUpAfterTheBoundWithTheLastError() throws {
        try proxy.setFaults([.status503(), .status503(), .throttle400, .status503()])
        XCTAssertThrowsError(try EC2Client(try client(maxAttempts: 3)).describeInstances()) { error in
            guard let error = error as? AWSError else { return XCTFail("not an AWSError: \(error)") }
            XCTAssertEqual(error.code, "Throttling", "the third attempt's error is reported")
            XCTAssertEqual(error.attempts, 3)
            XCTAssertTrue(error.description.contains("after 3 attempts"), error.description)
        }
        XCTAssertEqual(try proxy.requestCount(), 3)
        XCTAssertEqual(sleeper.delays.count, 2)
    }

    func testConnectionResetMidResponseIsRetriedForAnIdempotentCall() throws {
        try proxy.setFaults([.resetBody])
        let groups = try EC2Client(try client()).describeSecurityGroups()
        XCTAssertFalse(groups.isEmpty, "moto has a default group")
        XCTAssertEqual(try proxy.requests().map(\.fault), ["resetBody", "pass"])
    }

    func testConnectionResetIsNotRetriedForANonIdempotentCall() throws {
        try proxy.setFaults([.resetBody])
        let ec2 = EC2Client(try client())
        XCTAssertThrowsError(try ec2.createSecurityGroup(groupName: "made-once", description: "reset after processing")) { error in
            guard let error = error as? AWSConnectionError else { return XCTFail("not a connection error: \(error)") }
            XCTAssertEqual(error.underlying.kind, .connectionLost, "\(error)")
            XCTAssertEqual(error.attempts, 1)
            XCTAssertTrue(error.description.hasPrefix("EC2 CreateSecurityGroup lost the connection to"), error.description)
        }
        XCTAssertEqual(try proxy.requestCount(), 1)
        // The request was processed before the reset: sending it again would have failed
        // with a duplicate (or, for other calls, done the work twice).
        XCTAssertEqual(try ec2.describeSecurityGroups(groupNames: ["made-once"]).count, 1)
    }

    func testRetryAfterIsHonoured() throws {
        try proxy.setFaults([.status503(retryAfter: "2"), .status429(retryAfter: "1")])
        _ = try STSClient(try client()).getCallerIdentity()
        XCTAssertEqual(try proxy.requestCount(), 3)
        XCTAssertEqual(sleeper.delays.count, 2)
        XCTAssertGreaterThanOrEqual(sleeper.delays[0], 2)
        XCTAssertGreaterThanOrEqual(sleeper.delays[1], 1)
    }

    func testEveryAttemptIsSignedAfresh() throws {
        try proxy.setFaults([.status503(), .status503()])
        let recorder = DateRecordingTransport(try moto.transport)
        let clock = TickingClock()
        let sleeper = self.sleeper
        let client = AWSClient(region: try moto.region, credentials: try moto.admin, transport: recorder, endpoint: proxy.endpoint,
                               clock: { clock.read() },
                               sleep: { sleeper.sleep($0) })
        _ = try STSClient(client).getCallerIdentity()
        XCTAssertEqual(recorder.dates.count, 3)
        XCTAssertEqual(Set(recorder.dates).count, 3, "\(recorder.dates)")
    }

    func testMultipartUploadSurvivesAResetDuringAPart() throws {
        let s3 = S3Client(try client())
        try s3.createBucket("ncaas-retry-parts")
        let source = FileManager.default.temporaryDirectory.appendingPathComponent("retry-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: source) }
        let bytes = Data((0..<(6 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 / 3) })
        try bytes.write(to: source)
        try proxy.setFaults([FaultProxy.Fault.resetBody.matching("partNumber=2")])
        try s3.uploadFile(source.path, bucket: "ncaas-retry-parts", key: "big.bin", partSize: 5 * 1024 * 1024)
        XCTAssertEqual(try s3.getObject(bucket: "ncaas-retry-parts", key: "big.bin"), bytes)
        XCTAssertEqual(try proxy.requests().filter { $0.target.contains("partNumber=2") }.map(\.fault), ["resetBody", "pass"])
    }

    func testUnreachableEndpointIsRetriedThenReportedClearly() throws {
        let port = try FreePort.next()
        let sleeper = self.sleeper
        let client = try moto.client(retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.01),
                                     endpoint: "http://127.0.0.1:\(port)", sleep: { sleeper.sleep($0) })
        XCTAssertThrowsError(try IAMClient(client).createUser(userName: "never")) { error in
            guard let error = error as? AWSConnectionError else { return XCTFail("not a connection error: \(error)") }
            XCTAssertEqual(error.underlying.kind, .cannotConnect)
            XCTAssertEqual(error.attempts, 3, "nothing was sent, so even a create is retried")
            XCTAssertTrue(error.description.contains("could not connect to http://127.0.0.1:\(port)/"), error.description)
        }
    }
}
