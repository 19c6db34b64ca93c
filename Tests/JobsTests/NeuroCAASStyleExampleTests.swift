import AWS
import Foundation
import Jobs
import TestSupport
import XCTest

/// The second example analysis, blueprints/bursts, written the NeuroCAAS way and run unchanged on
/// the local cloud with IAM checks on: its folder is not its PipelineName (ncap-bursts), its setup.sh
/// installs a recent AWS CLI with pip, COMMAND moves its own data with `aws s3 cp` and the job
/// instance profile's credentials from the instance metadata (direct staging), keeps a progress log
/// in the result folder, runs as root and ends with `sudo shutdown -h now`. Two datasets succeed,
/// the results are right, and nothing is left running.
final class NeuroCAASStyleExampleTests: XCTestCase {
    private var cli: LocalCloudCLIFixture!

    override func setUpWithError() throws {
        cli = try LocalCloudCLIFixture()
        try cli.makeRepository(commit: true)
        let blueprints = cli.folder.appendingPathComponent("blueprints")
        try FileManager.default.createDirectory(at: blueprints, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: JobsWorld.repositoryRoot.appendingPathComponent("blueprints/bursts"), to: blueprints.appendingPathComponent("bursts"))
        try cli.git("add", "-A")
        try cli.git("commit", "-q", "-m", "bursts, as a NeuroCAAS author wrote it")
    }

    override func tearDownWithError() throws {
        guard let cli else { return }
        XCTAssertEqual(try cli.liveInstances("ncap-bursts").count, 0, "nothing left running")
        XCTAssertEqual(try cli.tearDown(), 0, "no instance container outlives the test")
    }

    private func text(_ key: String) throws -> String { String(decoding: try cli.ec2.client.s3.getObject(bucket: "ncap-bursts", key: key), as: UTF8.self) }

    func testTwoDatasetsSucceedWithTheirOwnS3IOAndAShutdownAtTheEnd() throws {
        // Before the deploy, the hint names the folder the user typed, not the PipelineName.
        let early = try cli.ncaas("test-job", "bursts", "blueprints/bursts/data/submit.json")
        XCTAssertEqual(early.exitCode, 66, early.stderr)
        XCTAssertTrue(early.stderr.contains("ncap-bursts is not deployed (there is no bucket ncap-bursts); run `ncaas deploy bursts` first."), early.stderr)

        let deploy = try cli.ncaas("deploy", "bursts", "--no-manager")
        XCTAssertEqual(deploy.exitCode, 0, deploy.stderr)
        let build = try cli.ncaas("image", "build", "bursts", "--if-changed", "-m", "AWS CLI from pip, run_main.sh and bursts.py in ~/bin", timeout: 600)
        XCTAssertEqual(build.exitCode, 0, build.stderr + build.stdout)
        let version = try XCTUnwrap(build.stdout.split(separator: "\n").first { $0.hasPrefix("aws-cli/") }, "setup.sh prints the AWS CLI it installed: \(build.stdout)")
        let parts = version.dropFirst("aws-cli/".count).prefix { $0 != " " }.split(separator: ".").compactMap { Int($0) }
        XCTAssertTrue(parts.count >= 2 && (parts[0] > 1 || parts[1] >= 29), "an AWS CLI that reads AWS_ENDPOINT_URL: \(version)")
        XCTAssertEqual(try cli.ncaas("deploy", "bursts", "--no-manager").exitCode, 0, "the image in the deployed configuration")

        for file in ["session1.csv", "session2.csv"] {
            XCTAssertEqual(try cli.ncaas("data", "put", "bursts", "burstlab", "blueprints/bursts/data/\(file)").exitCode, 0)
        }
        XCTAssertEqual(try cli.ncaas("data", "put", "bursts", "burstlab", "blueprints/bursts/data/config.json", "--configs").exitCode, 0)
        let run = try cli.ncaas("test-job", "bursts", "blueprints/bursts/data/submit.json", "--output", "json", timeout: 300)
        let layout = JobLayout(bucket: "ncap-bursts", analysis: "ncap-bursts", group: "burstlab", timestamp: "example-1")
        let statuses = try ["session1.csv", "session2.csv"].map { try DatasetStatus.parse(try cli.ec2.client.s3.getObject(bucket: "ncap-bursts", key: layout.statusKey(dataset: "burstlab/inputs/\($0)"))) }
        XCTAssertEqual(run.exitCode, 0, run.stdout + run.stderr + statuses.map { $0.stdout + $0.stderr }.joined())
        for (status, dataset) in zip(statuses, ["session1.csv", "session2.csv"]) {
            XCTAssertEqual(status.status, .success, status.reason.joined())
            XCTAssertEqual(status.exitCode, 0, "COMMAND's status decides: run_main.sh's, kept past the shutdown")
            XCTAssertEqual(status.reason.last, "COMMAND succeeded; 2 result files in \(layout.processResultsPrefix), written while COMMAND ran. "
                           + "COMMAND's `shutdown -h now` was recorded, not carried out: ncaas terminated the instance itself.", "dataset \(dataset)")
            XCTAssertTrue(status.stdout.contains("as root: s3://ncap-bursts/burstlab/inputs/\(dataset)"), "run as root, as NeuroCAAS's SSM does: \(status.stdout)")
            XCTAssertTrue(status.stderr.contains("'shutdown -h now' was recorded, not carried out"), status.stderr)
            // The progress log, in the result folder, written by the analysis itself.
            let progress = try text("\(layout.resultPrefix)/logs/progress_\(dataset).txt")
            XCTAssertTrue(progress.contains("finding bursts") && progress.contains("done: 2 result files"), progress)
        }

        // The results are right: bursts computed here, independently, from the same CSVs.
        let config = (maxISI: 0.06, minSpikes: 3)
        for dataset in ["session1.csv", "session2.csv"] {
            let csv = try String(contentsOf: JobsWorld.repositoryRoot.appendingPathComponent("blueprints/bursts/data/\(dataset)"), encoding: .utf8)
            var times: [String: [Double]] = [:]
            for line in csv.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",")
                times[String(fields[0]), default: []].append(try XCTUnwrap(Double(fields[1])))
            }
            let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try text(layout.processResultsPrefix + "\(dataset)_bursts.json").utf8)) as? [String: Any])
            let units = try XCTUnwrap(summary["units"] as? [String: [String: Any]])
            XCTAssertEqual(Set(units.keys), Set(times.keys))
            var rows = 0
            for (unit, spikes) in times {
                let sorted = spikes.sorted()
                var runs: [[Double]] = [[sorted[0]]]
                for (previous, current) in zip(sorted, sorted.dropFirst()) {
                    if current - previous <= config.maxISI { runs[runs.count - 1].append(current) } else { runs.append([current]) }
                }
                let expected = runs.filter { $0.count >= config.minSpikes }
                let reported = try XCTUnwrap(units[unit]?["bursts"] as? [[Double]])
                XCTAssertEqual(reported, expected.map { [$0.first!, $0.last!, Double($0.count)] }, "\(dataset) \(unit)")
                XCTAssertEqual(try XCTUnwrap(units[unit]?["burst_fraction"] as? Double), Double(expected.map(\.count).reduce(0, +)) / Double(spikes.count), accuracy: 1e-12)
                rows += expected.count
            }
            XCTAssertEqual(try text(layout.processResultsPrefix + "\(dataset)_bursts.csv").split(separator: "\n").count, rows + 1, "a header and one row per burst")
        }

        // The certificate: who ran COMMAND, the instance profile, and who ended the instances.
        let certificate = try text(layout.certificateKey)
        XCTAssertTrue(certificate.contains("with the instance profile ncap-bursts-JobInstanceProfile-"), certificate)
        XCTAssertTrue(certificate.contains("COMMAND runs as root (HOME /root; ncaas.jobs.user chooses) in ~/bin, time limit 30 min per dataset (SSM_TIMEOUT)"), certificate)
        XCTAssertTrue(certificate.contains("2 of 2 datasets succeeded") && certificate.contains("every instance was terminated by ncaas"), certificate)
        let instances = try cli.ec2.describeInstances(filters: [.tag("ncaas:analysis", "ncap-bursts"), .tag("ncaas:role", "job")])
        XCTAssertEqual(instances.count, 2)
        XCTAssertTrue(instances.allSatisfy { $0.stateReason?.contains("InstanceInitiatedShutdown") != true }, "no instance shut itself down: \(instances.map { $0.stateReason ?? "" })")

        // The job is done with: the job queue holds no message of it for a later `jobs serve` to report.
        let sqs = cli.ec2.client.sqs
        let queue = try sqs.getQueueURL(name: "ncap-bursts-jobs")
        let left = try sqs.receiveMessages(queueURL: queue, maxMessages: 10, waitTimeSeconds: 1, visibilityTimeout: 0)
        XCTAssertEqual(left.flatMap { S3EventNotification.createdObjects(in: $0.body) }, [], "test-job deleted the message its upload caused: \(left.map(\.body))")
    }
}
