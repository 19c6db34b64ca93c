import AWS
import DevAMI
import Foundation
import Jobs
import Support
import TestSupport
import XCTest

/// The job manager in the analysis's own stack, end to end on the local cloud with signature and IAM
/// checks on and no `jobs serve` on this machine: deploy ships ncaas and waits for its heartbeat; an
/// affiliate's submission, put with her own key through the plain AWS CLI, runs to SUCCESS on its
/// own; a manager terminated mid-job is replaced and the job ends once; a redeploy with a new build
/// restarts the manager after the running job; teardown leaves no instance.
final class ManagerEndToEndTests: XCTestCase {
    private var cli: LocalCloudCLIFixture!
    private var ann: MotoCredentials!

    /// Sleeps as long as its config says, then writes a file: the job is as long as a test needs.
    static let blueprint = """
        {
            "PipelineName": "manager-probe",
            "REGION": "us-east-1",
            "Lambda": {
                "LambdaConfig": {
                    "AMI": "debian12",
                    "INSTANCE_TYPE": "t3.micro",
                    "WORKING_DIRECTORY": "~",
                    "COMMAND": ": {} {} {} {}; sleep \\"$(jq -r .sleep \\"$NCAAS_CONFIG\\")\\"; wc -c < \\"$NCAAS_INPUT\\" > \\"$NCAAS_OUTPUT/size.txt\\"",
                    "EXECUTION_TIMEOUT": 5,
                    "DEPLOY_LIMIT": 4
                }
            },
            "UXData": {"Affiliates": [{"AffiliateName": "neurolab", "UserNames": ["ann"], "UserInput": true, "ContactEmail": ""}]},
            "ncaas": {"manager": {"instance_type": "t3.small", "visibility_timeout": 6}}
        }

        """

    override func setUpWithError() throws {
        cli = try LocalCloudCLIFixture()
        try cli.makeRepository(commit: true)
        ann = try cli.moto.createUser(named: "ann", policy: MotoServer.allowPolicy(actions: ["sts:GetCallerIdentity"]))
        let folder = cli.folder.appendingPathComponent("blueprints/manager-probe")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.blueprint.write(to: folder.appendingPathComponent("stack_config_template.json"), atomically: true, encoding: .utf8)
        try cli.git("add", "-A")
        try cli.git("commit", "-q", "-m", "manager-probe")
    }

    override func tearDownWithError() throws {
        guard let cli else { return }
        _ = try? cli.ncaas("teardown", "manager-probe", "--yes")
        XCTAssertEqual(try cli.tearDown(), 0, "no instance container outlives the test")
    }

    private func deploy(_ binary: String, timeout: Int = 120) throws -> ProcessResult {
        try cli.ncaas("deploy", "manager-probe", "--manager-binary", binary, "--manager-timeout", String(timeout), timeout: 400)
    }

    /// Ann, with her own key and the plain AWS CLI, drops a submission into her folder.
    private func submitAsAnn(_ timestamp: String, sleep: Int) throws {
        let files = cli.folder.appendingPathComponent("ann-\(timestamp)")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        try #"{"sleep": \#(sleep)}"#.write(to: files.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try "0123456789".write(to: files.appendingPathComponent("a.bin"), atomically: true, encoding: .utf8)
        try "01234".write(to: files.appendingPathComponent("b.bin"), atomically: true, encoding: .utf8)
        let submit = #"{"dataname": ["neurolab/inputs/a-\#(timestamp).bin", "neurolab/inputs/b-\#(timestamp).bin"], "configname": "neurolab/configs/\#(timestamp).json", "timestamp": "\#(timestamp)"}"#
        try submit.write(to: files.appendingPathComponent("submit.json"), atomically: true, encoding: .utf8)
        let environment = ProcessInfo.processInfo.environment.merging(cli.moto.awsEnvironment(ann)) { _, new in new }
        for (file, key) in [("config.json", "configs/\(timestamp).json"), ("a.bin", "inputs/a-\(timestamp).bin"),
                            ("b.bin", "inputs/b-\(timestamp).bin"), ("submit.json", "submissions/\(timestamp)-submit.json")] {
            let put = try ProcessRunner.run("aws", ["s3", "cp", files.appendingPathComponent(file).path, "s3://manager-probe/neurolab/\(key)"],
                                            environment: environment, timeout: 60)
            XCTAssertTrue(put.succeeded, "ann's aws s3 cp \(key): \(put.stderr)")
        }
    }

    private func certificate(_ timestamp: String) -> String {
        (try? String(decoding: cli.ec2.client.s3.getObject(bucket: "manager-probe", key: "neurolab/results/job__manager-probe_\(timestamp)/logs/certificate.txt"),
                     as: UTF8.self)) ?? ""
    }

    private func waitFor(_ what: String, timeout: TimeInterval, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.5)
        }
        XCTFail("timed out after \(Int(timeout)) s waiting for \(what)")
    }

    private func managerInstances() throws -> [Instance] {
        try cli.ec2.describeInstances(filters: [.tag("ncaas:analysis", "manager-probe"), .tag("ncaas:role", "manager"),
                                                EC2Filter(name: "instance-state-name", values: ["pending", "running"])])
    }

    func testTheAnalysisServesItselfSurvivesItsManagersDeathAndTakesANewBuild() throws {
        let binary = try ManagerBinary.path()
        let deployed = try deploy(binary)
        XCTAssertEqual(deployed.exitCode, 0, deployed.stderr + deployed.stdout)
        XCTAssertTrue(deployed.stdout.contains("Job manager: i-"), deployed.stdout)
        XCTAssertTrue(deployed.stdout.contains("(t3.small, about $15.18 a month at on-demand prices; ncaas uploaded"), deployed.stdout)
        let first = try XCTUnwrap(try managerInstances().first, "the stack's Auto Scaling group launched the manager")
        XCTAssertNotNil(first.tag("aws:autoscaling:groupName"))

        // An affiliate's submission runs with nobody's ncaas running here.
        try submitAsAnn("one", sleep: 0)
        try waitFor("the first job", timeout: 120) { certificate("one").contains("STEP 4/4") }
        XCTAssertTrue(certificate("one").contains("2 of 2 datasets succeeded"), certificate("one"))
        let size = try cli.ec2.client.s3.getObject(bucket: "manager-probe", key: "neurolab/results/job__manager-probe_one/process_results/size.txt")
        XCTAssertFalse(size.isEmpty)
        let jobs = try cli.ncaas("jobs", "status", "manager-probe", "one", "--output", "json")
        XCTAssertEqual(jobs.exitCode, 0, jobs.stderr)
        XCTAssertTrue(jobs.stdout.contains("\"SUCCESS\""), jobs.stdout)
        var status = try cli.ncaas("manager", "status", "manager-probe")
        XCTAssertEqual(status.exitCode, 0, status.stdout + status.stderr)
        XCTAssertTrue(status.stdout.contains("serving     yes"), status.stdout)
        XCTAssertTrue(status.stdout.contains("job__manager-probe_one SUCCESS"), status.stdout)
        XCTAssertTrue(status.stdout.contains(first.instanceId), status.stdout)

        // The manager dies mid-job: the group replaces it and the job ends once.
        try submitAsAnn("two", sleep: 4)
        try waitFor("the second job to run", timeout: 60) { certificate("two").contains("STEP 3/4") }
        _ = try cli.ec2.terminateInstances([first.instanceId])
        try waitFor("a replacement manager", timeout: 60) { try managerInstances().contains { $0.instanceId != first.instanceId } }
        try waitFor("the second job to end", timeout: 180) { certificate("two").contains("STEP 4/4") }
        XCTAssertEqual(certificate("two").components(separatedBy: "STEP 4/4").count - 1, 1, "ended once: \(certificate("two"))")
        XCTAssertTrue(certificate("two").contains("2 of 2 datasets succeeded"), certificate("two"))
        LocalCloudFixture.waitUntilSettled(endpoint: cli.moto.endpoint)
        XCTAssertEqual(try cli.liveInstances("manager-probe").filter { $0.tag("ncaas:role") == "job" }.count, 0, "no job instance is left")

        // A new build: the manager finishes its job, restarts on it, and deploy waits for that.
        try submitAsAnn("three", sleep: 3)
        try waitFor("the third job to run", timeout: 60) { certificate("three").contains("STEP 3/4") }
        let newer = cli.folder.appendingPathComponent("ncaas-newer").path
        try FileManager.default.copyItem(atPath: binary, toPath: newer)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: newer))
        handle.seekToEndOfFile()
        handle.write(Data("a different build\n".utf8))
        try handle.close()
        let redeployed = try deploy(newer)
        XCTAssertEqual(redeployed.exitCode, 0, redeployed.stderr + redeployed.stdout)
        XCTAssertTrue(certificate("three").contains("STEP 4/4"), "the running job finished before the restart: \(certificate("three"))")
        XCTAssertEqual(certificate("three").components(separatedBy: "STEP 4/4").count - 1, 1)
        status = try cli.ncaas("manager", "status", "manager-probe", "--output", "json")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let heartbeat = try XCTUnwrap(json["heartbeat"] as? [String: Any])
        let etag = try XCTUnwrap(try cli.ec2.client.s3.headObject(bucket: "manager-probe", key: "ncaas/ncaas").eTag)
        XCTAssertEqual(heartbeat["build"] as? String, etag, "the manager runs the new build")
        let logs = try cli.ncaas("manager", "logs", "manager-probe")
        XCTAssertTrue(logs.stdout.contains("restarting: a new ncaas build was deployed"), logs.stdout)

        // Teardown takes the manager with the stack.
        let teardown = try cli.ncaas("teardown", "manager-probe", "--yes")
        XCTAssertEqual(teardown.exitCode, 0, teardown.stderr)
        LocalCloudFixture.waitUntilSettled(endpoint: cli.moto.endpoint)
        XCTAssertEqual(try cli.liveInstances("manager-probe").count, 0, "no instance is left")
    }

    func testAManagerThatCannotStartFailsTheDeployAndStatusSaysWhy() throws {
        // Any Linux program but ncaas: it starts, and exits at once.
        let notNcaas = cli.folder.appendingPathComponent("not-ncaas").path
        try FileManager.default.copyItem(atPath: "/bin/false", toPath: notNcaas)
        let deployed = try deploy(notNcaas, timeout: 25)
        XCTAssertEqual(deployed.exitCode, 69, deployed.stdout + deployed.stderr)
        XCTAssertTrue(deployed.stderr.contains("The stack is deployed, but its job manager did not start serving within 25 s"), deployed.stderr)
        XCTAssertTrue(deployed.stderr.contains("ncaas-manager: ncaas jobs serve exited with status 1"), deployed.stderr)
        let status = try cli.ncaas("manager", "status", "manager-probe")
        XCTAssertEqual(status.exitCode, 69, status.stderr)
        XCTAssertTrue(status.stdout.contains("has not written a heartbeat yet"), status.stdout)
        XCTAssertTrue(status.stdout.contains("exited with status 1"), status.stdout)
    }

    func testAnNcaasThatCannotShipItselfIsRefusedBeforeAnyCall() throws {
        // The test's own ncaas is a debug build: the Swift runtime is in shared libraries.
        let refused = try cli.ncaas("deploy", "manager-probe")
        XCTAssertEqual(refused.exitCode, 75, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("loads the Swift runtime from shared libraries the manager's image does not have"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--manager-binary PATH"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--no-manager"), refused.stderr)
        XCTAssertNil(try cli.ec2.client.cloudFormation.describeStack("manager-probe"), "nothing was deployed")
        let wrongArch = try cli.ncaas("deploy", "manager-probe", "--manager-binary", try ManagerBinary.path(), "--dry-run")
        XCTAssertEqual(wrongArch.exitCode, 0, "a dry run ships nothing: \(wrongArch.stderr)")
    }
}
