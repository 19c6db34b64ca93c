import AWS
import DevAMI
import Foundation
import Jobs
import Support
import TestSupport
import XCTest

/// `ncaas jobs list|status|logs` read jobs back from S3 alone, and `ncaas gc` terminates job
/// instances past their expiry or whose job has ended, found by tags alone; the job manager whose
/// instances vanish ends its datasets FAILED instead of hanging. Built binary, podman instances,
/// moto with signature and IAM checks on.
final class JobRecordsAndGCTests: XCTestCase {
    private var world: JobsWorld!

    override func setUpWithError() throws { world = try JobsWorld() }

    override func tearDownWithError() throws {
        guard let world else { return }
        defer { world.close() }
        XCTAssertEqual(try world.cli.containerCount(), 0, "no instance container outlives the test")
    }

    private func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    func testJobsReadBackFromS3AndGCCollectsExpiredAndEndedJobInstances() throws {
        let quick = try world.submit(["neurolab/inputs/session1.csv"], config: "neurolab/configs/config.json", timestamp: "listed", name: "quick_submit.json")
        XCTAssertEqual(try world.cli.ncaas("test-job", "spike-stats", quick).exitCode, 0)

        // A job whose two datasets run for a long time, in the background.
        try world.put("spike-stats", "neurolab/configs/long.json", #"{"sleep_s": 600, "__duration__": 5}"#)
        let slow = try world.submit(["neurolab/inputs/session1.csv", "neurolab/inputs/session2.csv"], config: "neurolab/configs/long.json", timestamp: "orphaned")
        let environment = ProcessInfo.processInfo.environment.merging(world.cli.environment) { _, new in new }
        let out = world.cli.folder.appendingPathComponent("orphaned.out").path
        let pid = try ChildProcess.start(LocalCloudCLIFixture.binary, ["test-job", "spike-stats", slow], stdoutPath: out, stderrPath: nil,
                                         environment: environment, inFolder: world.cli.path)
        let layout = JobLayout(bucket: "spike-stats", analysis: "spike-stats", group: "neurolab", timestamp: "orphaned")
        let deadline = Date().addingTimeInterval(60)
        var running: [DatasetStatus] = []
        while Date() < deadline && running.count < 2 {
            running = ["session1.csv", "session2.csv"].compactMap { try? world.status("spike-stats", layout, dataset: "neurolab/inputs/\($0)") }
                .filter { $0.status == .inProgress }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTAssertEqual(running.count, 2, "both datasets run")

        // jobs list: from S3 alone, one finished and one running.
        let list = try world.cli.ncaas("jobs", "list", "spike-stats", "--output", "json")
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        let jobs = try XCTUnwrap(try json(list.stdout) as? [[String: Any]])
        XCTAssertEqual(jobs.map { $0["job"] as? String }, ["job__spike-stats_listed", "job__spike-stats_orphaned"])
        XCTAssertEqual(jobs.map { $0["state"] as? String }, ["SUCCESS", "RUNNING"])
        let listText = try world.cli.ncaas("jobs", "list", "spike-stats", "--group", "neurolab")
        XCTAssertTrue(listText.stdout.contains("job__spike-stats_listed  neurolab  SUCCESS  1/1 succeeded"), listText.stdout)

        // One instance outlived its expiry; the other belongs (by its tag) to the job that ended.
        let ids = running.sorted { $0.input < $1.input }.map(\.instance)
        try world.cli.ec2.createTags(resourceIds: [ids[0]], tags: [Tag(key: InstanceTags.expiry, value: InstanceTags.format(Date().addingTimeInterval(-60)))])
        try world.cli.ec2.createTags(resourceIds: [ids[1]], tags: [Tag(key: JobTags.job, value: "job__spike-stats_listed")])
        let dry = try world.cli.ncaas("gc", "spike-stats", "--dry-run")
        XCTAssertEqual(dry.exitCode, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("would terminate \(ids[0]) (spike-stats, job): past its expiry"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("would terminate \(ids[1]) (spike-stats, job): its job job__spike-stats_listed has ended; $0.0104/h"), dry.stdout)
        XCTAssertTrue(dry.stdout.hasSuffix("would save $0.0208/h\n"), "two t3.micro at the shipped table's price: \(dry.stdout)")
        XCTAssertEqual(try world.cli.liveInstances("spike-stats").count, 2, "a dry run terminates nothing")
        let gc = try world.cli.ncaas("gc", "spike-stats", "--output", "json")
        XCTAssertEqual(gc.exitCode, 0, gc.stderr)
        let collected = try XCTUnwrap((try json(gc.stdout) as? [String: Any])?["instances"] as? [[String: Any]])
        XCTAssertEqual(Set(collected.compactMap { $0["instanceId"] as? String }), Set(ids))
        XCTAssertEqual(try world.cli.liveInstances("spike-stats").count, 0)

        // The job manager notices, ends both datasets FAILED and exits 1 by itself.
        let exit = ChildProcess.wait(pid, timeout: 60)
        XCTAssertEqual(exit, 1, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
        let status = try world.cli.ncaas("jobs", "status", "spike-stats", "orphaned")
        XCTAssertEqual(status.exitCode, 0, status.stderr)
        XCTAssertTrue(status.stdout.hasPrefix("job__spike-stats_orphaned (neurolab): FAILED"), status.stdout)
        XCTAssertTrue(status.stdout.contains("FAILED      neurolab/inputs/session1.csv  \(ids[0]): The instance \(ids[0]) was terminated while COMMAND ran (EC2: "), status.stdout)
        let statusJSON = try XCTUnwrap(try json(try world.cli.ncaas("jobs", "status", "spike-stats", "job__spike-stats_orphaned", "--output", "json").stdout) as? [String: Any])
        XCTAssertEqual((statusJSON["datasets"] as? [[String: Any]])?.map { $0["status"] as? String }, ["FAILED", "FAILED"])
        XCTAssertEqual(try world.cli.ncaas("gc", "--output", "json").stdout.contains("\"instances\": []"), true, "nothing left to collect anywhere")

        // jobs logs: the certificate, or one dataset's tails.
        let certificate = try world.cli.ncaas("jobs", "logs", "spike-stats", "listed")
        XCTAssertTrue(certificate.stdout.contains("STEP 4/4 (Job Finished): 1 of 1 dataset succeeded"), certificate.stdout)
        let logs = try world.cli.ncaas("jobs", "logs", "spike-stats", "listed", "--dataset", "session1.csv")
        XCTAssertTrue(logs.stdout.contains("== stdout (tail) ==\nanalysing s3://spike-stats/neurolab/inputs/session1.csv"), logs.stdout)
        let unknown = try world.cli.ncaas("jobs", "status", "spike-stats", "never-ran")
        XCTAssertEqual(unknown.exitCode, 66)
        XCTAssertTrue(unknown.stderr.contains("There is no job job__spike-stats_never-ran in neurolab's results"), unknown.stderr)
    }

    /// Starts `ncaas test-job` of a long job in the background; returns its pid and output file.
    private func startLongJob(_ timestamp: String) throws -> (pid: pid_t, out: String, layout: JobLayout) {
        try world.put("spike-stats", "neurolab/configs/long.json", #"{"sleep_s": 600, "__duration__": 5}"#)
        let submit = try world.submit(["neurolab/inputs/session1.csv", "neurolab/inputs/session2.csv"], config: "neurolab/configs/long.json",
                                      timestamp: timestamp, name: "\(timestamp)_submit.json")
        let environment = ProcessInfo.processInfo.environment.merging(world.cli.environment) { _, new in new }
        let out = world.cli.folder.appendingPathComponent("\(timestamp).out").path
        let pid = try ChildProcess.start(LocalCloudCLIFixture.binary, ["test-job", "spike-stats", submit], stdoutPath: out, stderrPath: nil,
                                         environment: environment, inFolder: world.cli.path)
        let layout = JobLayout(bucket: "spike-stats", analysis: "spike-stats", group: "neurolab", timestamp: timestamp)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let running = ["session1.csv", "session2.csv"].compactMap { try? world.status("spike-stats", layout, dataset: "neurolab/inputs/\($0)") }
                .filter { $0.status == .inProgress && $0.stdout.contains("analysing") }
            if running.count == 2 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return (pid, out, layout)
    }

    func testCancelStopsARunningJobFromOutsideAndLogsFollowsItToTheEnd() throws {
        let job = try startLongJob("to-cancel")
        // Follow one dataset's output while it runs.
        let environment = ProcessInfo.processInfo.environment.merging(world.cli.environment) { _, new in new }
        let followed = world.cli.folder.appendingPathComponent("follow.out").path
        let follower = try ChildProcess.start(LocalCloudCLIFixture.binary, ["jobs", "logs", "spike-stats", "to-cancel", "--dataset", "session2.csv", "-f"],
                                              stdoutPath: followed, stderrPath: nil, environment: environment, inFolder: world.cli.path)
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertTrue(((try? String(contentsOfFile: followed, encoding: .utf8)) ?? "").contains("analysing s3://spike-stats/neurolab/inputs/session2.csv"))

        let cancel = try world.cli.ncaas("jobs", "cancel", "spike-stats", "to-cancel")
        XCTAssertEqual(cancel.exitCode, 0, cancel.stderr)
        XCTAssertTrue(cancel.stdout.hasPrefix("job__spike-stats_to-cancel: cancelled; terminated i-"), cancel.stdout)
        XCTAssertTrue(cancel.stdout.contains("(its manager records the end)"), cancel.stdout)
        XCTAssertEqual(try world.cli.liveInstances("spike-stats").count, 0)
        XCTAssertEqual(ChildProcess.wait(job.pid, timeout: 60), 1, (try? String(contentsOfFile: job.out, encoding: .utf8)) ?? "")
        for dataset in ["session1.csv", "session2.csv"] {
            let status = try world.status("spike-stats", job.layout, dataset: "neurolab/inputs/\(dataset)")
            XCTAssertEqual(status.status, .failed)
            XCTAssertEqual(status.reason.last, JobCancellation.reason)
        }
        XCTAssertEqual(ChildProcess.wait(follower, timeout: 30), 0, "logs -f ends with the dataset")
        let log = try String(contentsOfFile: followed, encoding: .utf8)
        XCTAssertEqual(log.components(separatedBy: "analysing s3://spike-stats/neurolab/inputs/session2.csv").count, 2, "each line once: \(log)")
        XCTAssertTrue(log.hasSuffix("== neurolab/inputs/session2.csv: FAILED: \(JobCancellation.reason) ==\n"), log)

        let again = try world.cli.ncaas("jobs", "cancel", "spike-stats", "to-cancel")
        XCTAssertEqual(again.exitCode, 75, again.stderr)
        XCTAssertTrue(again.stderr.contains("has already finished (FAILED); there is nothing to cancel."), again.stderr)
    }

    func testCancelEndsAJobWhoseManagerIsGone() throws {
        let job = try startLongJob("abandoned")
        kill(job.pid, SIGKILL)
        _ = ChildProcess.wait(job.pid, timeout: 10)
        XCTAssertEqual(try world.cli.liveInstances("spike-stats").count, 2, "kill -9 leaves them running")
        // A lease older than a minute means no manager: shift this one back.
        try world.put("spike-stats", ManagerLease.key(job.layout), #"{"heartbeat": "\#(InstanceTags.format(Date().addingTimeInterval(-120)))"}"#)
        let cancel = try world.cli.ncaas("jobs", "cancel", "spike-stats", "job__spike-stats_abandoned")
        XCTAssertEqual(cancel.exitCode, 0, cancel.stderr)
        XCTAssertFalse(cancel.stdout.contains("its manager"), cancel.stdout)
        XCTAssertEqual(try world.cli.liveInstances("spike-stats").count, 0)
        let status = try world.cli.ncaas("jobs", "status", "spike-stats", "abandoned")
        XCTAssertTrue(status.stdout.hasPrefix("job__spike-stats_abandoned (neurolab): FAILED"), status.stdout)
        XCTAssertTrue(try world.text("spike-stats", job.layout.certificateKey).contains("STEP 4/4 (Job Finished): cancelled"))
        XCTAssertEqual(try world.status("spike-stats", job.layout, dataset: "neurolab/inputs/session1.csv").reason.last, JobCancellation.reason)
    }
}
