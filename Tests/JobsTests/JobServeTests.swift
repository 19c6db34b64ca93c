import AWS
import DevAMI
import Foundation
import Jobs
import Support
import TestSupport
import XCTest

/// `ncaas jobs serve` through the built binary on the local cloud: a submission dropped into the
/// bucket reaches the job queue (the bucket notification deploy set) and is run at once; a server
/// killed with SIGKILL mid-job and started again finishes the job once and leaves no instance.
/// moto checks signatures and IAM policies: the dropped submission is put with the affiliate's own key.
final class JobServeTests: XCTestCase {
    private var world: JobsWorld!
    private var servers: [pid_t] = []

    override func setUpWithError() throws { world = try JobsWorld() }

    override func tearDownWithError() throws {
        for pid in servers { kill(pid, SIGKILL); _ = ChildProcess.wait(pid, timeout: 10) }
        guard let world else { return }
        defer { world.close() }
        XCTAssertEqual(try world.cli.liveInstances("spike-stats").count, 0, "no live instance in EC2")
        XCTAssertEqual(try world.cli.containerCount(), 0, "no instance container outlives the test")
    }

    private func startServer(_ name: String) throws -> (pid: pid_t, out: String) {
        let environment = ProcessInfo.processInfo.environment.merging(world.cli.environment) { _, new in new }
        let out = world.cli.folder.appendingPathComponent("\(name).out").path
        let pid = try ChildProcess.start(LocalCloudCLIFixture.binary, ["jobs", "serve", "spike-stats", "--visibility-timeout", "6"],
                                         stdoutPath: out, stderrPath: nil, environment: environment, inFolder: world.cli.path)
        servers.append(pid)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").contains("serving spike-stats") {
            Thread.sleep(forTimeInterval: 0.05)
        }
        return (pid, out)
    }

    private func waitFor(_ what: String, timeout: TimeInterval = 90, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("timed out waiting for \(what)")
    }

    private func submitJSON(_ datanames: [String], config: String, timestamp: String) throws -> String {
        let object: [String: Any] = ["dataname": datanames, "configname": config, "timestamp": timestamp]
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    private func queueCounts() throws -> Int {
        let sqs = world.cli.ec2.client.sqs
        let url = try sqs.getQueueURL(name: "spike-stats-jobs")
        let attributes = try sqs.getQueueAttributes(queueURL: url, names: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
        return (Int(attributes["ApproximateNumberOfMessages"] ?? "0") ?? 0) + (Int(attributes["ApproximateNumberOfMessagesNotVisible"] ?? "0") ?? 0)
    }

    func testASubmissionDroppedIntoTheBucketIsPickedUpWithinTwoSeconds() throws {
        // The server runs what is deployed: a COMMAND broken in the working copy only is named, not run.
        let path = world.cli.blueprintPath("spike-stats")
        let original = try String(contentsOfFile: path, encoding: .utf8)
        defer { try? original.write(toFile: path, atomically: true, encoding: .utf8) }
        try original.replacingOccurrences(of: #""COMMAND": "python3 spike_stats.py {} {} {} {}""#, with: #""COMMAND": "sh -c 'exit 7' x {} {} {} {}""#)
            .write(toFile: path, atomically: true, encoding: .utf8)
        let server = try startServer("serve")
        XCTAssertTrue(((try? String(contentsOfFile: server.out, encoding: .utf8)) ?? "").contains(
            "note: the blueprint here changes Lambda.LambdaConfig.COMMAND since spike-stats was deployed; the jobs run what is deployed"))
        let layout = JobLayout(bucket: "spike-stats", analysis: "spike-stats", group: "neurolab", timestamp: "dropped")
        // ann drops it with her own key, as an affiliate would; her group allows that and no more.
        let submit = try submitJSON(["neurolab/inputs/session1.csv", "neurolab/inputs/session2.csv"], config: "neurolab/configs/config.json", timestamp: "dropped")
        XCTAssertThrowsError(try world.affiliate.putObject(bucket: "job-probe", key: "neurolab/submissions/elsewhere_submit.json", data: Data(submit.utf8))) { error in
            XCTAssertEqual((error as? AWSError)?.isAccessDenied, true, "another analysis's bucket is not ann's: \(error)")
        }
        try world.affiliate.putObject(bucket: "spike-stats", key: "neurolab/submissions/dropped_submit.json", data: Data(submit.utf8))
        let dropped = Date()
        try waitFor("the job's first status file", timeout: 10) { try world.s3.objectInfo(bucket: "spike-stats", key: layout.statusKey(dataset: "neurolab/inputs/session1.csv")) != nil }
        XCTAssertLessThan(Date().timeIntervalSince(dropped), 2, "picked up within 2 s")
        try waitFor("the job's end") { try world.text("spike-stats", layout.certificateKey).contains("STEP 4/4") }
        XCTAssertTrue(try world.text("spike-stats", layout.certificateKey).contains("2 of 2 datasets succeeded"))
        try waitFor("the server's line") { ((try? String(contentsOfFile: server.out, encoding: .utf8)) ?? "").contains("job__spike-stats_dropped: SUCCESS") }
        try waitFor("the message's deletion", timeout: 10) { try queueCounts() == 0 }
        // A file in submissions/ that is not a submit file is not a job.
        try world.put("spike-stats", "neurolab/submissions/notes_submit.json", "not json")
        try waitFor("the dropped line") { ((try? String(contentsOfFile: server.out, encoding: .utf8)) ?? "").contains("neurolab/submissions/notes_submit.json: dropped: INPUT ERROR") }
        try waitFor("that message's deletion", timeout: 10) { try queueCounts() == 0 }
    }

    /// test-job runs its submission itself: the message its upload caused is gone when it ends, so a
    /// `jobs serve` started later has nothing of it to report (it used to say "another manager is
    /// running it" for a job that was done).
    func testATestJobLeavesNothingForALaterServe() throws {
        let submit = try world.submit(["neurolab/inputs/session1.csv"], config: "neurolab/configs/config.json", timestamp: "tested", name: "tested_submit.json")
        let run = try world.cli.ncaas("test-job", "spike-stats", submit)
        XCTAssertEqual(run.exitCode, 0, run.stderr + run.stdout)
        let server = try startServer("after-test-job")
        Thread.sleep(forTimeInterval: 3)
        let printed = try String(contentsOfFile: server.out, encoding: .utf8)
        XCTAssertFalse(printed.contains("job__spike-stats_tested"), "nothing of the finished job: \(printed)")
        XCTAssertEqual(try queueCounts(), 0, "no message left, not even one being handled: \(printed)")
    }

    func testAServerKilledMidJobAndRestartedFinishesItOnceWithNoOrphan() throws {
        try world.put("spike-stats", "neurolab/configs/slowish.json", #"{"sleep_s": 4, "__duration__": 2}"#)
        let layout = JobLayout(bucket: "spike-stats", analysis: "spike-stats", group: "neurolab", timestamp: "killed")
        let first = try startServer("first")
        try world.put("spike-stats", "neurolab/submissions/killed_submit.json",
                      try submitJSON(["neurolab/inputs/session1.csv", "neurolab/inputs/session2.csv"], config: "neurolab/configs/slowish.json", timestamp: "killed"))
        try waitFor("both datasets running") {
            ["session1.csv", "session2.csv"].allSatisfy { (try? world.status("spike-stats", layout, dataset: "neurolab/inputs/\($0)"))?.status == .inProgress }
        }
        kill(first.pid, SIGKILL)
        _ = ChildProcess.wait(first.pid, timeout: 10)
        let orphans = try world.cli.liveInstances("spike-stats").map(\.instanceId)
        XCTAssertEqual(orphans.count, 2, "kill -9 leaves the job's instances running")

        let second = try startServer("second")
        try waitFor("the job's end") { (try? world.text("spike-stats", layout.certificateKey))?.contains("STEP 4/4") == true }
        let certificate = try world.text("spike-stats", layout.certificateKey)
        XCTAssertTrue(certificate.contains("2 of 2 datasets succeeded"), certificate)
        XCTAssertEqual(certificate.components(separatedBy: "STEP 4/4").count, 2, "one end recorded")
        for dataset in ["session1.csv", "session2.csv"] {
            let status = try world.status("spike-stats", layout, dataset: "neurolab/inputs/\(dataset)")
            XCTAssertEqual(status.status, .success)
            XCTAssertFalse(orphans.contains(status.instance), "run again on new instances")
        }
        try waitFor("the message's deletion", timeout: 20) { try queueCounts() == 0 }
        let printed = try String(contentsOfFile: second.out, encoding: .utf8)
        XCTAssertEqual(printed.components(separatedBy: "job__spike-stats_killed: SUCCESS").count, 2, "run once by the second server: \(printed)")
        XCTAssertEqual(Set(try world.cli.ec2.describeInstances(instanceIds: orphans).map(\.stateName)), [.terminated], "the orphans are gone")
        XCTAssertEqual(try world.cli.liveInstances("spike-stats").count, 0)
        // Jobs launched for it: the first run's two and the second's two, no more.
        XCTAssertEqual(try world.jobInstances("spike-stats").filter { $0.tag("ncaas:job") == "job__spike-stats_killed" }.count, 4)
    }

    func testATestJobWhileAServerRunsIsRunOnceByTheTestJob() throws {
        let server = try startServer("serve")
        let submit = try world.submit(["neurolab/inputs/session1.csv", "neurolab/inputs/session2.csv"], config: "neurolab/configs/config.json", timestamp: "both")
        let run = try world.cli.ncaas("test-job", "spike-stats", submit)
        XCTAssertEqual(run.exitCode, 0, run.stderr + run.stdout)
        try waitFor("the server to let the message go", timeout: 30) { try queueCounts() == 0 }
        let printed = try String(contentsOfFile: server.out, encoding: .utf8)
        XCTAssertFalse(printed.contains("job__spike-stats_both: SUCCESS"), "the server did not run it: \(printed)")
        XCTAssertTrue(printed.contains("job__spike-stats_both: another manager is running it") || printed.contains("job__spike-stats_both: already finished"), printed)
        XCTAssertEqual(try world.jobInstances("spike-stats").filter { $0.tag("ncaas:job") == "job__spike-stats_both" }.count, 2, "one instance per dataset, once")
    }

    func testTwoServersAndADuplicatedNotificationRunTheJobOnceAndARedeployAppliesToTheNextJob() throws {
        let first = try startServer("first")
        let second = try startServer("second")
        // S3 may deliver a notification more than once: the same event twice, besides the bucket's own.
        let key = "neurolab/submissions/twice_submit.json"
        let event = #"{"Records": [{"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "spike-stats"}, "object": {"key": "\#(key)"}}}]}"#
        try world.affiliate.putObject(bucket: "spike-stats", key: key, data: Data(try submitJSON(["neurolab/inputs/session1.csv"], config: "neurolab/configs/config.json", timestamp: "twice").utf8))
        let sqs = world.cli.ec2.client.sqs
        let url = try sqs.getQueueURL(name: "spike-stats-jobs")
        for _ in 0..<2 { _ = try sqs.sendMessage(queueURL: url, body: event) }
        let layout = JobLayout(bucket: "spike-stats", analysis: "spike-stats", group: "neurolab", timestamp: "twice")
        try waitFor("the job's end") { ((try? world.text("spike-stats", layout.certificateKey)) ?? "").contains("STEP 4/4") }
        try waitFor("every message's deletion", timeout: 30) { try queueCounts() == 0 }
        let printed = try [first.out, second.out].map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()
        XCTAssertEqual(printed.components(separatedBy: "job__spike-stats_twice: SUCCESS").count, 2, "run once in all: \(printed)")
        XCTAssertEqual(try world.jobInstances("spike-stats").filter { $0.tag("ncaas:job") == "job__spike-stats_twice" }.count, 1, "one instance, once")

        // A redeploy applies to the next job without restarting the servers.
        let path = world.cli.blueprintPath("spike-stats")
        try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: #""SSM_TIMEOUT": 1800"#, with: #""SSM_TIMEOUT": 540"#)
            .write(toFile: path, atomically: true, encoding: .utf8)
        let deploy = try world.cli.ncaas("deploy", "spike-stats", "--no-manager")
        XCTAssertEqual(deploy.exitCode, 0, deploy.stderr)
        let next = JobLayout(bucket: "spike-stats", analysis: "spike-stats", group: "neurolab", timestamp: "redeployed")
        try world.affiliate.putObject(bucket: "spike-stats", key: "neurolab/submissions/redeployed_submit.json",
                                      data: Data(try submitJSON(["neurolab/inputs/session1.csv"], config: "neurolab/configs/config.json", timestamp: "redeployed").utf8))
        try waitFor("the next job's end") { ((try? world.text("spike-stats", next.certificateKey)) ?? "").contains("STEP 4/4") }
        let certificate = try world.text("spike-stats", next.certificateKey)
        XCTAssertTrue(certificate.contains("time limit 9 min per dataset"), certificate)
    }

    func testSIGTERMDrainsTheRunningJobThenExits() throws {
        try world.put("spike-stats", "neurolab/configs/slowish.json", #"{"sleep_s": 3, "__duration__": 2}"#)
        let layout = JobLayout(bucket: "spike-stats", analysis: "spike-stats", group: "neurolab", timestamp: "drained")
        let server = try startServer("drain")
        try world.put("spike-stats", "neurolab/submissions/drained_submit.json",
                      try submitJSON(["neurolab/inputs/session1.csv"], config: "neurolab/configs/slowish.json", timestamp: "drained"))
        try waitFor("the dataset running") { (try? world.status("spike-stats", layout, dataset: "neurolab/inputs/session1.csv"))?.status == .inProgress }
        kill(server.pid, SIGTERM)
        XCTAssertEqual(ChildProcess.wait(server.pid, timeout: 60), 0, (try? String(contentsOfFile: server.out, encoding: .utf8)) ?? "")
        servers.removeAll { $0 == server.pid }
        let printed = try String(contentsOfFile: server.out, encoding: .utf8)
        XCTAssertTrue(printed.contains("terminated: taking no more work"), printed)
        XCTAssertTrue(printed.contains("job__spike-stats_drained: SUCCESS\ndrained: every job that was running has finished"), printed)
        XCTAssertEqual(try world.status("spike-stats", layout, dataset: "neurolab/inputs/session1.csv").status, .success, "the job finished, not stopped")
        XCTAssertEqual(try queueCounts(), 0, "its message deleted")
    }
}
