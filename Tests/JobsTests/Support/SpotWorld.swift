import AWS
import Foundation
import Jobs
import Support
import TestSupport
import XCTest

/// The world of the spot tests: a local cloud and one deployed analysis, `spot-probe`, whose COMMAND
/// sleeps for its config's `sleep` seconds and copies its dataset to `$NCAAS_OUTPUT` (on a spot
/// instance it also writes `big` bytes there, for a result collection that takes a while), with two
/// datasets and configs uploaded. Jobs run through the built `ncaas` as a user holding the documented
/// policy; a test interrupts instances through the emulator, as EC2 would.
final class SpotWorld: @unchecked Sendable {
    let cli: LocalCloudCLIFixture
    let s3: S3Client

    static let blueprint = """
        {
            "PipelineName": "spot-probe",
            "REGION": "us-east-1",
            "Lambda": {
                "LambdaConfig": {
                    "AMI": "debian12",
                    "INSTANCE_TYPE": "t3.micro",
                    "WORKING_DIRECTORY": "~",
                    "COMMAND": "echo {} {} {} {} >/dev/null; c=\\"$(cat \\"$NCAAS_CONFIG\\")\\"; sleep \\"$(echo \\"$c\\" | jq -r .sleep)\\"; cp \\"$NCAAS_INPUT\\" \\"$NCAAS_OUTPUT/copy.txt\\"; m=$AWS_EC2_METADATA_SERVICE_ENDPOINT; t=$(curl -s -X PUT \\"$m\\"latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60'); if test \\"$(curl -s -H \\"X-aws-ec2-metadata-token: $t\\" \\"$m\\"latest/meta-data/instance-life-cycle)\\" = spot; then head -c \\"$(echo \\"$c\\" | jq -r '.big // 0')\\" /dev/zero > \\"$NCAAS_OUTPUT/big\\"; fi; echo finished",
                    "EXECUTION_TIMEOUT": 300,
                    "SSM_TIMEOUT": 300,
                    "DEPLOY_LIMIT": 10
                }
            },
            "UXData": {"Affiliates": [{"AffiliateName": "neurolab", "UserNames": [], "UserInput": true, "ContactEmail": ""}]}
        }

        """

    init() throws {
        cli = try LocalCloudCLIFixture()
        s3 = cli.ec2.client.s3
        try cli.makeRepository(commit: true)
        let folder = cli.folder.appendingPathComponent("blueprints/spot-probe")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.blueprint.write(to: folder.appendingPathComponent("stack_config_template.json"), atomically: true, encoding: .utf8)
        try cli.git("add", "-A")
        try cli.git("commit", "-q", "-m", "spot-probe")
        let deploy = try cli.ncaas("deploy", "spot-probe", "--no-manager")
        guard deploy.exitCode == 0 else { throw TestSupportError("ncaas deploy spot-probe failed: \(deploy.stderr)") }
        for (key, text) in [("neurolab/inputs/a.txt", "alpha\n"), ("neurolab/inputs/b.txt", "beta\n"),
                            ("neurolab/configs/quick.json", #"{"sleep": 0}"#), ("neurolab/configs/slow.json", #"{"sleep": 8}"#)] {
            try s3.putObject(bucket: "spot-probe", key: key, data: Data(text.utf8))
        }
    }

    /// Writes a submit file into the project folder; returns its path.
    func submit(_ datanames: [String], config: String, timestamp: String) throws -> String {
        let object: [String: Any] = ["dataname": datanames, "configname": config, "timestamp": timestamp]
        let path = cli.folder.appendingPathComponent("\(timestamp)-submit.json").path
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(to: URL(fileURLWithPath: path))
        return path
    }

    func layout(_ timestamp: String) -> JobLayout {
        JobLayout(bucket: "spot-probe", analysis: "spot-probe", group: "neurolab", timestamp: timestamp)
    }

    /// The dataset's status file, nil until it exists.
    func status(_ timestamp: String, _ dataset: String) -> DatasetStatus? {
        (try? s3.getObject(bucket: "spot-probe", key: layout(timestamp).statusKey(dataset: dataset))).flatMap { try? DatasetStatus.parse($0) }
    }

    func certificate(_ timestamp: String) throws -> String {
        String(decoding: try s3.getObject(bucket: "spot-probe", key: layout(timestamp).certificateKey), as: UTF8.self)
    }

    /// Runs `ncaas ARGS` on a thread of its own; `wait()` returns its result.
    func start(_ arguments: String...) -> () throws -> ProcessResult {
        let done = DispatchSemaphore(value: 0)
        let result = LockedValue<Result<ProcessResult, Error>?>(nil)
        Thread { [self] in
            result.value = Result { try cli.ncaas(arguments: arguments, timeout: 240) }
            done.signal()
        }.start()
        return { done.wait(); return try result.value!.get() }
    }

    /// Waits (at most `timeout` seconds) until the dataset's status satisfies `condition`; returns it.
    func waitForStatus(_ timestamp: String, _ dataset: String, timeout: TimeInterval = 120,
                       _ condition: (DatasetStatus) -> Bool) throws -> DatasetStatus {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = status(timestamp, dataset), condition(status) { return status }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TestSupportError("\(dataset) of \(timestamp) did not reach the awaited status in \(Int(timeout)) s: \(String(describing: status(timestamp, dataset)))")
    }

    func close() { _ = try? cli.tearDown() }
}
