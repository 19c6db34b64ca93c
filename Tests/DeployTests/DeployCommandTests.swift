import AWS
import Foundation
import SigV4
import TestSupport
import XCTest

/// `ncaas render`, `ncaas deploy` and `ncaas teardown` as a user runs them: the built binary,
/// a scratch folder holding `blueprints/<name>/`, and moto with auth on.
final class DeployCommandTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try DeployFixtures.scratchFolder(for: self)
    }

    /// The built `ncaas`, beside the test bundle.
    private var binary: String {
        let bundle = Bundle.main.bundleURL
        let buildFolder = bundle.path.hasSuffix(".xctest") ? bundle.deletingLastPathComponent() : bundle
        return buildFolder.appendingPathComponent("ncaas").path
    }

    private func write(_ name: String, _ text: String) throws {
        let blueprintFolder = folder.appendingPathComponent("blueprints/\(name)")
        try FileManager.default.createDirectory(at: blueprintFolder, withIntermediateDirectories: true)
        try text.write(to: blueprintFolder.appendingPathComponent("stack_config_template.json"), atomically: true, encoding: .utf8)
    }

    private func ncaas(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        var base = ["HOME": folder.path, "NO_COLOR": "1", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                    "AWS_EC2_METADATA_DISABLED": "true"]
        base.merge(environment) { _, new in new }
        return try ProcessRunner.run(binary, arguments, environment: base, currentDirectory: folder.path, timeout: 120)
    }

    func testRenderWritesStacksFileAndIsStable() throws {
        try write("render-me", DeployFixtures.blueprintText(name: "render-me", affiliates: [("lab", ["ann"])]))
        let first = try ncaas(["render", "render-me"])
        XCTAssertEqual(first.exitCode, 0, first.stderr)
        let path = folder.appendingPathComponent("stacks/render-me.json").path
        XCTAssertTrue(first.stdout.hasSuffix("stacks/render-me.json\n"), first.stdout)
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path))
        let second = try ncaas(["render", "render-me"])
        XCTAssertTrue(second.stdout.contains("(unchanged)"), second.stdout)
        XCTAssertEqual(FileManager.default.contents(atPath: path), bytes)
        let toStdout = try ncaas(["render", "render-me", "--file", "-"])
        XCTAssertEqual(Data(toStdout.stdout.utf8), bytes)
        // -o is the output format, as everywhere; the file has its own option, relative to here.
        let json = try ncaas(["render", "render-me", "-o", "json", "--file", "out/t.json"])
        XCTAssertEqual(json.exitCode, 0, json.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["file"] as? String, folder.appendingPathComponent("out/t.json").standardizedFileURL.path)
        XCTAssertEqual(report["changed"] as? Bool, true)
        XCTAssertEqual(FileManager.default.contents(atPath: folder.appendingPathComponent("out/t.json").path), bytes)
    }

    func testADigitFirstNameIsRefusedBeforeAnyCallWithTheRuleNamed() throws {
        try write("7lab", DeployFixtures.blueprintText(name: "7lab", affiliates: []))
        let result = try ncaas(["deploy", "7lab", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"],
                               environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x"])
        XCTAssertEqual(result.exitCode, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("starts with a digit: CloudFormation stack names must start with a letter"), result.stderr)
        XCTAssertFalse(result.stderr.contains("connect"), result.stderr)
    }

    func testAnInvalidBlueprintIsRefusedBeforeAnyCall() throws {
        try write("broken", DeployFixtures.blueprintText(name: "broken", affiliates: []).replacingOccurrences(of: "{} {} {} {}", with: "{} {}"))
        // Nothing listens on this port: a call would fail with "could not connect" and 69.
        let result = try ncaas(["deploy", "broken", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"],
                               environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x"])
        XCTAssertEqual(result.exitCode, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("The blueprint is invalid, nothing was deployed: Lambda.LambdaConfig.COMMAND"), result.stderr)
        XCTAssertFalse(result.stderr.contains("connect"), result.stderr)
        let render = try ncaas(["render", "broken"])
        XCTAssertEqual(render.exitCode, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("stacks/broken.json").path))
    }

    func testTeardownWithoutTerminalOrYesRefuses() throws {
        try write("keep-me", DeployFixtures.blueprintText(name: "keep-me", affiliates: []))
        let result = try ncaas(["teardown", "keep-me", "--delete-data", "--endpoint-url", "http://127.0.0.1:9"],
                               environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x"])
        XCTAssertEqual(result.exitCode, 75, result.stderr)
        XCTAssertEqual(result.stderr, "ncaas: Refusing to tear down keep-me and delete its data without confirmation: standard input is not a terminal, so pass --yes.\n")
    }

    func testDeployDryRunThenJSONOutputsThenTeardown() throws {
        let server = try MotoServer()
        defer { server.stop() }
        _ = try server.createUser(named: "ann", policy: MotoServer.allowPolicy(actions: ["sts:GetCallerIdentity"]))
        try write("cli-stack", DeployFixtures.blueprintText(name: "cli-stack", affiliates: [("lab", ["ann"])]))
        let environment = server.awsEnvironment(server.adminCredentials)

        let preview = try ncaas(["deploy", "cli-stack", "--dry-run", "--no-manager"], environment: environment)
        XCTAssertEqual(preview.exitCode, 0, preview.stderr)
        XCTAssertTrue(preview.stdout.contains("would be created (dry run, nothing executed)"), preview.stdout)
        XCTAssertTrue(preview.stdout.contains("+ AnalysisBucket (AWS::S3::Bucket)"), preview.stdout)

        // The blueprint is committed in git: the stack's commit tag names HEAD's commit.
        let git = ["GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"]
        for arguments in [["init", "-q"], ["add", "blueprints"], ["commit", "-qm", "blueprint"]] {
            XCTAssertEqual(try ProcessRunner.run("git", arguments, environment: git, currentDirectory: folder.path).exitCode, 0)
        }
        let head = try ProcessRunner.run("git", ["rev-parse", "HEAD"], currentDirectory: folder.path).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let deployed = try ncaas(["deploy", "cli-stack", "--no-manager", "--output", "json"], environment: environment)
        XCTAssertEqual(deployed.exitCode, 0, deployed.stderr)
        XCTAssertEqual(deployed.stderr, "", "no progress lines without a terminal")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(deployed.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["action"] as? String, "created")
        // CreateChangeSet validated the template (a deploy sends no ValidateTemplate).
        XCTAssertEqual(json["validation"] as? String, "change-set")
        let outputs = try XCTUnwrap(json["outputs"] as? [String: String])
        XCTAssertEqual(outputs["BucketName"], "cli-stack")
        XCTAssertTrue(outputs["JobQueueUrl"]?.hasSuffix("/cli-stack-jobs") == true, "\(outputs)")

        // The stack carries the analysis and the blueprint's commit.
        let admin = AWSClient(region: server.region, credentials: SigningCredentials(accessKeyId: server.adminCredentials.accessKeyId,
                                                                                      secretAccessKey: server.adminCredentials.secretAccessKey),
                              transport: CurlTransport(), endpoint: server.endpoint)
        let tags = try XCTUnwrap(admin.cloudFormation.describeStack("cli-stack")).tags
        XCTAssertEqual(tags.first { $0.key == "ncaas:analysis" }?.value, "cli-stack")
        XCTAssertEqual(tags.first { $0.key == "ncaas:blueprint-commit" }?.value, head)

        let queue = try ncaas(["deploy", "cli-stack", "--no-manager", "--query", ".action"], environment: environment)
        XCTAssertEqual(queue.stdout, "unchanged\n", queue.stderr)

        let teardown = try ncaas(["teardown", "cli-stack", "--yes"], environment: environment)
        XCTAssertEqual(teardown.exitCode, 0, teardown.stderr)
        XCTAssertTrue(teardown.stdout.contains("Bucket cli-stack and its data kept"), teardown.stdout)
        let again = try ncaas(["teardown", "cli-stack", "--yes"], environment: environment)
        XCTAssertEqual(again.exitCode, 66, again.stderr)
        XCTAssertTrue(again.stderr.contains("There is no stack named cli-stack"), again.stderr)
    }

    /// A teardown that stops part-way says what it did and what it did not, and running it again
    /// finishes it; --delete-data deletes keys with ".." segments as they are (libcurl used to send
    /// "lab/../other/x" as "other/x": the wrong key was deleted, then DeleteBucket failed forever).
    func testATeardownStoppedPartWayIsFinishedByARerunAndDeletesDottedKeys() throws {
        let server = try MotoServer()
        defer { server.stop() }
        try write("half-way", DeployFixtures.blueprintText(name: "half-way", affiliates: []))
        let environment = server.awsEnvironment(server.adminCredentials)
        XCTAssertEqual(try ncaas(["deploy", "half-way", "--no-manager"], environment: environment).exitCode, 0)
        let s3 = server.client(server.adminCredentials).s3
        for key in ["lab/../other/x.csv", "other/x.csv", "lab/./y.csv"] { try s3.putObject(bucket: "half-way", key: key, data: Data(key.utf8)) }

        let proxy = try FaultProxy(upstream: server.endpoint, faults: [FaultProxy.Fault.error(status: 403, code: "AccessDenied").matching("list-type=2")])
        defer { proxy.stop() }
        let stopped = try ncaas(["teardown", "half-way", "--delete-data", "--yes", "--endpoint-url", proxy.endpoint], environment: environment)
        XCTAssertEqual(stopped.exitCode, 77, stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("AccessDenied"), stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("Done before it stopped: deleted stack half-way. Not done: the rest of the teardown (the bucket and its remaining data) was not done; run `ncaas teardown half-way --delete-data` again to finish it."), stopped.stderr)
        XCTAssertEqual(stopped.stderr.split(separator: "\n").count, 1, stopped.stderr)

        let finished = try ncaas(["teardown", "half-way", "--delete-data", "--yes"], environment: environment)
        XCTAssertEqual(finished.exitCode, 0, finished.stderr)
        XCTAssertTrue(finished.stdout.contains("Stack half-way did not exist."), finished.stdout)
        XCTAssertTrue(finished.stdout.contains("Bucket half-way deleted with its 3 objects."), finished.stdout)
        XCTAssertFalse(try s3.bucketExists("half-way"))
        let again = try ncaas(["teardown", "half-way", "--yes"], environment: environment)
        XCTAssertEqual(again.exitCode, 66, "nothing left: \(again.stderr)")
    }
}
