import AWS
import Blueprint
import DevAMI
import Foundation
import Jobs
import LocalCloud
import LosslessJSON
import TestSupport
import XCTest

/// The world of the job tests, made once per test class: a local cloud (moto, podman instances), a
/// project folder holding `blueprints/spike-stats` (copied from the repository) and a shell-only
/// `job-probe` blueprint, both deployed with `ncaas deploy`, the spike-stats image built with
/// `ncaas image build` (unless `buildImage` is false) and deployed again with it, and the example data uploaded with
/// `ncaas data put`.
///
/// moto runs with its signature and IAM checks on. `ann` is a user of the `neurolab` affiliate of
/// spike-stats (made before the deploy, so the deploy puts her in the affiliate's group); her own key
/// is in `affiliate`, and her only permissions are the group's.
final class JobsWorld {
    let cli: LocalCloudCLIFixture
    let s3: S3Client
    /// An S3 client signing with ann's own key (the neurolab affiliate's user).
    let affiliate: S3Client

    /// The repository root (this file is Tests/JobsTests/Support/JobsWorld.swift).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A blueprint that needs nothing in its image: it writes its four parameters (in four quoting
    /// contexts: bare, `"data={}"`, `'out={}'`, `cfg="{}"`), one per line, to
    /// `$NCAAS_OUTPUT/args.txt`, and fails (exit 9) if /tmp/pwned exists on the instance. One job
    /// instance at a time (DEPLOY_LIMIT 1). Its local hooks append a line to its folder's hooks.log
    /// (on_failure also fails, exit 3).
    static let probeBlueprint = """
        {
            "PipelineName": "job-probe",
            "REGION": "us-east-1",
            "Lambda": {
                "LambdaConfig": {
                    "AMI": "debian12",
                    "INSTANCE_TYPE": "t3.micro",
                    "WORKING_DIRECTORY": "~",
                    "COMMAND": "printf '%s\\\\n' {} \\"data={}\\" 'out={}' cfg=\\"{}\\" > \\"$NCAAS_OUTPUT/args.txt\\"; if test -e /tmp/pwned; then echo PWNED; exit 9; fi; echo clean",
                    "EXECUTION_TIMEOUT": 180,
                    "SSM_TIMEOUT": 300,
                    "DEPLOY_LIMIT": 1
                }
            },
            "UXData": {"Affiliates": [{"AffiliateName": "neurolab", "UserNames": [], "UserInput": true, "ContactEmail": ""}]},
            "ncaas": {"jobs": {"hooks": {
                "on_start": "printf '%s %s %s\\n' \\"$NCAAS_HOOK\\" \\"$NCAAS_JOB\\" \\"$NCAAS_DATASETS\\" >> hooks.log",
                "on_success": "printf '%s %s %s/%s\\n' \\"$NCAAS_HOOK\\" \\"$NCAAS_JOB\\" \\"$NCAAS_SUCCEEDED\\" \\"$NCAAS_FAILED\\" >> hooks.log",
                "on_failure": "printf '%s %s %s/%s\\n' \\"$NCAAS_HOOK\\" \\"$NCAAS_JOB\\" \\"$NCAAS_SUCCEEDED\\" \\"$NCAAS_FAILED\\" >> hooks.log; echo paged >&2; exit 3"
            }}}
        }

        """

    init(buildImage: Bool = true) throws {
        cli = try LocalCloudCLIFixture()
        s3 = cli.ec2.client.s3
        let ann = try cli.moto.createUser(named: "ann", policy: MotoServer.allowPolicy(actions: ["sts:GetCallerIdentity"]))
        affiliate = cli.moto.client(ann).s3
        try cli.makeRepository(commit: true)
        let blueprints = cli.folder.appendingPathComponent("blueprints")
        try FileManager.default.createDirectory(at: blueprints, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.repositoryRoot.appendingPathComponent("blueprints/spike-stats"),
                                         to: blueprints.appendingPathComponent("spike-stats"))
        let spikeStats = blueprints.appendingPathComponent("spike-stats/stack_config_template.json")
        let withAnn = try String(contentsOf: spikeStats, encoding: .utf8).replacingOccurrences(of: #""UserNames": []"#, with: #""UserNames": ["ann"]"#)
        guard withAnn.contains(#""UserNames": ["ann"]"#) else { throw TestSupportError("blueprints/spike-stats has no empty UserNames to put ann in") }
        try withAnn.write(to: spikeStats, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: blueprints.appendingPathComponent("job-probe"), withIntermediateDirectories: true)
        try Self.probeBlueprint.write(to: blueprints.appendingPathComponent("job-probe/stack_config_template.json"), atomically: true, encoding: .utf8)
        try cli.git("add", "-A")
        try cli.git("commit", "-q", "-m", "blueprints")
        for name in ["spike-stats", "job-probe"] {
            let deploy = try cli.ncaas("deploy", name, "--no-manager")
            guard deploy.exitCode == 0 else { throw TestSupportError("ncaas deploy \(name) failed: \(deploy.stderr)") }
        }
        if buildImage {
            let cached = try Self.offerCachedImage(cli, blueprintFolder: blueprints.appendingPathComponent("spike-stats"))
            let build = try cli.ncaas("image", "build", "spike-stats", "--if-changed", "-m", "numpy, matplotlib and spike_stats.py in ~/bin", timeout: 300)
            guard build.exitCode == 0 else { throw TestSupportError("ncaas image build spike-stats failed: \(build.stderr)\n\(build.stdout)") }
            if !cached { try Self.keepBuiltImage(cli, blueprintFolder: blueprints.appendingPathComponent("spike-stats")) }
            // The image is in the blueprint now; `jobs serve` runs what is deployed, so deploy it.
            let redeploy = try cli.ncaas("deploy", "spike-stats", "--no-manager")
            guard redeploy.exitCode == 0 else { throw TestSupportError("ncaas deploy spike-stats (with its image) failed: \(redeploy.stderr)") }
        }
        let data = "blueprints/spike-stats/data/"
        let inputs = try cli.ncaas("data", "put", "spike-stats", "neurolab", data + "session1.csv", data + "session2.csv")
        let configs = try cli.ncaas("data", "put", "spike-stats", "neurolab", data + "config.json", "--configs")
        guard inputs.exitCode == 0, configs.exitCode == 0 else { throw TestSupportError("ncaas data put failed: \(inputs.stderr) \(configs.stderr)") }
    }

    // MARK: The spike-stats image, built once per machine

    /// Where a built spike-stats image is kept between worlds (and test runs), by its build digest:
    /// setup.sh installs numpy and matplotlib from Debian's packages, about a minute.
    static func cacheReference(digest: String) -> String { "localhost/ncaas-test-cache:spike-stats-\(digest.prefix(16))" }

    /// When this machine kept an image built from exactly this folder, imports it as an AMI (the
    /// emulator's ImportImage), tags it with the build digest as an image build tags its own, and
    /// writes it into the blueprint, so `image build --if-changed` reuses it.
    private static func offerCachedImage(_ cli: LocalCloudCLIFixture, blueprintFolder: URL) throws -> Bool {
        let digest = try BuildDigest.of(folder: blueprintFolder.path, excluding: Blueprint.fileName)
        let reference = cacheReference(digest: digest)
        guard try cli.podman.imageExists(reference) else { return false }
        // The user the image was built for (its base's: admin on Debian), as the emulator labelled it
        // when it made the image: setup.sh put the analysis in that user's ~/bin.
        let labelled = try cli.podman.checked(["image", "inspect", "--format", "{{index .Labels \"ncaas.login-user\"}}", reference],
                                              "read the cached image's login user").trimmingCharacters(in: .whitespacesAndNewlines)
        let loginUser = labelled.isEmpty || labelled == "<no value>" ? "admin" : labelled
        let standIn = try cli.moto.importImage(reference: reference, name: "spike-stats-cached", loginUser: loginUser)
        try cli.ec2.createTags(resourceIds: [standIn], tags: [Tag(key: BuildDigest.tag, value: digest),
                                                              Tag(key: InstanceTags.analysis, value: "spike-stats"),
                                                              Tag(key: LoginUser.tag, value: loginUser)])
        let set = try cli.ncaas("blueprint", "set", "spike-stats", "Lambda.LambdaConfig.AMI", "\"\(standIn)\"")
        guard set.exitCode == 0 else { throw TestSupportError("blueprint set AMI failed: \(set.stderr)") }
        try cli.git("commit", "-q", "-am", "spike-stats: the image built before from this folder")
        return true
    }

    /// Keeps the image just built for later worlds (and removes what older folders left).
    private static func keepBuiltImage(_ cli: LocalCloudCLIFixture, blueprintFolder: URL) throws {
        let digest = try BuildDigest.of(folder: blueprintFolder.path, excluding: Blueprint.fileName)
        let document = try JSONDocument(bytes: Array(try Data(contentsOf: blueprintFolder.appendingPathComponent(Blueprint.fileName))))
        guard let ami = Blueprint(document: document).ami else { return }
        let reference = cacheReference(digest: digest)
        for old in (try? cli.podman.imageTags(repository: "localhost/ncaas-test-cache")) ?? [] where old.hasPrefix("localhost/ncaas-test-cache:spike-stats-") {
            try? cli.podman.removeImage(old)
        }
        try cli.podman.tag(LocalCloudTags.createdImageReference(ami), as: reference)
    }

    /// Writes a submit file into the project folder; returns its path.
    func submit(_ datanames: [String], config: String, timestamp: String, name: String = "submit.json") throws -> String {
        let object: [String: Any] = ["dataname": datanames.count == 1 ? datanames[0] as Any : datanames as Any, "configname": config, "timestamp": timestamp]
        let path = cli.folder.appendingPathComponent(name).path
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes `text` to the bucket of `analysis` (as the admin).
    func put(_ analysis: String, _ key: String, _ text: String) throws {
        try s3.putObject(bucket: analysis, key: key, data: Data(text.utf8))
    }

    func text(_ analysis: String, _ key: String) throws -> String {
        String(decoding: try s3.getObject(bucket: analysis, key: key), as: UTF8.self)
    }

    func status(_ analysis: String, _ layout: JobLayout, dataset: String) throws -> DatasetStatus {
        try DatasetStatus.parse(try s3.getObject(bucket: analysis, key: layout.statusKey(dataset: dataset)))
    }

    /// Every instance of `analysis` in the role job, terminated or not.
    func jobInstances(_ analysis: String) throws -> [Instance] {
        try cli.ec2.describeInstances(filters: [.tag("ncaas:analysis", analysis), .tag("ncaas:role", "job")])
    }

    /// The lines the job-probe hooks wrote about `job`.
    func hookLines(_ job: String) -> [String] {
        let log = (try? String(contentsOf: cli.folder.appendingPathComponent("blueprints/job-probe/hooks.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").map(String.init).filter { $0.contains(" \(job)") }
    }

    func close() { _ = try? cli.tearDown() }
}
