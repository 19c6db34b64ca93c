import AWS
import Foundation
import LocalCloud
import TestSupport
import XCTest

/// The local cloud's spot market as EC2's: a spot instance knows it is one (`instance-life-cycle`),
/// `ncaas local interrupt` posts the interruption notice in its metadata and the endpoint terminates
/// it with Server.SpotInstanceTermination, and DescribeSpotPriceHistory answers with current prices.
final class SpotInterruptionTests: XCTestCase {
    private var cli: LocalCloudCLIFixture!

    override func setUpWithError() throws { cli = try LocalCloudCLIFixture() }

    override func tearDownWithError() throws {
        if let cli { XCTAssertEqual(try cli.tearDown(), 0, "every test terminates what it launched") }
    }

    /// GETs `path` of the instance's metadata service (IMDSv2) from this machine; nil on 404.
    private func metadata(_ instance: Instance, _ path: String) throws -> String? {
        let base = "http://\(try XCTUnwrap(instance.privateIpAddress)):\(cli.moto.metadataPort)/latest/"
        let transport = CurlTransport()
        let token = try transport.send(HTTPRequest(method: "PUT", url: base + "api/token", headers: [(name: "X-aws-ec2-metadata-token-ttl-seconds", value: "60")]))
        let reply = try transport.send(HTTPRequest(method: "GET", url: base + path,
                                                   headers: [(name: "X-aws-ec2-metadata-token", value: String(decoding: token.body, as: UTF8.self))]))
        return reply.status == 200 ? String(decoding: reply.body, as: UTF8.self) : nil
    }

    func testLocalInterruptPostsTheNoticeThenTheEndpointTerminatesTheInstance() throws {
        let image = try cli.ec2.client.ssm.getParameter(name: "/aws/service/debian/release/12/latest/amd64").value
        var input = RunInstancesInput(imageId: image, instanceType: "t3.micro")
        input.market = .spot
        let id = try XCTUnwrap(try cli.ec2.runInstances(input).instances.first?.instanceId)
        let running = try cli.ec2.waitForInstances([id], toBe: .running, policy: WaiterPolicy(timeout: 60))[0]
        XCTAssertEqual(running.market, .spot)
        XCTAssertEqual(try metadata(running, "meta-data/instance-life-cycle"), "spot")
        XCTAssertNil(try metadata(running, "meta-data/spot/instance-action"), "no notice before the interruption (404, as on EC2)")

        let interrupt = try cli.ncaas("local", "interrupt", id, "--after", "2s", "--output", "json")
        XCTAssertEqual(interrupt.exitCode, 0, interrupt.stderr)
        let notice = try XCTUnwrap(try metadata(running, "meta-data/spot/instance-action"))
        let action = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(notice.utf8)) as? [String: String])
        XCTAssertEqual(action["action"], "terminate")
        XCTAssertEqual(try metadata(running, "meta-data/spot/termination-time"), action["time"])
        let ended = try cli.ec2.waitForInstances([id], toBe: .terminated, policy: WaiterPolicy(timeout: 60))[0]
        XCTAssertEqual(ended.stateReasonCode, "Server.SpotInstanceTermination")
        XCTAssertEqual(ended.stateReason, "Server.SpotInstanceTermination: Spot instance termination")

        let gone = try cli.ncaas("local", "interrupt", id)
        XCTAssertEqual(gone.exitCode, 66, gone.stderr)
        XCTAssertEqual(gone.stderr, "ncaas: There is no local-cloud instance \(id) on this machine; `ncaas local status` lists them.\n")
        let bad = try cli.ncaas("local", "interrupt", id, "--after", "soon")
        XCTAssertEqual(bad.exitCode, 64)
        XCTAssertTrue(bad.stderr.contains("--after soon is not a duration from 0 to a day; give one such as 120s, 2m or 0."), bad.stderr)
    }

    func testTheSpotMarketAnswersWithCurrentPricesAndCanRunOutOfCapacity() throws {
        let prices = try cli.ec2.currentSpotPrices(instanceTypes: ["t3.micro"])
        XCTAssertFalse(prices.isEmpty)
        XCTAssertTrue(prices.allSatisfy { $0.price > 0.001 && $0.price < 0.0104 }, "below t3.micro's on-demand price: \(prices)")
        let stamp = try XCTUnwrap(prices.first?.timestamp.flatMap { ISO8601DateFormatter().date(from: $0.replacingOccurrences(of: ".000Z", with: "Z")) })
        XCTAssertLessThan(abs(stamp.timeIntervalSinceNow), 60, "dated now")

        try cli.moto.setSpotCapacity(false)
        let image = try cli.ec2.client.ssm.getParameter(name: "/aws/service/debian/release/12/latest/amd64").value
        var input = RunInstancesInput(imageId: image, instanceType: "t3.micro")
        input.market = .spot
        XCTAssertThrowsError(try cli.ec2.runInstances(input)) { error in
            XCTAssertEqual((error as? AWSError)?.code, "InsufficientInstanceCapacity")
            XCTAssertEqual((error as? AWSError)?.status, 500, "as EC2 sends it")
            XCTAssertEqual((error as? AWSError)?.attempts, 1, "not retried blindly")
        }
        input.market = .onDemand
        let id = try XCTUnwrap(try cli.ec2.runInstances(input).instances.first?.instanceId, "on-demand still launches")
        _ = try cli.ec2.terminateInstances([id])
    }
}
