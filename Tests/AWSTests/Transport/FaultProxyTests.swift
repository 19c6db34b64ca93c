import AWS
import Curl
import Foundation
import TestSupport
import XCTest

/// The fault proxy injects each fault, and CurlTransport reports each as a user would see it.
final class FaultProxyTests: XCTestCase {
    private var moto: MotoServer!
    private var proxy: FaultProxy!
    private let transport = CurlTransport()

    override func setUpWithError() throws {
        moto = try SharedTransportMoto.server()
        proxy = try FaultProxy(upstream: moto.endpoint)
    }

    override func tearDown() {
        proxy?.stop()
    }

    private var motoData: HTTPRequest { TransportTestRequests.motoData(endpoint: proxy.endpoint) }

    func testPassThroughKeepsSignaturesValid() throws {
        let result = try ProcessRunner.run("aws", ["iam", "get-user", "--endpoint-url", proxy.endpoint],
                                           environment: moto.awsEnvironment(moto.adminCredentials), timeout: 60)
        XCTAssertTrue(result.succeeded, result.stderr)
        XCTAssertTrue(result.stdout.contains(moto.adminCredentials.userName), result.stdout)
        let seen = try proxy.requests()
        XCTAssertEqual(seen.count, 1)
        XCTAssertEqual(seen.first?.fault, "pass")
    }

    func testPassThroughReachesMotoWhichChecksTheSignature() throws {
        let response = try transport.send(TransportTestRequests.badlySignedListUsers(
            endpoint: proxy.endpoint, keyId: moto.adminCredentials.accessKeyId))
        XCTAssertEqual(response.status, 403)
        XCTAssertEqual(errorCode(inXML: response.body), "SignatureDoesNotMatch")
    }

    func testServiceUnavailableCarriesRetryAfterThenPasses() throws {
        try proxy.setFaults([.status503(retryAfter: "2")])
        let first = try transport.send(motoData)
        XCTAssertEqual(first.status, 503)
        XCTAssertEqual(first.header("retry-after"), "2")
        XCTAssertEqual(errorCode(inXML: first.body), "ServiceUnavailable")

        let second = try transport.send(motoData)
        XCTAssertEqual(second.status, 200)
        XCTAssertEqual(try proxy.requestCount(), 2)
        XCTAssertEqual(try proxy.requests().map(\.fault), ["status503", "pass"])
    }

    func testThrottlingIsA400WithAQueryProtocolErrorAndS3sSlowDownElsewhere() throws {
        try proxy.setFaults([.throttle400, .throttle400])
        let listUsers = TransportTestRequests.badlySignedListUsers(endpoint: proxy.endpoint, keyId: moto.adminCredentials.accessKeyId)
        let response = try transport.send(listUsers)
        XCTAssertEqual(response.status, 400)
        XCTAssertEqual(errorCode(inXML: response.body), "Throttling")
        XCTAssertTrue(String(decoding: response.body, as: UTF8.self).contains("<Message>Rate exceeded</Message>"))
        // A REST call (S3) is throttled as S3 does it: 503 SlowDown, which a HEAD can see without a body.
        let rest = try transport.send(motoData)
        XCTAssertEqual(rest.status, 503)
        XCTAssertEqual(errorCode(inXML: rest.body), "SlowDown")
    }

    func testTooManyRequestsIsA429() throws {
        try proxy.setFaults([.status429(retryAfter: "1")])
        let response = try transport.send(motoData)
        XCTAssertEqual(response.status, 429)
        XCTAssertEqual(response.header("Retry-After"), "1")
    }

    func testResetInTheHeadersIsConnectionLost() throws {
        try proxy.setFaults([.resetHeaders])
        let error = XCTAssertTransportError(try transport.send(motoData), kind: .connectionLost)
        XCTAssertEqual(error?.url, "\(proxy.endpoint)/moto-api/data.json")
        XCTAssertTrue(error?.isRetryable ?? false)
    }

    func testResetInTheBodyIsConnectionLost() throws {
        try proxy.setFaults([.resetBody])
        XCTAssertTransportError(try transport.send(motoData), kind: .connectionLost)
        // The transport recovers: the next request on the same transport succeeds.
        XCTAssertEqual(try transport.send(motoData).status, 200)
    }

    func testDroppedConnectionIsConnectionLost() throws {
        try proxy.setFaults([.drop])
        let error = XCTAssertTransportError(try transport.send(motoData), kind: .connectionLost)
        XCTAssertEqual(error?.message, "Empty reply from server")
    }

    func testSlowResponseTimesOut() throws {
        let impatient = CurlTransport(timeouts: CurlTimeouts(connect: 5, total: 1))
        try proxy.setFaults([.delay(seconds: 4)])
        let started = Date()
        XCTAssertTransportError(try impatient.send(motoData), kind: .timedOut)
        XCTAssertLessThan(Date().timeIntervalSince(started), 3.5)
    }

    func testLowSpeedLimitTimesOutAStalledResponse() throws {
        let impatient = CurlTransport(timeouts: CurlTimeouts(connect: 5, lowSpeedBytesPerSecond: 1, lowSpeedSeconds: 1))
        try proxy.setFaults([.delay(seconds: 5)])
        let started = Date()
        XCTAssertTransportError(try impatient.send(motoData), kind: .timedOut)
        XCTAssertLessThan(Date().timeIntervalSince(started), 4.5)
    }

    func testFaultsApplyOnlyToMatchingRequests() throws {
        try proxy.setFaults([FaultProxy.Fault.status503().matching("Action=ListUsers")])
        XCTAssertEqual(try transport.send(motoData).status, 200)
        let listUsers = TransportTestRequests.badlySignedListUsers(endpoint: proxy.endpoint, keyId: moto.adminCredentials.accessKeyId)
        XCTAssertEqual(try transport.send(listUsers).status, 503)
        XCTAssertEqual(try transport.send(listUsers).status, 403, "the fault was used up; moto answers again")
        XCTAssertEqual(try proxy.requests().map(\.fault), ["pass", "status503", "pass"])
    }

    func testErrorBodyStaysInMemoryWhenStreamingToAFile() throws {
        let destination = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-sink-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: destination) }
        try proxy.setFaults([.status503()])

        let failed = try transport.send(motoData, sink: .file(path: destination))
        XCTAssertEqual(failed.status, 503)
        XCTAssertEqual(errorCode(inXML: failed.body), "ServiceUnavailable")
        XCTAssertFalse(FileManager.default.fileExists(atPath: destination))

        let succeeded = try transport.send(motoData, sink: .file(path: destination))
        XCTAssertEqual(succeeded.status, 200)
        XCTAssertTrue(succeeded.body.isEmpty)
        let written = try Data(contentsOf: URL(fileURLWithPath: destination))
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: written) as? [String: Any], "the file holds moto's JSON")
    }

    func testResetClearsCountsAndFaults() throws {
        try proxy.setFaults([.status503(), .status503()])
        XCTAssertEqual(try transport.send(motoData).status, 503)
        try proxy.reset()
        XCTAssertEqual(try proxy.requestCount(), 0)
        XCTAssertEqual(try transport.send(motoData).status, 200)
    }

    func testUnknownUpstreamIsRefused() {
        XCTAssertThrowsError(try FaultProxy(upstream: "http://example.com:80"))
    }
}

/// CurlTransport's own behaviour: error kinds from real failures, and thread safety.
final class CurlTransportTests: XCTestCase {
    func testTLSFailureIsTLS() throws {
        let moto = try SharedTransportMoto.server()
        // moto speaks plain HTTP: a TLS handshake with it fails.
        let https = moto.endpoint.replacingOccurrences(of: "http://", with: "https://")
        XCTAssertTransportError(try CurlTransport().send(TransportTestRequests.motoData(endpoint: https)), kind: .tls)
    }

    func testMissingBodyFileIsLocalFile() throws {
        let moto = try SharedTransportMoto.server()
        let missing = "/nonexistent-ncaas-dir/body.bin"
        let request = HTTPRequest(method: "PUT", url: "\(moto.endpoint)/bucket/key", body: .file(path: missing, offset: 0, length: 1))
        let error = XCTAssertTransportError(try CurlTransport().send(request), kind: .localFile)
        XCTAssertTrue(error?.message.contains(missing) ?? false, error?.message ?? "")
    }

    func testConnectionRefusedNamesTheAddressAndHidesTheQuery() throws {
        let port = try FreePort.next()
        let request = HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/path?X-Amz-Signature=abc")
        let error = XCTAssertTransportError(try CurlTransport().send(request), kind: .cannotConnect)
        XCTAssertEqual(error?.url, "http://127.0.0.1:\(port)/path")
        XCTAssertTrue(error?.message.contains("\(port)") ?? false, error?.message ?? "")
        XCTAssertFalse("\(error.map { "\($0)" } ?? "")".contains("X-Amz-Signature"))
    }

    func testOneTransportServesManyThreadsAtOnce() throws {
        let moto = try SharedTransportMoto.server()
        let transport = CurlTransport(maximumIdleHandles: 2)
        let expected = try transport.send(TransportTestRequests.motoData(endpoint: moto.endpoint)).status
        XCTAssertEqual(expected, 200)
        let results = ThreadSafeArray<Int>()
        DispatchQueue.concurrentPerform(iterations: 24) { _ in
            let status = (try? transport.send(TransportTestRequests.motoData(endpoint: moto.endpoint)).status) ?? -1
            results.append(status)
        }
        XCTAssertEqual(results.values, Array(repeating: 200, count: 24))
    }
}

/// An array appended to from several threads.
final class ThreadSafeArray<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Element] = []
    func append(_ element: Element) {
        lock.lock()
        storage.append(element)
        lock.unlock()
    }
    var values: [Element] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
