import AWS
import DevAMI
import Foundation
import Jobs
import Support
import TestSupport
import XCTest

/// `ncaas test-job` as a user runs it, through the built binary on the local cloud (podman
/// instances; moto with signature and IAM checks on), with the spike-stats analysis built into an image: results land in S3 in
/// NeuroCAAS's layout, failures and time limits are FAILED statuses with their reasons, a dataset
/// name is data, and no instance outlives a test.
final class JobEndToEndTests: XCTestCase {
    nonisolated(unsafe) private static var shared: Result<JobsWorld, Error>?
    private var world: JobsWorld!

    override func setUpWithError() throws {
        if Self.shared == nil { Self.shared = Result { try JobsWorld() } }
        world = try Self.shared!.get()
    }

    override func tearDownWithError() throws {
        guard let world else { return }
        XCTAssertEqual(try world.cli.containerCount(), 0, "no instance container outlives the test")
        XCTAssertEqual(try world.cli.liveInstances("spike-stats").count + world.cli.liveInstances("job-probe").count
                       + world.cli.liveInstances("power-probe").count + world.cli.liveInstances("direct-probe").count, 0, "no live instance in EC2")
    }

    override class func tearDown() {
        if case .success(let world)? = shared { world.close() }
        shared = nil
    }

    private func layout(_ analysis: String, _ timestamp: String) -> JobLayout {
        JobLayout(bucket: analysis, analysis: analysis, group: "neurolab", timestamp: timestamp)
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func testTwoDatasetsSucceedWithResultsInS3AndNoInstanceLeft() throws {
        let datasets = ["neurolab/inputs/session1.csv", "neurolab/inputs/session2.csv"]
        let submit = try world.submit(datasets, config: "neurolab/configs/config.json", timestamp: "two-ok")
        let run = try world.cli.ncaas("test-job", "spike-stats", submit, "--group", "neurolab", "--output", "json")
        XCTAssertEqual(run.exitCode, 0, run.stderr + run.stdout)
        let report = try json(run.stdout)
        XCTAssertEqual(report["succeeded"] as? Bool, true)
        XCTAssertEqual(report["state"] as? String, "SUCCESS", "as `jobs status` says it")
        XCTAssertEqual(report["job"] as? String, "job__spike-stats_two-ok")
        let reported = try XCTUnwrap(report["datasets"] as? [[String: Any]])
        XCTAssertEqual(reported.map { $0["status"] as? String }, ["SUCCESS", "SUCCESS"])

        let layout = layout("spike-stats", "two-ok")
        // The submission was uploaded where NeuroCAAS keeps it.
        XCTAssertNotNil(try world.s3.objectInfo(bucket: "spike-stats", key: "neurolab/submissions/submit.json"))
        // Results: each dataset's summary, the config copy and end.txt.
        let summary = try json(try world.text("spike-stats", layout.processResultsPrefix + "session1.csv_summary.json"))
        let units = try XCTUnwrap(summary["units"] as? [String: [String: Any]])
        XCTAssertEqual(units["u1"]?["rate_hz"] as? Double, 2.0)
        XCTAssertEqual(units["u2"]?["spikes"] as? Int, 2)
        XCTAssertEqual(summary["result_dir"] as? String, "neurolab/results/job__spike-stats_two-ok", "the third {} is the result directory")
        XCTAssertNotNil(try world.s3.objectInfo(bucket: "spike-stats", key: layout.processResultsPrefix + "session2.csv_summary.json"))
        let figure = try world.s3.getObject(bucket: "spike-stats", key: layout.processResultsPrefix + "session1.csv_figure.png")
        XCTAssertEqual(Array(figure.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "each dataset's figure is a PNG")
        XCTAssertTrue(try world.text("spike-stats", layout.processResultsPrefix + "config.json").contains("\"duration_s\": 2.0"))
        XCTAssertNotNil(try world.s3.objectInfo(bucket: "spike-stats", key: layout.endKey))

        // Status files: NeuroCAAS's fields, filled in.
        var instanceIds: [String] = []
        for dataset in datasets {
            let status = try world.status("spike-stats", layout, dataset: dataset)
            XCTAssertEqual(status.status, .success)
            XCTAssertEqual(status.input, dataset)
            XCTAssertTrue(status.stdout.contains("analysing s3://spike-stats/\(dataset) with neurolab/configs/config.json"), status.stdout)
            XCTAssertEqual(status.command, "NCAAS_BUCKET='spike-stats' NCAAS_DATASET_KEY='\(dataset)' NCAAS_RESULT_DIR='\(layout.resultPrefix)' "
                           + #"NCAAS_CONFIG_KEY='neurolab/configs/config.json' sh -c 'python3 spike_stats.py "${NCAAS_BUCKET}" "${NCAAS_DATASET_KEY}" "${NCAAS_RESULT_DIR}" "${NCAAS_CONFIG_KEY}"'"#)
            XCTAssertTrue(status.instance.hasPrefix("i-"), status.instance)
            // What MAXCOST counts: the instance from launch to terminate, around COMMAND's run.
            let times = [status.instanceLaunch, status.jobStart, status.jobFinish, status.instanceTerminate].map { $0.flatMap(InstanceTags.parse) }
            XCTAssertFalse(times.contains(nil), "\(times)")
            XCTAssertEqual(times.compactMap { $0 }, times.compactMap { $0 }.sorted(), "launch ≤ start ≤ finish ≤ terminate")
            XCTAssertEqual(status.billedSeconds, max(60, times[3]!.timeIntervalSince(times[0]!)), "launch to terminate, a minute at the least")
            XCTAssertTrue(status.cpuUsage?.hasSuffix(" s") == true && status.cpuUsage != "0.00 s", status.cpuUsage ?? "no cpu_usage")
            XCTAssertTrue(status.memoryUsage?.hasSuffix(" MB") == true, status.memoryUsage ?? "no memory_usage")
            XCTAssertEqual(status.exitCode, 0)
            instanceIds.append(status.instance)
        }
        XCTAssertEqual(Set(instanceIds).count, 2, "one instance per dataset")
        // What the job cost, for later budget checks: its datasets' instance-hours at t3.micro's price.
        let statuses = try datasets.map { try world.status("spike-stats", layout, dataset: $0) }
        let spend = try XCTUnwrap(JobSpend.parse(try world.s3.getObject(bucket: "spike-stats", key: layout.spendKey)))
        XCTAssertEqual(spend.instanceSeconds, statuses.compactMap(\.billedSeconds).reduce(0, +), accuracy: 0.001)
        XCTAssertGreaterThanOrEqual(spend.instanceSeconds, 120, "two instances, a minute each at the least")
        XCTAssertEqual(spend.dollars, JobCost.cost("t3.micro", seconds: spend.instanceSeconds), accuracy: 1e-9)

        // The certificate: STEP lines and one DATANAME line per dataset.
        let certificate = try world.text("spike-stats", layout.certificateKey)
        for step in 1...4 { XCTAssertTrue(certificate.contains("STEP \(step)/4"), certificate) }
        for dataset in datasets {
            XCTAssertEqual(certificate.components(separatedBy: "DATANAME: \(dataset) | STATUS: SUCCESS").count, 2, certificate)
        }
        XCTAssertTrue(certificate.contains("2 of 2 datasets succeeded"), certificate)

        // The instances: tagged with the job and their dataset, terminated (shutting-down when the
        // job ends, as on EC2, then gone).
        let instances = try world.cli.ec2.waitForInstances(instanceIds, toBe: .terminated, policy: WaiterPolicy(timeout: 60))
        XCTAssertEqual(Set(instances.map { $0.tag("ncaas:dataset") ?? "" }), Set(datasets))
        XCTAssertEqual(instances.compactMap(\.clientToken).count, 2)
        XCTAssertEqual(Set(instances.compactMap(\.clientToken)).count, 1, "one RunInstances call (one client token) for both")
        for instance in instances {
            XCTAssertEqual(instance.tag("ncaas:role"), "job")
            XCTAssertEqual(instance.tag("ncaas:group"), "neurolab")
            XCTAssertEqual(instance.tag("ncaas:job"), "job__spike-stats_two-ok")
            XCTAssertNotNil(instance.expiry)
            XCTAssertEqual(instance.stateName, .terminated)
        }

        // data get brings the results home; a second run of the same job is refused.
        let destination = world.cli.folder.appendingPathComponent("fetched").path
        let get = try world.cli.ncaas("data", "get", "spike-stats", "neurolab", "job__spike-stats_two-ok", destination)
        XCTAssertEqual(get.exitCode, 0, get.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: destination + "/process_results/session2.csv_summary.json"), get.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: destination + "/logs/certificate.txt"), get.stdout)
        let again = try world.cli.ncaas("test-job", "spike-stats", submit)
        XCTAssertEqual(again.exitCode, 75, again.stderr)
        XCTAssertTrue(again.stderr.contains("already ran"), again.stderr)
    }

    func testAFailingAnalysisIsFailedWithItsExitCodeAndStderrTail() throws {
        try world.put("spike-stats", "neurolab/inputs/broken.csv", "unit,time_s\nu1,0.1\nu1,later\n")
        let submit = try world.submit(["neurolab/inputs/broken.csv", "neurolab/inputs/session1.csv"], config: "neurolab/configs/config.json", timestamp: "one-fails")
        let run = try world.cli.ncaas("test-job", "spike-stats", submit)
        XCTAssertEqual(run.exitCode, 1, run.stderr + run.stdout)
        XCTAssertTrue(run.stdout.contains("FAILED      neurolab/inputs/broken.csv: COMMAND exited with status 2; see stderr. (its output: `ncaas jobs logs spike-stats one-fails --dataset neurolab/inputs/broken.csv --group neurolab`)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("SUCCESS     neurolab/inputs/session1.csv"), run.stdout)
        let layout = layout("spike-stats", "one-fails")
        let status = try world.status("spike-stats", layout, dataset: "neurolab/inputs/broken.csv")
        XCTAssertEqual(status.status, .failed)
        XCTAssertEqual(status.exitCode, 2)
        XCTAssertTrue(status.stderr.contains("spike_stats: line 3: 'later' is not a spike time in seconds"), status.stderr)
        XCTAssertEqual(status.reason.last, "COMMAND exited with status 2; see stderr.")
        let certificate = try world.text("spike-stats", layout.certificateKey)
        XCTAssertTrue(certificate.contains("DATANAME: neurolab/inputs/broken.csv | STATUS: FAILED"), certificate)
        XCTAssertTrue(certificate.contains("1 of 2 datasets succeeded"), certificate)
    }

    func testTestJobRunsTheBlueprintHereAndNamesWhatItChangedSinceTheDeploy() throws {
        let path = world.cli.blueprintPath("job-probe")
        let original = try String(contentsOfFile: path, encoding: .utf8)
        defer { try? original.write(toFile: path, atomically: true, encoding: .utf8) }
        try original.replacingOccurrences(of: #""SSM_TIMEOUT": 300"#, with: #""SSM_TIMEOUT": 420"#)
            .write(toFile: path, atomically: true, encoding: .utf8)
        try world.put("job-probe", "neurolab/inputs/x.txt", "x\n")
        try world.put("job-probe", "neurolab/configs/c.json", "{}")
        let submit = try world.submit(["neurolab/inputs/x.txt"], config: "neurolab/configs/c.json", timestamp: "undeployed")
        let run = try world.cli.ncaas("test-job", "job-probe", submit)
        XCTAssertEqual(run.exitCode, 0, run.stderr + run.stdout)
        XCTAssertTrue(run.stderr.contains("ncaas: note: the blueprint here changes Lambda.LambdaConfig.SSM_TIMEOUT since job-probe was deployed; this job runs the blueprint here, but `ncaas jobs serve` runs what is deployed"), run.stderr)
        XCTAssertTrue(try world.text("job-probe", layout("job-probe", "undeployed").certificateKey).contains("time limit 7 min per dataset (SSM_TIMEOUT)"),
                      "the working copy's SSM_TIMEOUT, in seconds as NeuroCAAS reads it")
    }

    func testAHangingAnalysisIsStoppedAtItsTimeLimit() throws {
        try world.put("spike-stats", "neurolab/configs/slow.json", #"{"sleep_s": 600, "__duration__": 0.1}"#)
        let submit = try world.submit(["neurolab/inputs/session1.csv"], config: "neurolab/configs/slow.json", timestamp: "hangs")
        let started = Date()
        let run = try world.cli.ncaas("test-job", "spike-stats", submit, "--output", "json")
        XCTAssertEqual(run.exitCode, 1, run.stderr + run.stdout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "stopped at 6 s, not after 600")
        let status = try world.status("spike-stats", layout("spike-stats", "hangs"), dataset: "neurolab/inputs/session1.csv")
        XCTAssertEqual(status.status, .failed)
        XCTAssertEqual(status.reason.last, "COMMAND was stopped at its time limit of 6 s (exit code 124).")
        XCTAssertTrue(status.stdout.contains("analysing"), "the output before the limit is kept: \(status.stdout)")
    }

    /// The probe's COMMAND has its `{}` inside larger quoted words (`"data={}"`, `'out={}'`), where a
    /// shell-quoted value used to close the quotes and run the rest.
    func testADatasetNamedLikeACommandRunsAsData() throws {
        let dataset = #"neurolab/inputs/a"; touch /tmp/pwned; "'; touch /tmp/pwned; '"#
        try world.put("job-probe", dataset, "data\n")
        try world.put("job-probe", "neurolab/configs/c.json", "{}")
        let submit = try world.submit([dataset], config: "neurolab/configs/c.json", timestamp: "metachar")
        let run = try world.cli.ncaas("test-job", "job-probe", submit)
        XCTAssertEqual(run.exitCode, 0, run.stderr + run.stdout)
        let layout = layout("job-probe", "metachar")
        let status = try world.status("job-probe", layout, dataset: dataset)
        XCTAssertEqual(status.status, .success, status.reason.joined())
        XCTAssertEqual(status.stdout, "clean\n", "no /tmp/pwned on the instance")
        XCTAssertEqual(try world.text("job-probe", layout.processResultsPrefix + "args.txt"),
                       "job-probe\ndata=\(dataset)\nout=neurolab/results/job__job-probe_metachar\ncfg=neurolab/configs/c.json\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/pwned"), "nor here")
        // The blueprint's local hooks ran here, with the job in their environment.
        XCTAssertEqual(world.hookLines("job__job-probe_metachar"), ["start job__job-probe_metachar \(dataset)", "success job__job-probe_metachar 1/0"])
    }

    func testOutputStreamsIntoTheStatusFileAndCtrlCTerminatesTheJob() throws {
        try world.put("spike-stats", "neurolab/configs/long.json", #"{"sleep_s": 600, "__duration__": 5}"#)
        let submit = try world.submit(["neurolab/inputs/session1.csv", "neurolab/inputs/session2.csv"], config: "neurolab/configs/long.json", timestamp: "interrupted")
        let environment = ProcessInfo.processInfo.environment.merging(world.cli.environment) { _, new in new }
        let out = world.cli.folder.appendingPathComponent("interrupted.out").path
        let pid = try ChildProcess.start(LocalCloudCLIFixture.binary, ["test-job", "spike-stats", submit], stdoutPath: out, stderrPath: nil,
                                         environment: environment, inFolder: world.cli.path)
        // While COMMAND sleeps, what it printed is already in S3.
        let layout = layout("spike-stats", "interrupted")
        var streamed: DatasetStatus?
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let status = try? world.status("spike-stats", layout, dataset: "neurolab/inputs/session2.csv"),
               status.status == .inProgress, status.stdout.contains("analysing"), status.memoryUsage != nil {
                streamed = status
                break
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTAssertNotNil(streamed, "the stdout tail and COMMAND's usage reached the status file while the dataset ran")
        XCTAssertTrue(streamed?.memoryUsage?.hasSuffix(" MB") == true, streamed?.memoryUsage ?? "no memory_usage")
        XCTAssertTrue(streamed?.cpuUsage?.hasSuffix(" s") == true, streamed?.cpuUsage ?? "no cpu_usage")
        XCTAssertGreaterThan(Double(streamed?.memoryUsage?.split(separator: " ").first ?? "") ?? 0, 1, "python3's resident memory, in MB")
        XCTAssertEqual(try world.cli.liveInstances("spike-stats").count, 2)
        kill(pid, SIGINT)
        let exit = ChildProcess.wait(pid, timeout: 60)
        let printed = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        XCTAssertEqual(exit, 130, printed)
        XCTAssertTrue(printed.contains("interrupted: cleaning up"), printed)
        XCTAssertEqual(try world.cli.liveInstances("spike-stats").count, 0, "both instances were terminated")
        for dataset in ["neurolab/inputs/session1.csv", "neurolab/inputs/session2.csv"] {
            let status = try world.status("spike-stats", layout, dataset: dataset)
            XCTAssertEqual(status.status, .failed)
            XCTAssertEqual(status.reason.last, "The job was interrupted; its instances were terminated.")
        }
        XCTAssertTrue(try world.text("spike-stats", layout.certificateKey).contains("STEP 4/4 (Job Finished): interrupted"))
    }

    func testOverBudgetOrOverCapacityEndsFailedWithTheReasonAndLaunchesNothing() throws {
        // 2 × p3.2xlarge ($3.06/h) for 600 minutes could cost $61.20, over spike-stats's MAXCOST $10.
        try world.put("spike-stats", "neurolab/configs/ten-hours.json", #"{"__duration__": 600}"#)
        let submit = try world.submit(["neurolab/inputs/session1.csv", "neurolab/inputs/session2.csv"], config: "neurolab/configs/ten-hours.json", timestamp: "costly")
        var object = try json(try String(contentsOfFile: submit, encoding: .utf8))
        object["instance_type"] = "p3.2xlarge"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: submit))
        let costly = try world.cli.ncaas("test-job", "spike-stats", submit)
        XCTAssertEqual(costly.exitCode, 1, costly.stderr + costly.stdout)
        let layout = layout("spike-stats", "costly")
        let status = try world.status("spike-stats", layout, dataset: "neurolab/inputs/session1.csv")
        XCTAssertEqual(status.status, .failed)
        let reason = try XCTUnwrap(status.reason.last)
        XCTAssertTrue(reason.hasPrefix("Over budget: the group neurolab has spent $"), reason)
        XCTAssertTrue(reason.contains("this job could cost up to $61.20 (2 × p3.2xlarge at $3.06/h for 600 min), more than MAXCOST $10.00."), reason)
        XCTAssertTrue(try world.text("spike-stats", layout.certificateKey).contains("REASON: Over budget"))
        XCTAssertTrue(try world.jobInstances("spike-stats").filter { $0.tag("ncaas:job") == "job__spike-stats_costly" }.isEmpty, "nothing launched")

        // Past spend counts: an ended job that cost $9.99 leaves too little for 2 × t3.micro for 600 minutes ($0.21).
        let planted = JobLayout(bucket: "spike-stats", analysis: "spike-stats", group: "neurolab", timestamp: "planted-spend")
        try world.s3.putObject(bucket: "spike-stats", key: planted.spendKey, data: JobSpend(dollars: 9.99, instanceSeconds: 3_458_077).json)
        defer { try? world.s3.deleteObject(bucket: "spike-stats", key: planted.spendKey) }
        let long = try world.submit(["neurolab/inputs/session1.csv", "neurolab/inputs/session2.csv"], config: "neurolab/configs/ten-hours.json", timestamp: "after-spend")
        let spent = try world.cli.ncaas("test-job", "spike-stats", long)
        XCTAssertEqual(spent.exitCode, 1, spent.stderr + spent.stdout)
        let spentReason = try XCTUnwrap(try world.status("spike-stats", JobLayout(bucket: "spike-stats", analysis: "spike-stats", group: "neurolab", timestamp: "after-spend"), dataset: "neurolab/inputs/session1.csv").reason.last)
        XCTAssertTrue(spentReason.hasPrefix("Over budget: the group neurolab has spent $9.99 and this job could cost up to $0.21"), spentReason)

        // job-probe allows one job instance at a time (DEPLOY_LIMIT 1): two datasets are one too many.
        try world.put("job-probe", "neurolab/inputs/x.txt", "x\n")
        try world.put("job-probe", "neurolab/inputs/y.txt", "y\n")
        try world.put("job-probe", "neurolab/configs/c.json", "{}")
        let wide = try world.submit(["neurolab/inputs/x.txt", "neurolab/inputs/y.txt"], config: "neurolab/configs/c.json", timestamp: "wide")
        let crowded = try world.cli.ncaas("test-job", "job-probe", wide, "--output", "json")
        XCTAssertEqual(crowded.exitCode, 1, crowded.stderr)
        let datasets = try XCTUnwrap(try json(crowded.stdout)["datasets"] as? [[String: Any]])
        XCTAssertEqual(datasets.map { $0["status"] as? String }, ["FAILED", "FAILED"])
        XCTAssertEqual((datasets[0]["reason"] as? [String])?.last,
                       "Over capacity: job-probe has 0 job instances running and this job needs 2, but DEPLOY_LIMIT is 1; wait for running jobs to end or raise DEPLOY_LIMIT.")
        XCTAssertTrue(try world.jobInstances("job-probe").filter { $0.tag("ncaas:job") == "job__job-probe_wide" }.isEmpty, "nothing launched")
        XCTAssertEqual(world.hookLines("job__job-probe_wide"), ["start job__job-probe_wide neurolab/inputs/x.txt", "failure job__job-probe_wide 0/2"])
        XCTAssertTrue(try world.text("job-probe", "neurolab/results/job__job-probe_wide/logs/certificate.txt").contains("NOTE: hook on_failure exited with status 3: paged."),
                      "a failing hook is a note, not the job's failure")
    }

    /// A blueprint with `ncaas.jobs.staging: direct`: COMMAND reads its dataset and config from S3 and
    /// writes a result there itself, with the job instance profile role's credentials from the
    /// instance metadata service (curl signing, as an SDK would), exactly as on AWS; the endpoint's
    /// IAM checks hold them to the role's policy, so a write outside `results/` is denied.
    static let directBlueprint = """
        {
            "PipelineName": "direct-probe",
            "REGION": "us-east-1",
            "Lambda": {
                "LambdaConfig": {
                    "AMI": "debian12",
                    "INSTANCE_TYPE": "t3.micro",
                    "WORKING_DIRECTORY": "~",
                    "COMMAND": "sh -c 'set -e; m=$(printf %slatest $AWS_EC2_METADATA_SERVICE_ENDPOINT); t=$(curl -sS -X PUT $m/api/token -H x-aws-ec2-metadata-token-ttl-seconds:60); r=$(curl -sS -H x-aws-ec2-metadata-token:$t $m/meta-data/iam/security-credentials/); c=$(curl -sS -f -H x-aws-ec2-metadata-token:$t $m/meta-data/iam/security-credentials/$r); K=$(echo \\"$c\\" | jq -r .AccessKeyId); S=$(echo \\"$c\\" | jq -r .SecretAccessKey); T=$(echo \\"$c\\" | jq -r .Token); s3() ( curl -sS --aws-sigv4 aws:amz:$AWS_REGION:s3 --user $K:$S -H x-amz-security-token:$T -H x-amz-content-sha256:UNSIGNED-PAYLOAD \\"$@\\" ); test -z \\"$NCAAS_INPUT\\" && echo staged=nothing; s3 -f -o data.csv $AWS_ENDPOINT_URL/$1/$2; s3 -f -o config.json $AWS_ENDPOINT_URL/$1/$4; wc -l < data.csv > lines.txt; s3 -f -T lines.txt $AWS_ENDPOINT_URL/$1/$3/process_results/lines.txt; s3 -o /dev/null -D planted.txt -T lines.txt $AWS_ENDPOINT_URL/$1/neurolab/inputs/planted.txt; echo denied=$(grep ^HTTP planted.txt | tail -n 1 | cut -d \\" \\" -f 2); cp config.json $NCAAS_OUTPUT/seen-config.json' direct {} {} {} {}",
                    "EXECUTION_TIMEOUT": 180,
                    "SSM_TIMEOUT": 300,
                    "DEPLOY_LIMIT": 2
                }
            },
            "UXData": {"Affiliates": [{"AffiliateName": "neurolab", "UserNames": [], "UserInput": true, "ContactEmail": ""}]},
            "ncaas": {"jobs": {"staging": "direct"}}
        }

        """

    func testDirectStagingLetsCommandReadAndWriteS3ItselfWithTheInstanceProfilesRightsOnly() throws {
        let folder = world.cli.folder.appendingPathComponent("blueprints/direct-probe")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.directBlueprint.write(to: folder.appendingPathComponent("stack_config_template.json"), atomically: true, encoding: .utf8)
        try world.cli.git("add", "blueprints/direct-probe")
        try world.cli.git("commit", "-q", "-m", "direct-probe")
        let deploy = try world.cli.ncaas("deploy", "direct-probe", "--no-manager")
        XCTAssertEqual(deploy.exitCode, 0, deploy.stderr)
        let lines = (1...7).map { "\($0),0.5" }.joined(separator: "\n") + "\n"
        try world.put("direct-probe", "neurolab/inputs/direct.csv", lines)
        try world.put("direct-probe", "neurolab/configs/direct.json", #"{"threshold": 3}"#)

        let submit = try world.submit(["neurolab/inputs/direct.csv"], config: "neurolab/configs/direct.json", timestamp: "direct")
        let run = try world.cli.ncaas("test-job", "direct-probe", submit)
        let status = try world.status("direct-probe", layout("direct-probe", "direct"), dataset: "neurolab/inputs/direct.csv")
        XCTAssertEqual(run.exitCode, 0, run.stderr + run.stdout + status.stderr)
        XCTAssertEqual(status.status, .success, status.reason.joined() + status.stderr)
        let results = layout("direct-probe", "direct").processResultsPrefix
        XCTAssertEqual(try world.text("direct-probe", results + "lines.txt").trimmingCharacters(in: .whitespacesAndNewlines), "7",
                       "COMMAND read the dataset and wrote its result to S3 itself")
        XCTAssertEqual(try world.text("direct-probe", results + "seen-config.json"), #"{"threshold": 3}"#, "and read the config; ncaas collected $NCAAS_OUTPUT")
        XCTAssertTrue(status.stdout.contains("staged=nothing"), "ncaas staged nothing: \(status.stdout)")
        XCTAssertTrue(status.stdout.contains("denied=403"), "a write outside results/ is denied: \(status.stdout) / \(status.stderr)")
        XCTAssertNil(try world.s3.objectInfo(bucket: "direct-probe", key: "neurolab/inputs/planted.txt"))
        let certificate = try world.text("direct-probe", layout("direct-probe", "direct").certificateKey)
        XCTAssertTrue(certificate.contains("with the instance profile direct-probe-JobInstanceProfile-"), certificate)
        XCTAssertEqual(try world.cli.liveInstances("direct-probe").count, 0)
    }

    /// A blueprint as NeuroCAAS authors write them: COMMAND ends by shutting the instance down.
    static let powerBlueprint = """
        {
            "PipelineName": "power-probe",
            "REGION": "us-east-1",
            "Lambda": {
                "LambdaConfig": {
                    "AMI": "debian12",
                    "INSTANCE_TYPE": "t3.micro",
                    "WORKING_DIRECTORY": "~",
                    "COMMAND": "echo ran as $(id -un) with HOME=$HOME {} {} {} {}; sudo shutdown -h now; poweroff; echo after the shutdowns; exit 5",
                    "EXECUTION_TIMEOUT": 180,
                    "SSM_TIMEOUT": 120,
                    "DEPLOY_LIMIT": 2
                }
            },
            "UXData": {"Affiliates": [{"AffiliateName": "neurolab", "UserNames": [], "UserInput": true, "ContactEmail": ""}]}
        }

        """

    /// Runs one dataset of power-probe with `blueprint` as the working copy; returns its status.
    private func runPowerProbe(_ blueprint: String, timestamp: String) throws -> (run: ProcessResult, status: DatasetStatus) {
        try blueprint.write(toFile: world.cli.blueprintPath("power-probe"), atomically: true, encoding: .utf8)
        let submit = try world.submit(["neurolab/inputs/p.txt"], config: "neurolab/configs/c.json", timestamp: timestamp)
        let run = try world.cli.ncaas("test-job", "power-probe", submit)
        return (run, try world.status("power-probe", layout("power-probe", timestamp), dataset: "neurolab/inputs/p.txt"))
    }

    /// NeuroCAAS's contract on a job instance: COMMAND runs as root with root's home (ncaas.jobs.user
    /// to choose); a shutdown it asks for is recorded, not carried out, and its exit status decides;
    /// a shutdown that still happens (by absolute path) is said in a sentence, not "transport read";
    /// EXECUTION_TIMEOUT is the launcher's own limit, in seconds.
    func testAShutdownAtTheEndOfCommandIsRecordedAndCommandRunsAsRoot() throws {
        let folder = world.cli.folder.appendingPathComponent("blueprints/power-probe")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.powerBlueprint.write(to: folder.appendingPathComponent("stack_config_template.json"), atomically: true, encoding: .utf8)
        try world.cli.git("add", "blueprints/power-probe")
        try world.cli.git("commit", "-q", "-m", "power-probe")
        XCTAssertEqual(try world.cli.ncaas("deploy", "power-probe", "--no-manager").exitCode, 0)
        try world.put("power-probe", "neurolab/inputs/p.txt", "p\n")
        try world.put("power-probe", "neurolab/configs/c.json", "{}")

        // Root by default; the shutdowns recorded; COMMAND went on, and its exit status (5) decides.
        let (run, status) = try runPowerProbe(Self.powerBlueprint, timestamp: "as-root")
        XCTAssertEqual(run.exitCode, 1, run.stderr + run.stdout)
        XCTAssertEqual(status.status, .failed)
        XCTAssertEqual(status.exitCode, 5)
        XCTAssertTrue(status.stdout.hasPrefix("ran as root with HOME=/root power-probe neurolab/inputs/p.txt"), status.stdout)
        XCTAssertTrue(status.stdout.contains("after the shutdowns"), status.stdout)
        XCTAssertEqual(status.reason.last, "COMMAND exited with status 5; see stderr. COMMAND's `shutdown -h now`, `poweroff` were recorded, not carried out: ncaas terminated the instance itself.")
        XCTAssertTrue(run.stdout.contains("FAILED      neurolab/inputs/p.txt: COMMAND exited with status 5; see stderr."), run.stdout)
        XCTAssertTrue(run.stdout.contains("(its output: `ncaas jobs logs power-probe as-root --dataset neurolab/inputs/p.txt --group neurolab`)"), "the FAILED line names jobs logs: \(run.stdout)")
        let instance = try XCTUnwrap(try world.cli.ec2.describeInstances(instanceIds: [status.instance]).first)
        XCTAssertFalse(instance.stateReason?.contains("InstanceInitiatedShutdown") ?? false, "ncaas ended it, not the instance: \(instance.stateReason ?? "")")
        let certificate = try world.text("power-probe", layout("power-probe", "as-root").certificateKey)
        XCTAssertTrue(certificate.contains("STEP 3/4 (Analysis Running): COMMAND runs as root (HOME /root; ncaas.jobs.user chooses) in ~, time limit 2 min per dataset (SSM_TIMEOUT); a shutdown COMMAND asks for is recorded, not carried out: ncaas terminates the instances itself."), certificate)
        XCTAssertTrue(certificate.contains("REASON: COMMAND exited with status 5; see stderr. COMMAND's `shutdown -h now`, `poweroff` were recorded, not carried out: ncaas terminated the instance itself."), certificate)

        // ncaas.jobs.user: the login user (admin on debian12), with its own home.
        let asAdmin = Self.powerBlueprint.replacingOccurrences(of: #""UXData""#, with: #""ncaas": {"jobs": {"user": "admin"}}, "UXData""#)
            .replacingOccurrences(of: "; exit 5", with: "")
        let (adminRun, adminStatus) = try runPowerProbe(asAdmin, timestamp: "as-admin")
        XCTAssertEqual(adminRun.exitCode, 0, adminRun.stderr + adminRun.stdout)
        XCTAssertTrue(adminStatus.stdout.hasPrefix("ran as admin with HOME=/home/admin"), adminStatus.stdout)
        XCTAssertTrue(try world.text("power-probe", layout("power-probe", "as-admin").certificateKey).contains("COMMAND runs as admin (HOME ~admin; ncaas.jobs.user chooses)"))

        // A user the image does not have: one sentence, before COMMAND.
        let nobody = Self.powerBlueprint.replacingOccurrences(of: #""UXData""#, with: #""ncaas": {"jobs": {"user": "nobody-here"}}, "UXData""#)
        let (_, nobodyStatus) = try runPowerProbe(nobody, timestamp: "no-user")
        XCTAssertEqual(nobodyStatus.reason.last, "ncaas.jobs.user nobody-here does not exist on the instance: create it in the image (setup.sh) or run COMMAND as root (remove ncaas.jobs.user).")

        // A shutdown that still happens (the system's own, by absolute path): a sentence, not "transport read".
        let real = Self.powerBlueprint.replacingOccurrences(of: "sudo shutdown -h now; poweroff; echo after the shutdowns; exit 5", with: "/usr/local/sbin/poweroff; sleep 60")
        let (realRun, realStatus) = try runPowerProbe(real, timestamp: "real-poweroff")
        XCTAssertEqual(realRun.exitCode, 1)
        XCTAssertEqual(realStatus.status, .failed)
        let sentence = try XCTUnwrap(realStatus.reason.last)
        XCTAssertTrue(sentence.hasPrefix("The instance \(realStatus.instance) shut itself down while COMMAND ran (EC2: Client.InstanceInitiatedShutdown: Instance initiated shutdown), so COMMAND did not finish"), sentence)
        XCTAssertFalse(sentence.contains("transport"), sentence)

        // EXECUTION_TIMEOUT is the launcher's limit in seconds: a millisecond is too short to start COMMAND.
        let hasty = Self.powerBlueprint.replacingOccurrences(of: #""EXECUTION_TIMEOUT": 180"#, with: #""EXECUTION_TIMEOUT": 0.001"#)
        let (hastyRun, hastyStatus) = try runPowerProbe(hasty, timestamp: "launcher-limit")
        XCTAssertEqual(hastyRun.exitCode, 1)
        XCTAssertTrue(hastyStatus.reason.last?.hasPrefix("The launcher's own limit, EXECUTION_TIMEOUT (0.001 s), passed before COMMAND could start") == true, hastyStatus.reason.joined())
        XCTAssertNil(hastyStatus.jobStart, "COMMAND never started")
        XCTAssertEqual(try world.cli.liveInstances("power-probe").count, 0)
    }

    func testDevAndInstanceIdRunEveryDatasetOnARunningInstanceAndLeaveItRunning() throws {
        let launch = try world.cli.ncaas("dev", "launch", "job-probe", "--timeout", "30m")
        XCTAssertEqual(launch.exitCode, 0, launch.stderr)
        let devId = try XCTUnwrap(launch.stdout.split(separator: " ").first { $0.hasPrefix("i-") }.map(String.init), launch.stdout)
        defer { _ = try? world.cli.ncaas("dev", "terminate", "job-probe", "--force") }
        try world.put("job-probe", "neurolab/inputs/x.txt", "x\n")
        try world.put("job-probe", "neurolab/inputs/y.txt", "y\n")
        try world.put("job-probe", "neurolab/configs/c.json", "{}")

        // Two datasets on the dev instance: DEPLOY_LIMIT 1 does not apply, nothing is launched.
        let onDev = try world.submit(["neurolab/inputs/x.txt", "neurolab/inputs/y.txt"], config: "neurolab/configs/c.json", timestamp: "on-dev")
        let run = try world.cli.ncaas("test-job", "job-probe", onDev, "--dev")
        XCTAssertEqual(run.exitCode, 0, run.stderr + run.stdout)
        for dataset in ["neurolab/inputs/x.txt", "neurolab/inputs/y.txt"] {
            let status = try world.status("job-probe", layout("job-probe", "on-dev"), dataset: dataset)
            XCTAssertEqual(status.status, .success, status.reason.joined())
            XCTAssertEqual(status.instance, devId)
        }
        XCTAssertTrue(try world.text("job-probe", layout("job-probe", "on-dev").certificateKey).contains("the instance \(devId) was left running"))
        XCTAssertEqual(try world.cli.ec2.describeInstances(instanceIds: [devId]).first?.stateName, .running, "left running")
        XCTAssertTrue(try world.jobInstances("job-probe").filter { $0.tag("ncaas:job") == "job__job-probe_on-dev" }.isEmpty, "nothing launched")

        // The same by id; a second run on the same instance starts from clean folders.
        let byId = try world.submit(["neurolab/inputs/x.txt"], config: "neurolab/configs/c.json", timestamp: "by-id")
        let again = try world.cli.ncaas("test-job", "job-probe", byId, "--instance-id", devId, "--output", "json")
        XCTAssertEqual(again.exitCode, 0, again.stderr + again.stdout)
        XCTAssertEqual(try world.text("job-probe", layout("job-probe", "by-id").processResultsPrefix + "args.txt"),
                       "job-probe\ndata=neurolab/inputs/x.txt\nout=neurolab/results/job__job-probe_by-id\ncfg=neurolab/configs/c.json\n")

        // Another analysis's instance is refused before anything runs.
        let foreign = try world.submit(["neurolab/inputs/session1.csv"], config: "neurolab/configs/config.json", timestamp: "foreign")
        let refused = try world.cli.ncaas("test-job", "spike-stats", foreign, "--instance-id", devId)
        XCTAssertEqual(refused.exitCode, 75, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("The instance \(devId) is not one of spike-stats's (its ncaas:analysis tag is 'job-probe')"), refused.stderr)
        XCTAssertNil(try world.s3.objectInfo(bucket: "spike-stats", key: layout("spike-stats", "foreign").certificateKey))
        XCTAssertEqual(try world.cli.ncaas("dev", "terminate", "job-probe", "--force").exitCode, 0)
    }
}
