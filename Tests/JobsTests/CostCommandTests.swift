import AWS
import DevAMI
import Foundation
import Jobs
import TestSupport
import XCTest

/// `ncaas cost` and `ncaas gc` through the built binary on the local cloud: totals a test recomputes
/// from the status files alone, unknown prices said as unknown, and a "still billing" section that
/// lists what a user left running and is empty once gc and the end commands ran.
final class CostCommandTests: XCTestCase {
    nonisolated(unsafe) private static var shared: Result<SpotWorld, Error>?
    private var world: SpotWorld!

    override func setUpWithError() throws {
        if Self.shared == nil { Self.shared = Result { try SpotWorld() } }
        world = try Self.shared!.get()
    }

    override class func tearDown() {
        if case .success(let world)? = shared { world.close() }
        shared = nil
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    /// A status file of a job that ran long ago, written as ncaas writes one.
    private func plant(_ timestamp: String, _ dataset: String, type: String, market: String, launch: String, terminate: String) throws {
        let status: [String: Any] = [
            "status": "SUCCESS", "reason": ["COMMAND succeeded"], "stdout": "", "stderr": "", "input": dataset, "instance": "i-0123456789abcdef0",
            "command": "", "job_start": launch, "job_finish": terminate, "instance_type": type, "market": market,
            "instance_launch": launch, "instance_terminate": terminate,
        ]
        try world.s3.putObject(bucket: "spot-probe", key: world.layout(timestamp).statusKey(dataset: dataset),
                               data: try JSONSerialization.data(withJSONObject: status))
        try world.s3.putObject(bucket: "spot-probe", key: world.layout(timestamp).certificateKey, data: Data("STEP 4/4 (Job Finished)\n".utf8))
    }

    /// The price table the tests give with --prices (prices no real table has, so a match is no accident).
    private let prices: [String: [String: Double]] = ["t3.micro": ["on-demand": 0.5, "spot": 0.2], "m5.large": ["on-demand": 1.25, "spot": 0.4]]

    private func pricesFile() throws -> String {
        let path = world.cli.folder.appendingPathComponent("prices.json").path
        let table: [String: Any] = ["date": "2030-01-01", "instances": prices, "storage": ["ebs-snapshot": 0.1, "s3-standard": 0.05]]
        try JSONSerialization.data(withJSONObject: table).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Each job's dollars, recomputed from its status files alone (every attempt from its instance's
    /// launch to its termination, a minute at the least, at `prices`); nil for a job with a type not in them.
    private func recomputed() throws -> [String: Double?] {
        var jobs: [String: Double?] = [:]
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        for object in try world.s3.listObjectsV2(bucket: "spot-probe", prefix: "neurolab/results/").objects where object.key.hasSuffix("_STATUS.txt") {
            let job = String(object.key.split(separator: "/")[2])
            let status = try json(String(decoding: try world.s3.getObject(bucket: "spot-probe", key: object.key), as: UTF8.self))
            let runs = (status["attempts"] as? [[String: Any]] ?? []) + [status]
            var dollars: Double? = jobs[job] ?? 0
            for run in runs {
                guard let launch = (run["instance_launch"] as? String).flatMap(formatter.date(from:)),
                      let end = ((run["instance_terminate"] ?? run["job_finish"]) as? String).flatMap(formatter.date(from:)) else { continue }
                let type = run["instance_type"] as? String ?? status["instance_type"] as? String ?? "t3.micro"
                let price = prices[type]?[run["market"] as? String ?? "on-demand"]
                dollars = price.flatMap { price in dollars.map { $0 + price * max(60, end.timeIntervalSince(launch)) / 3600 } }
            }
            jobs[job] = dollars
        }
        return jobs
    }

    func testCostTotalsAreWhatTheStatusFilesSay() throws {
        // Two real jobs (one on spot, its first dataset interrupted before staging) and one from long ago.
        let quick = try world.cli.ncaas("test-job", "spot-probe", try world.submit(["neurolab/inputs/a.txt", "neurolab/inputs/b.txt"],
                                                                                  config: "neurolab/configs/quick.json", timestamp: "cost-on-demand"))
        XCTAssertEqual(quick.exitCode, 0, quick.stderr)
        let wait = world.start("test-job", "spot-probe", try world.submit(["neurolab/inputs/a.txt"], config: "neurolab/configs/quick.json", timestamp: "cost-spot"),
                               "--market", "spot")
        let launched = try world.waitForStatus("cost-spot", "neurolab/inputs/a.txt") { !$0.instance.isEmpty }
        try world.cli.moto.interrupt(launched.instance, after: 60)
        XCTAssertEqual(try wait().exitCode, 0)
        XCTAssertEqual(world.status("cost-spot", "neurolab/inputs/a.txt")?.attempts?.count, 1, "the spot job has two attempts to pay for")
        try plant("cost-2020", "neurolab/inputs/a.txt", type: "m5.large", market: "on-demand", launch: "2020-03-01T10:00:00Z", terminate: "2020-03-01T12:30:00Z")

        let cost = try world.cli.ncaas("cost", "spot-probe", "--prices", try pricesFile(), "--output", "json")
        XCTAssertEqual(cost.exitCode, 0, cost.stderr)
        let analysis = try XCTUnwrap((try json(cost.stdout)["analyses"] as? [[String: Any]])?.first)
        let expected = try recomputed()
        let jobs = try XCTUnwrap(analysis["jobs"] as? [[String: Any]])
        XCTAssertEqual(Set(jobs.compactMap { $0["job"] as? String }), Set(expected.keys))
        for job in jobs {
            let name = try XCTUnwrap(job["job"] as? String)
            guard let dollars = expected[name] ?? nil else { continue }  // a type the test's table lacks (another test's job)
            XCTAssertEqual(try XCTUnwrap(job["dollars"] as? Double), dollars, accuracy: 1e-5, name)
        }
        XCTAssertEqual(try XCTUnwrap(expected["job__spot-probe_cost-2020"] ?? nil), 2.5 * 1.25, accuracy: 1e-9, "2.5 hours of m5.large")
        let known = expected.values.compactMap { $0 }.reduce(0, +)
        if !expected.values.contains(where: { $0 == nil }) {
            XCTAssertEqual(try XCTUnwrap(analysis["jobsDollars"] as? Double), known, accuracy: 1e-5)
        }
        let spot = try XCTUnwrap(jobs.first { $0["job"] as? String == "job__spot-probe_cost-spot" }?["usage"] as? [[String: Any]])
        XCTAssertEqual(spot.map { $0["market"] as? String }, ["spot"])
        XCTAssertEqual(spot.first?["instances"] as? Int, 2, "both attempts are paid for")

        // The text says which prices it used, and --since leaves the 2020 job out.
        let text = try world.cli.ncaas("cost", "spot-probe", "--prices", try pricesFile(), "--since", "2021-01-01")
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("prices: \(try pricesFile()), 2030-01-01 (us-east-1, USD)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("neurolab / job__spot-probe_cost-on-demand (2 datasets, started "), text.stdout)
        XCTAssertTrue(text.stdout.contains("t3.micro on-demand     2 instances"), text.stdout)
        XCTAssertFalse(text.stdout.contains("cost-2020"), text.stdout)
        XCTAssertTrue(text.stdout.contains("bucket: "), text.stdout)
    }

    func testAnInstanceTypeMissingFromThePriceTableIsCostedAsUnknownNotZero() throws {
        try plant("cost-unknown", "neurolab/inputs/b.txt", type: "x9.mega", market: "on-demand", launch: "2021-05-01T10:00:00Z", terminate: "2021-05-01T11:00:00Z")
        let cost = try world.cli.ncaas("cost", "spot-probe", "--output", "json")
        XCTAssertEqual(cost.exitCode, 0, cost.stderr)
        let report = try json(cost.stdout)
        let jobs = try XCTUnwrap((report["analyses"] as? [[String: Any]])?.first?["jobs"] as? [[String: Any]])
        let job = try XCTUnwrap(jobs.first { $0["job"] as? String == "job__spot-probe_cost-unknown" })
        XCTAssertEqual(job["unknown"] as? Bool, true)
        let usage = try XCTUnwrap((job["usage"] as? [[String: Any]])?.first)
        XCTAssertTrue(usage["dollars"] is NSNull, "unknown, not zero: \(usage)")
        XCTAssertTrue(usage["hourly"] is NSNull)
        let sentence = "x9.mega on-demand is not in the price table of 2024-12-01 (the table shipped with ncaas), so its cost is unknown (not zero); give `--prices FILE` with its price."
        XCTAssertTrue((report["unknown"] as? [String])?.contains(sentence) == true, cost.stdout)
        let text = try world.cli.ncaas("cost", "spot-probe")
        XCTAssertTrue(text.stdout.contains("x9.mega on-demand      1 instance    1.0000 h × unknown price = unknown"), text.stdout)
        XCTAssertTrue(text.stdout.contains("    job: $0.0000 + unknown"), text.stdout)
        XCTAssertTrue(text.stdout.contains("unknown prices:\n  \(sentence)"), text.stdout)
    }

    func testStillBillingListsWhatWasLeftAndIsEmptyAfterGCAndTheEndCommands() throws {
        // A dev instance, an image of it whose AMI someone deregistered by hand (its snapshot stays), a fleet.
        let dev = try world.cli.ncaas("dev", "launch", "spot-probe", "--timeout", "30m", "--output", "json")
        XCTAssertEqual(dev.exitCode, 0, dev.stderr)
        let devId = try XCTUnwrap(try json(dev.stdout)["instanceId"] as? String)
        let image = try world.cli.ncaas("dev", "create-image", "spot-probe")
        XCTAssertEqual(image.exitCode, 0, image.stderr)
        let imageId = image.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        world.cli.createdImages.append(imageId)
        let snapshots = try world.cli.ec2.describeSnapshots(filters: [.tag("ncaas:analysis", "spot-probe")])
        XCTAssertEqual(snapshots.count, 1, "the image's snapshot carries the analysis")
        let snapshot = try XCTUnwrap(snapshots.first)
        let withImage = try XCTUnwrap((try json(try world.cli.ncaas("cost", "--output", "json").stdout)["stillBilling"] as? [String: Any])?["items"] as? [[String: Any]])
        let imageItem = try XCTUnwrap(withImage.first { $0["kind"] as? String == "image" })
        XCTAssertEqual(imageItem["id"] as? String, imageId)
        XCTAssertEqual(try XCTUnwrap(imageItem["monthly"] as? Double), 0.05 * Double(snapshot.volumeSize), accuracy: 1e-9, "its snapshot's storage")
        XCTAssertEqual(imageItem["end"] as? String, "aws ec2 deregister-image --image-id \(imageId), then ncaas gc spot-probe (its snapshots)")
        XCTAssertFalse(withImage.contains { $0["kind"] as? String == "snapshot" }, "a snapshot whose image exists is the image's line")
        // By hand, with the plain AWS CLI: unlike ncaas's deregistration, it leaves the snapshot.
        let byHand = try ProcessRunner.run("aws", ["ec2", "deregister-image", "--image-id", imageId],
                                           environment: world.cli.moto.awsEnvironment(world.cli.moto.adminCredentials), timeout: 60)
        XCTAssertTrue(byHand.succeeded, byHand.stderr)
        let fleet = try world.cli.ncaas("fleet", "launch", "class", "--image", "spot-probe", "--count", "2", "--instance-type", "t3.micro",
                                        "--command", "python3 -m http.server {port} --bind {host}", "--hours", "1")
        XCTAssertEqual(fleet.exitCode, 0, fleet.stderr)
        // The in-stack job manager, as the stack's Auto Scaling group launches it.
        let manager = try XCTUnwrap(try world.cli.ec2.runInstances(RunInstancesInput(
            imageId: try ImageReference.resolve("debian12", on: world.cli.ec2), instanceType: "t3.micro",
            tagSpecifications: [TagSpecification(resourceType: "instance", tags: [Tag(key: "ncaas:analysis", value: "spot-probe"),
                                                                                  Tag(key: "ncaas:role", value: "manager")])])).instances.first)

        let before = try world.cli.ncaas("cost", "--output", "json")
        XCTAssertEqual(before.exitCode, 0, before.stderr)
        let billing = try XCTUnwrap(try json(before.stdout)["stillBilling"] as? [String: Any])
        let items = try XCTUnwrap(billing["items"] as? [[String: Any]])
        let byKind = Dictionary(grouping: items) { $0["kind"] as? String ?? "" }
        XCTAssertEqual(Set(byKind.keys), ["dev instance", "fleet", "manager", "snapshot"], before.stdout)
        let managerItem = try XCTUnwrap(byKind["manager"]?.first)
        XCTAssertEqual(managerItem["id"] as? String, manager.instanceId)
        XCTAssertEqual(try XCTUnwrap(managerItem["monthlyAtHourlyRate"] as? Double), 0.0104 * 730, accuracy: 1e-9)
        XCTAssertEqual(managerItem["end"] as? String, "ncaas deploy spot-probe --no-manager (or ncaas teardown spot-probe)")
        let devItem = try XCTUnwrap(byKind["dev instance"]?.first)
        XCTAssertEqual(devItem["id"] as? String, devId)
        XCTAssertEqual(devItem["hourly"] as? Double, 0.0104, "t3.micro on-demand in the shipped table")
        XCTAssertEqual(devItem["end"] as? String, "ncaas dev terminate spot-probe")
        let fleetItem = try XCTUnwrap(byKind["fleet"]?.first)
        XCTAssertEqual(fleetItem["id"] as? String, "class")
        XCTAssertEqual(try XCTUnwrap(fleetItem["hourly"] as? Double), 2 * 0.0104, accuracy: 1e-9)
        XCTAssertEqual(fleetItem["end"] as? String, "ncaas fleet terminate class")
        let snapshotItem = try XCTUnwrap(byKind["snapshot"]?.first)
        XCTAssertEqual(snapshotItem["id"] as? String, snapshot.snapshotId)
        XCTAssertEqual(try XCTUnwrap(snapshotItem["monthly"] as? Double), 0.05 * Double(snapshot.volumeSize), accuracy: 1e-9)
        XCTAssertEqual(snapshotItem["end"] as? String, "ncaas gc spot-probe")
        XCTAssertEqual(try XCTUnwrap(billing["hourly"] as? Double), 4 * 0.0104, accuracy: 1e-9)
        let text = try world.cli.ncaas("cost")
        XCTAssertTrue(text.stdout.contains("  dev instance \(devId) (spot-probe): t3.micro on-demand, running: $0.0104/h ($7.59 a month); end it: ncaas dev terminate spot-probe"), text.stdout)

        // gc deletes the snapshot and says what that saves; the end commands do the rest.
        let gc = try world.cli.ncaas("gc", "spot-probe")
        XCTAssertEqual(gc.exitCode, 0, gc.stderr)
        let monthly = 0.05 * Double(snapshot.volumeSize)
        XCTAssertTrue(gc.stdout.contains("deleted \(snapshot.snapshotId) (spot-probe, snapshot of \(snapshot.volumeSize) GB): its image is gone; \(String(format: "$%.4f", monthly))/month"), gc.stdout)
        XCTAssertTrue(gc.stdout.hasSuffix("saved \(String(format: "$%.4f", monthly / 730))/h\n"), gc.stdout)
        XCTAssertEqual(try world.cli.ncaas("dev", "terminate", "spot-probe", "--force").exitCode, 0)
        XCTAssertEqual(try world.cli.ncaas("fleet", "terminate", "class").exitCode, 0)
        _ = try world.cli.ec2.terminateInstances([manager.instanceId])
        let after = try world.cli.ncaas("cost")
        XCTAssertEqual(after.exitCode, 0, after.stderr)
        XCTAssertTrue(after.stdout.contains("still billing: nothing (no instance, image or snapshot ncaas made bills now)"), after.stdout)
        XCTAssertEqual(try world.cli.containerCount(), 0)
    }

    func testBadPricesSinceAndGroupAreOneSentenceEach() throws {
        let missing = try world.cli.ncaas("cost", "spot-probe", "--prices", "nowhere.json")
        XCTAssertEqual(missing.exitCode, 66)
        XCTAssertEqual(missing.stderr, "ncaas: The price file nowhere.json does not exist; give the path of a JSON file shaped like ncaas's own table (see docs/cost.md).\n")
        let path = world.cli.folder.appendingPathComponent("not-prices.json").path
        try Data(#"{"date": "2030-01-01"}"#.utf8).write(to: URL(fileURLWithPath: path))
        let malformed = try world.cli.ncaas("cost", "spot-probe", "--prices", path)
        XCTAssertEqual(malformed.exitCode, 65)
        XCTAssertTrue(malformed.stderr.hasPrefix("ncaas: The price file \(path) has no \"instances\""), malformed.stderr)
        let since = try world.cli.ncaas("cost", "spot-probe", "--since", "last week")
        XCTAssertEqual(since.exitCode, 64)
        XCTAssertTrue(since.stderr.contains("--since last week is not a date; give a day such as 2026-01-31 or a time such as 2026-01-31T09:00:00Z."), since.stderr)
        let group = try world.cli.ncaas("cost", "spot-probe", "--group", "nolab")
        XCTAssertEqual(group.exitCode, 66)
        XCTAssertEqual(group.stderr, "ncaas: The group 'nolab' is not an affiliate of spot-probe (its affiliates: neurolab).\n")
        for result in [missing, malformed, since, group] { XCTAssertEqual(result.stdout, "") }
    }

    func testThePriceListAPIsOnDemandPricesAreUsedWhereItIsAsked() throws {
        try plant("cost-pricelist", "neurolab/inputs/a.txt", type: "t3.micro", market: "on-demand", launch: "2022-02-01T10:00:00Z", terminate: "2022-02-01T12:00:00Z")
        // The local cloud is one endpoint for every service, which is not AWS's: the API is not asked.
        let local = try json(try world.cli.ncaas("cost", "spot-probe", "--output", "json").stdout)
        XCTAssertEqual(((local["prices"] as? [String: Any])?["notes"] as? [String])?.first,
                       "AWS's Price List API was not asked: the endpoint \(world.cli.moto.endpoint) is not AWS's (set AWS_ENDPOINT_URL_PRICING to ask one).")

        // A Price List endpoint of its own (AWS's, here a stand-in answering in its shape) is asked.
        let server = try LineChannelProcess(name: "pricing-server", command: "python3",
                                            arguments: ["-u", Fixtures.path("pricing_server.py"), "--price", "t3.micro=0.0123"])
        defer { server.stop() }
        let port = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(try server.readLine(timeout: 30).utf8)) as? [String: Int])?["port"])
        let run = try ProcessRunner.run(LocalCloudCLIFixture.binary, ["cost", "spot-probe", "--output", "json"],
                                        environment: world.cli.environment.merging(["AWS_ENDPOINT_URL_PRICING": "http://127.0.0.1:\(port)"]) { _, new in new },
                                        currentDirectory: world.cli.path, timeout: 120)
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        let report = try json(run.stdout)
        XCTAssertEqual(((report["prices"] as? [String: Any])?["notes"] as? [String])?.first, "on-demand prices of t3.micro from AWS's Price List API (us-east-1, now)")
        let job = try XCTUnwrap(((report["analyses"] as? [[String: Any]])?.first?["jobs"] as? [[String: Any]])?.first { $0["job"] as? String == "job__spot-probe_cost-pricelist" })
        XCTAssertEqual(try XCTUnwrap(job["dollars"] as? Double), 2 * 0.0123, accuracy: 1e-9, "two hours at the Price List's price")
        XCTAssertTrue(server.logTail().contains("AWSPriceListService.GetProducts signed for "), server.logTail())
        XCTAssertTrue(server.logTail().contains("/us-east-1/pricing/aws4_request"), server.logTail())
    }
}
