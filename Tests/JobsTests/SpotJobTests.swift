import AWS
import DevAMI
import Foundation
import Jobs
import TestSupport
import XCTest

/// Jobs on spot instances, through the built `ncaas` on the local cloud, with instances interrupted
/// as EC2 interrupts them (a notice in the instance's metadata, then termination with
/// Server.SpotInstanceTermination): the interrupted dataset is marked INTERRUPTED, run again once
/// (on spot, or on-demand for spot-then-on-demand), both attempts are in its status file and the
/// certificate, and no instance outlives the job.
final class SpotJobTests: XCTestCase {
    nonisolated(unsafe) private static var shared: Result<SpotWorld, Error>?
    private var world: SpotWorld!

    override func setUpWithError() throws {
        if Self.shared == nil { Self.shared = Result { try SpotWorld() } }
        world = try Self.shared!.get()
    }

    override func tearDownWithError() throws {
        guard let world else { return }
        try? world.cli.moto.setSpotCapacity(true)
        XCTAssertEqual(try world.cli.containerCount(), 0, "no instance container outlives the test")
        XCTAssertEqual(try world.cli.liveInstances("spot-probe").count, 0, "no live instance in EC2")
    }

    override class func tearDown() {
        if case .success(let world)? = shared { world.close() }
        shared = nil
    }

    private let datasets = ["neurolab/inputs/a.txt", "neurolab/inputs/b.txt"]

    /// Runs a two-dataset job on `market` whose first dataset's instance is interrupted once COMMAND
    /// runs: the notice at once, the termination `after` seconds later.
    private func runInterrupted(_ timestamp: String, market: String, after: Double) throws -> (ProcessResult, interrupted: String) {
        let submit = try world.submit(datasets, config: "neurolab/configs/slow.json", timestamp: timestamp)
        let wait = world.start("test-job", "spot-probe", submit, "--market", market, "--output", "json")
        let running = try world.waitForStatus(timestamp, datasets[0]) { $0.status == .inProgress && !$0.instance.isEmpty }
        try world.cli.moto.interrupt(running.instance, after: after)
        return (try wait(), running.instance)
    }

    func testATwoDatasetSpotJobInterruptedMidCommandFinishesBothWithTheRetryRecorded() throws {
        // EC2's notice, with the termination a minute later: ncaas ends the instance at the notice.
        let started = Date()
        let (run, interrupted) = try runInterrupted("spot-mid", market: "spot", after: 60)
        XCTAssertLessThan(Date().timeIntervalSince(started), 55, "the retry did not wait for EC2's termination")
        XCTAssertEqual(run.exitCode, 0, run.stderr + run.stdout)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], run.stdout)
        XCTAssertEqual(report["state"] as? String, "SUCCESS")
        XCTAssertEqual((report["datasets"] as? [[String: Any]])?.map { $0["status"] as? String }, ["SUCCESS", "SUCCESS"])

        // The status file keeps the first attempt, INTERRUPTED, and says why.
        let status = try XCTUnwrap(world.status("spot-mid", datasets[0]))
        XCTAssertEqual(status.status, .success, status.reason.joined())
        XCTAssertEqual(status.market, .spot)
        XCTAssertNotEqual(status.instance, interrupted)
        let first = try XCTUnwrap(status.attempts?.first, "the first attempt is kept")
        XCTAssertEqual(status.attempts?.count, 1)
        XCTAssertEqual(first.status, .interrupted)
        XCTAssertEqual(first.instance, interrupted)
        XCTAssertEqual(first.market, .spot)
        XCTAssertTrue(first.reason.last?.hasPrefix("The spot instance \(interrupted) was interrupted while running COMMAND: EC2 posted its interruption notice (terminate at ") == true, first.reason.joined())
        XCTAssertTrue(first.reason.last?.hasSuffix("and ncaas ended the instance at once.") == true, first.reason.joined())
        // Never twice at once: the second instance was launched after the first was terminated.
        let firstEnd = try XCTUnwrap(first.instanceTerminate.flatMap(InstanceTags.parse))
        let secondStart = try XCTUnwrap(status.instanceLaunch.flatMap(InstanceTags.parse))
        XCTAssertLessThanOrEqual(firstEnd, secondStart)
        XCTAssertNotNil(try world.s3.objectInfo(bucket: "spot-probe", key: world.layout("spot-mid").processResultsPrefix + "copy.txt"))
        let other = try XCTUnwrap(world.status("spot-mid", datasets[1]))
        XCTAssertEqual(other.status, .success)
        XCTAssertNil(other.attempts, "the other dataset ran once")

        // The certificate shows both attempts.
        let certificate = try world.certificate("spot-mid")
        XCTAssertTrue(certificate.contains("launched in one request, on spot (ncaas.jobs.market spot)"), certificate)
        XCTAssertTrue(certificate.contains("RETRY: \(datasets[0]) was interrupted on its spot instance \(interrupted); it runs again on a new spot instance."), certificate)
        XCTAssertTrue(certificate.contains("DATANAME: \(datasets[0]) | STATUS: SUCCESS | INSTANCE: \(status.instance) | MARKET: spot"), certificate)
        XCTAssertTrue(certificate.contains("    ATTEMPT 1: INTERRUPTED | INSTANCE: \(interrupted) | MARKET: spot"), certificate)
        XCTAssertTrue(certificate.contains("2 of 2 datasets succeeded"), certificate)

        // Three spot instances, every one terminated.
        let instances = try world.cli.ec2.describeInstances(filters: [.tag("ncaas:job", "job__spot-probe_spot-mid")])
        XCTAssertEqual(instances.count, 3)
        XCTAssertEqual(Set(instances.map(\.market)), [.spot])
    }

    func testSpotThenOnDemandRunsTheInterruptedDatasetAgainOnDemand() throws {
        // Terminated a second after the notice: EC2's state reason tells ncaas what happened.
        let (run, interrupted) = try runInterrupted("spot-fallback", market: "spot-then-on-demand", after: 1)
        XCTAssertEqual(run.exitCode, 0, run.stderr + run.stdout)
        let status = try XCTUnwrap(world.status("spot-fallback", datasets[0]))
        XCTAssertEqual(status.status, .success, status.reason.joined())
        XCTAssertEqual(status.market, .onDemand)
        XCTAssertEqual(status.attempts?.map(\.status), [.interrupted])
        XCTAssertEqual(status.attempts?.first?.market, .spot)
        XCTAssertEqual(status.attempts?.first?.reason.last,
                       "The spot instance \(interrupted) was interrupted while running COMMAND: EC2 reclaimed it (Server.SpotInstanceTermination: Spot instance termination).")
        let retried = try XCTUnwrap(try world.cli.ec2.describeInstances(instanceIds: [status.instance]).first)
        XCTAssertEqual(retried.market, .onDemand, "the second attempt's instance is on-demand")
        XCTAssertEqual(try world.cli.ec2.describeInstances(instanceIds: [interrupted]).first?.market, .spot)
        let certificate = try world.certificate("spot-fallback")
        XCTAssertTrue(certificate.contains("RETRY: \(datasets[0]) was interrupted on its spot instance \(interrupted); it runs again on a new on-demand instance."), certificate)
        XCTAssertTrue(certificate.contains("DATANAME: \(datasets[0]) | STATUS: SUCCESS | INSTANCE: \(status.instance) | MARKET: on-demand"), certificate)
    }

    func testASecondInterruptionEndsTheDatasetFailedWithBothReasons() throws {
        let submit = try world.submit([datasets[0]], config: "neurolab/configs/slow.json", timestamp: "spot-twice")
        let wait = world.start("test-job", "spot-probe", submit, "--market", "spot")
        let first = try world.waitForStatus("spot-twice", datasets[0]) { $0.status == .inProgress }
        try world.cli.moto.interrupt(first.instance, after: 0)
        let second = try world.waitForStatus("spot-twice", datasets[0]) { $0.status == .inProgress && $0.instance != first.instance }
        try world.cli.moto.interrupt(second.instance, after: 0)
        let run = try wait()
        XCTAssertEqual(run.exitCode, 1, run.stderr + run.stdout)
        let status = try XCTUnwrap(world.status("spot-twice", datasets[0]))
        XCTAssertEqual(status.status, .failed)
        XCTAssertEqual(status.attempts?.map(\.instance), [first.instance])
        XCTAssertEqual(status.reason.count, 2, status.reason.joined(separator: " / "))
        XCTAssertTrue(status.reason.first?.hasPrefix("The spot instance \(second.instance) was interrupted while running COMMAND") == true, status.reason.joined())
        XCTAssertEqual(status.reason.last, "It was interrupted a second time; ncaas runs a dataset again only once, so it ends FAILED. Submit it again, or set ncaas.jobs.market to \"spot-then-on-demand\" so that the second attempt runs on-demand.")
        XCTAssertTrue(run.stdout.contains("FAILED      \(datasets[0])"), run.stdout)
        XCTAssertTrue(try world.certificate("spot-twice").contains("RETRY: \(datasets[0]) was interrupted again on \(second.instance); it ends FAILED."))
    }

    func testANoticeBeforeStagingRunsTheDatasetAgainBeforeAnythingWasCopied() throws {
        let submit = try world.submit([datasets[0]], config: "neurolab/configs/quick.json", timestamp: "spot-staging")
        let wait = world.start("test-job", "spot-probe", submit, "--market", "spot-then-on-demand")
        // The notice as soon as the instance exists, before SSH answers: the dataset is not staged there.
        let launched = try world.waitForStatus("spot-staging", datasets[0]) { !$0.instance.isEmpty }
        try world.cli.moto.interrupt(launched.instance, after: 60)
        let run = try wait()
        XCTAssertEqual(run.exitCode, 0, run.stderr + run.stdout)
        let status = try XCTUnwrap(world.status("spot-staging", datasets[0]))
        XCTAssertEqual(status.status, .success)
        let first = try XCTUnwrap(status.attempts?.first)
        XCTAssertEqual(first.status, .interrupted)
        XCTAssertTrue(first.reason.last?.hasPrefix("The spot instance \(launched.instance) was interrupted while starting, before its dataset was staged: EC2 posted its interruption notice") == true,
                      first.reason.joined())
        XCTAssertNil(first.jobStart, "COMMAND never started on it")
    }

    func testAnInstanceLostWhileItsDatasetIsStagedRunsTheDatasetAgain() throws {
        var big = Data(count: 150_000_000)
        big[0] = 0x31
        try world.s3.putObject(bucket: "spot-probe", key: "neurolab/inputs/big.bin", data: big)
        defer { _ = try? world.s3.deleteObject(bucket: "spot-probe", key: "neurolab/inputs/big.bin") }
        let submit = try world.submit(["neurolab/inputs/big.bin"], config: "neurolab/configs/quick.json", timestamp: "spot-staged")
        let wait = world.start("test-job", "spot-probe", submit, "--market", "spot-then-on-demand")
        let staging = try world.waitForStatus("spot-staged", "neurolab/inputs/big.bin") { $0.reason.last?.hasPrefix("staging the dataset and config on") == true }
        try world.cli.moto.interrupt(staging.instance, after: 0)
        let run = try wait()
        XCTAssertEqual(run.exitCode, 0, run.stderr + run.stdout)
        let status = try XCTUnwrap(world.status("spot-staged", "neurolab/inputs/big.bin"))
        XCTAssertEqual(status.status, .success)
        let first = try XCTUnwrap(status.attempts?.first)
        XCTAssertEqual(first.instance, staging.instance)
        XCTAssertEqual(first.reason.last, "The spot instance \(staging.instance) was interrupted while staging the dataset and config: EC2 reclaimed it (Server.SpotInstanceTermination: Spot instance termination).")
        XCTAssertNil(first.jobStart, "COMMAND never started on it")
    }

    func testAnInstanceLostWhileItsResultsAreCopiedRunsTheDatasetAgain() throws {
        try world.s3.putObject(bucket: "spot-probe", key: "neurolab/configs/big.json", data: Data(#"{"sleep": 0, "big": 400000000}"#.utf8))
        let submit = try world.submit([datasets[1]], config: "neurolab/configs/big.json", timestamp: "spot-collect")
        let wait = world.start("test-job", "spot-probe", submit, "--market", "spot-then-on-demand")
        let collecting = try world.waitForStatus("spot-collect", datasets[1]) { $0.reason.last?.hasPrefix("COMMAND ended; collecting the results") == true }
        try world.cli.moto.interrupt(collecting.instance, after: 0)
        let run = try wait()
        XCTAssertEqual(run.exitCode, 0, run.stderr + run.stdout)
        let status = try XCTUnwrap(world.status("spot-collect", datasets[1]))
        XCTAssertEqual(status.status, .success)
        XCTAssertEqual(status.market, .onDemand)
        let first = try XCTUnwrap(status.attempts?.first)
        XCTAssertEqual(first.instance, collecting.instance)
        XCTAssertTrue(first.reason.last?.hasPrefix("The spot instance \(collecting.instance) was interrupted while collecting the results") == true, first.reason.joined())
        XCTAssertNil(try world.s3.objectInfo(bucket: "spot-probe", key: world.layout("spot-collect").processResultsPrefix + "big"),
                     "the on-demand attempt writes no big file, and the interrupted one's was never copied whole")
    }

    func testNoSpotCapacityFallsBackToOnDemandForSpotThenOnDemand() throws {
        try world.cli.moto.setSpotCapacity(false)
        let submit = try world.submit(datasets, config: "neurolab/configs/quick.json", timestamp: "no-spot-fallback")
        let run = try world.cli.ncaas("test-job", "spot-probe", submit, "--market", "spot-then-on-demand")
        XCTAssertEqual(run.exitCode, 0, run.stderr + run.stdout)
        let certificate = try world.certificate("no-spot-fallback")
        XCTAssertTrue(certificate.contains("NOTE: EC2 had no spot capacity for 2 × t3.micro (InsufficientInstanceCapacity); launching on-demand instead (ncaas.jobs.market spot-then-on-demand)."), certificate)
        XCTAssertTrue(certificate.contains("launched in one request, on-demand (ncaas.jobs.market spot-then-on-demand)"), certificate)
        for dataset in datasets { XCTAssertEqual(world.status("no-spot-fallback", dataset)?.market, .onDemand) }
    }

    func testNoSpotCapacityTwiceEndsTheJobFailedWithNothingLaunched() throws {
        try world.cli.moto.setSpotCapacity(false)
        let submit = try world.submit(datasets, config: "neurolab/configs/quick.json", timestamp: "no-spot")
        let run = try world.cli.ncaas("test-job", "spot-probe", submit, "--market", "spot")
        XCTAssertEqual(run.exitCode, 1, run.stderr + run.stdout)
        let sentence = "EC2 had no spot capacity for 2 × t3.micro twice (InsufficientInstanceCapacity); nothing runs. Submit the job again later, choose another INSTANCE_TYPE, or set ncaas.jobs.market to \"spot-then-on-demand\"."
        XCTAssertEqual(world.status("no-spot", datasets[0])?.reason.last, sentence)
        XCTAssertEqual(world.status("no-spot", datasets[0])?.status, .failed)
        XCTAssertEqual(try world.cli.ec2.describeInstances(filters: [.tag("ncaas:job", "job__spot-probe_no-spot")]).count, 0, "nothing was launched")
    }

    func testMaxCostCountsASpotJobAtEC2sCurrentSpotPrice() throws {
        let prices = try world.cli.ec2.currentSpotPrices(instanceTypes: ["t3.micro"])
        let highest = try XCTUnwrap(prices.map(\.price).max(), "the local cloud has a spot market")
        // The blueprint's SSM_TIMEOUT (COMMAND's limit): 300 seconds for each of two datasets.
        let worst = 2 * highest * 300 / 3600
        let submit = try world.submit(datasets, config: "neurolab/configs/quick.json", timestamp: "spot-budget")
        let path = world.cli.blueprintPath("spot-probe")
        let original = try String(contentsOfFile: path, encoding: .utf8)
        defer { try? original.write(toFile: path, atomically: true, encoding: .utf8) }
        try original.replacingOccurrences(of: #""DEPLOY_LIMIT": 10"#, with: #""DEPLOY_LIMIT": 10, "MAXCOST": 0.0001"#).write(toFile: path, atomically: true, encoding: .utf8)
        let run = try world.cli.ncaas("test-job", "spot-probe", submit, "--market", "spot")
        XCTAssertEqual(run.exitCode, 1, run.stderr + run.stdout)
        let reason = try XCTUnwrap(world.status("spot-budget", datasets[0])?.reason.last)
        XCTAssertTrue(reason.contains("could cost up to \(String(format: "$%.2f", worst)) (2 × t3.micro at \(String(format: "$%.4f", highest))/h on spot (EC2's current spot price, the highest of \(prices.count) zones)"), reason)
    }
}
