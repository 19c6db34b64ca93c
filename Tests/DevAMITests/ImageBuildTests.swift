import AWS
import DevAMI
import Support
import Foundation
import TestSupport
import XCTest

/// `ncaas image build` through the built binary on the local cloud: setup.sh runs on a fresh
/// instance, the image lands in the blueprint with two commits, and nothing is left running;
/// a setup.sh that fails half way leaves no instance, no image and no commit.
final class ImageBuildTests: XCTestCase {
    private var fixture: LocalCloudCLIFixture!

    override func setUpWithError() throws {
        fixture = try LocalCloudCLIFixture()
        try fixture.makeRepository(commit: true)
        XCTAssertEqual(try fixture.ncaas("configure", "builder", "--ami", "ubuntu18", "--instance-type", "t3.micro").exitCode, 0)
        try fixture.git("add", "-A")
        try fixture.git("commit", "-q", "-m", "blueprint")
    }

    override func tearDownWithError() throws {
        if let fixture { XCTAssertEqual(try fixture.tearDown(), 0, "no instance container outlives the test") }
    }

    private func writeSetup(_ script: String) throws {
        let folder = fixture.folder.appendingPathComponent("blueprints/builder")
        try script.write(to: folder.appendingPathComponent("setup.sh"), atomically: true, encoding: .utf8)
        try "1,2,3\n".write(to: folder.appendingPathComponent("sample.csv"), atomically: true, encoding: .utf8)
    }

    private func ownImages() throws -> [Image] { try fixture.ec2.describeImages(owners: ["self"]) }

    func testABuildRunsSetupMakesTheImageCommitsAndTerminates() throws {
        try writeSetup("""
            set -e
            echo "installing the analysis"
            sudo mkdir -p /opt/builder
            sudo cp sample.csv /opt/builder/
            echo built | sudo tee /opt/builder/version >/dev/null
            echo "warning: this goes to stderr" >&2

            """)
        let build = try fixture.ncaas("image", "build", "builder", "-m", "sample data baked in")
        XCTAssertEqual(build.exitCode, 0, build.stderr)
        XCTAssertTrue(build.stdout.contains("installing the analysis\n"), "setup.sh's output streams through: \(build.stdout)")
        XCTAssertTrue(build.stderr.contains("warning: this goes to stderr"), build.stderr)
        let images = try ownImages()
        XCTAssertEqual(images.count, 1)
        let imageId = try XCTUnwrap(images.first?.imageId)
        fixture.createdImages.append(imageId)
        XCTAssertEqual(images.first?.tags.first { $0.key == InstanceTags.analysis }?.value, "builder")

        // The blueprint names it, in two commits; the build instance is gone.
        let blueprint = try String(contentsOfFile: fixture.blueprintPath("builder"), encoding: .utf8)
        XCTAssertTrue(blueprint.contains("\"AMI\": \"\(imageId)\""), blueprint)
        let subjects = try fixture.git("log", "--format=%s", "-3").split(separator: "\n")
        XCTAssertEqual(subjects, ["ncaas: builder AMI ubuntu18 -> \(imageId)", "ncaas: builder image sources and blueprint before the AMI update", "blueprint"])
        XCTAssertTrue(try fixture.git("log", "-1", "--format=%B").contains("sample data baked in"))
        // The first commit carries what the image was built from (setup.sh, the folder), not only the blueprint.
        let recorded = try fixture.git("show", "--name-only", "--format=", "HEAD~1").split(separator: "\n").map(String.init)
        XCTAssertEqual(Set(recorded), ["blueprints/builder/setup.sh", "blueprints/builder/sample.csv"], "the blueprint as it was is HEAD~2's, so unchanged")
        XCTAssertEqual(try fixture.git("show", "HEAD~1:blueprints/builder/setup.sh"), try String(contentsOf: fixture.folder.appendingPathComponent("blueprints/builder/setup.sh"), encoding: .utf8))
        XCTAssertTrue(try fixture.git("log", "-1", "--format=%B", "HEAD~1").contains("the 3 files image \(imageId) was built from (README.md, sample.csv, setup.sh)"))
        XCTAssertEqual(try fixture.git("status", "--porcelain", "blueprints/builder"), "", "committed as they are on disk")
        XCTAssertEqual(try fixture.liveInstances("builder").count, 0)
        XCTAssertEqual(try fixture.containerCount(), 0)

        // A dev instance from the blueprint now has what setup.sh installed.
        XCTAssertEqual(try fixture.ncaas("dev", "launch", "builder").exitCode, 0)
        XCTAssertEqual(try fixture.ncaas("dev", "exec", "builder", "--", "cat /opt/builder/version /opt/builder/sample.csv").stdout, "built\n1,2,3\n")
        XCTAssertEqual(try fixture.ncaas("dev", "terminate", "builder", "--force").exitCode, 0)
    }

    func testASetupThatFailsHalfWayLeavesNoInstanceNoImageAndNoCommit() throws {
        try writeSetup("set -e\necho step one\nsudo touch /opt/half-done\nfalse\necho never\n")
        let head = try fixture.git("rev-parse", "HEAD")
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.blueprintPath("builder")))
        let build = try fixture.ncaas("image", "build", "builder")
        XCTAssertEqual(build.exitCode, 1, build.stderr)
        XCTAssertTrue(build.stdout.contains("step one"), build.stdout)
        XCTAssertFalse(build.stdout.contains("never"), build.stdout)
        XCTAssertTrue(build.stderr.contains("setup.sh failed on i-"), build.stderr)
        XCTAssertTrue(build.stderr.contains("(exit 1); nothing was recorded."), build.stderr)
        XCTAssertEqual(try fixture.git("rev-parse", "HEAD"), head, "no commit")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: fixture.blueprintPath("builder"))), before, "the blueprint is untouched")
        XCTAssertEqual(try ownImages().count, 0, "no image")
        XCTAssertEqual(try fixture.liveInstances("builder").count, 0, "no instance")
        XCTAssertEqual(try fixture.containerCount(), 0)
    }

    func testKeepOnFailureKeepsTheInstanceAsTheDevInstance() throws {
        try writeSetup("echo about to fail\nexit 4\n")
        let build = try fixture.ncaas("image", "build", "builder", "--keep-on-failure")
        XCTAssertEqual(build.exitCode, 1, build.stderr)
        XCTAssertTrue(build.stderr.contains("was kept (--keep-on-failure)"), build.stderr)
        XCTAssertTrue(build.stderr.contains("ncaas dev ssh builder"), build.stderr)
        let kept = try fixture.liveInstances("builder")
        XCTAssertEqual(kept.count, 1)
        XCTAssertEqual(kept.first?.tag(InstanceTags.role), "dev")
        // The uploaded blueprint folder is there to debug.
        XCTAssertEqual(try fixture.ncaas("dev", "exec", "builder", "--", "cat ncaas-build/sample.csv").stdout, "1,2,3\n")
        XCTAssertEqual(try fixture.ncaas("dev", "terminate", "builder", "--force").exitCode, 0)
        XCTAssertEqual(try ownImages().count, 0)
    }

    func testIfChangedReusesTheImageUntilTheFolderChanges() throws {
        try writeSetup("echo v1 | sudo tee /opt/version\n")
        XCTAssertEqual(try fixture.ncaas("image", "build", "builder", "--if-changed").exitCode, 0, "nothing built yet: it builds")
        let first = try XCTUnwrap(try ownImages().first?.imageId)
        let head = try fixture.git("rev-parse", "HEAD")
        let again = try fixture.ncaas("image", "build", "builder", "--if-changed", "--output", "json")
        XCTAssertEqual(again.exitCode, 0, again.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["reused"] as? Bool, true)
        XCTAssertEqual(json["imageId"] as? String, first)
        XCTAssertEqual(try fixture.git("rev-parse", "HEAD"), head, "no commit")
        XCTAssertEqual(try ownImages().count, 1, "no new image")
        XCTAssertEqual(try fixture.ec2.describeInstances().count, 1, "no instance launched (only the first build's, terminated)")

        try writeSetup("echo v2 | sudo tee /opt/version\n")
        let changed = try fixture.ncaas("image", "build", "builder", "--if-changed", "--output", "json")
        XCTAssertEqual(changed.exitCode, 0, changed.stderr)
        let rebuilt = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(changed.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(rebuilt["reused"] as? Bool, false)
        XCTAssertNotEqual(rebuilt["imageId"] as? String, first)
        XCTAssertEqual(try ownImages().count, 2)
    }

    func testCtrlCDuringSetupTerminatesTheInstanceAndRecordsNothing() throws {
        try writeSetup("echo started; touch ~/setup-started; sleep 60\n")
        let head = try fixture.git("rev-parse", "HEAD")
        let out = fixture.folder.appendingPathComponent("build.out").path
        let environment = ProcessInfo.processInfo.environment.merging(fixture.environment) { _, new in new }
        let pid = try ChildProcess.start(LocalCloudCLIFixture.binary, ["image", "build", "builder"], stdoutPath: out, stderrPath: nil,
                                         environment: environment, inFolder: fixture.path)
        // Interrupt once setup.sh is running on the build instance.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").contains("started") {
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(pid, SIGINT)
        XCTAssertEqual(ChildProcess.wait(pid, timeout: 60), 130, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
        XCTAssertEqual(try fixture.liveInstances("builder").count, 0, "the build instance was terminated")
        XCTAssertEqual(try fixture.containerCount(), 0)
        XCTAssertEqual(try ownImages().count, 0)
        XCTAssertEqual(try fixture.git("rev-parse", "HEAD"), head, "nothing was recorded")
    }

    /// setup.sh and the folder are committed, so the credential guard reads them all; a COMMAND that
    /// only names a variable (masking it in its log) is not a credential.
    func testACredentialInSetupIsRefusedBeforeAnyLaunchButAMaskedNameIsNot() throws {
        try writeSetup("set -e\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\necho installing\n")
        let head = try fixture.git("rev-parse", "HEAD")
        let refused = try fixture.ncaas("image", "build", "builder")
        XCTAssertEqual(refused.exitCode, 75, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("Not built: \(fixture.folder.appendingPathComponent("blueprints/builder").path) holds a secret (aws_secret_access_key) on line 2 of setup.sh; remove it"),
                      refused.stderr)
        XCTAssertEqual(try fixture.git("rev-parse", "HEAD"), head, "nothing recorded")
        XCTAssertEqual(try fixture.ec2.describeInstances(filters: [.tag("ncaas:analysis", "builder")]).count, 0, "nothing launched")

        try writeSetup("set -e\necho installing\n")
        let masked = #"run.sh {} {} {} {} 2>&1 | sed 's/\(AWS_SECRET_ACCESS_KEY=\).*/\1****/'"#
        XCTAssertEqual(try fixture.ncaas("blueprint", "set", "builder", "Lambda.LambdaConfig.COMMAND", String(decoding: try JSONSerialization.data(withJSONObject: [masked]).dropFirst().dropLast(), as: UTF8.self)).exitCode, 0)
        let build = try fixture.ncaas("image", "build", "builder")
        XCTAssertEqual(build.exitCode, 0, build.stderr)
        if let image = try ownImages().first?.imageId { fixture.createdImages.append(image) }
    }

    func testAMissingSetupScriptIsRefusedBeforeAnyLaunch() throws {
        let build = try fixture.ncaas("image", "build", "builder")
        XCTAssertEqual(build.exitCode, 66, build.stderr)
        XCTAssertTrue(build.stderr.contains("setup.sh does not exist"), build.stderr)
        XCTAssertEqual(try fixture.ec2.describeInstances().count, 0, "nothing was launched")
    }

    /// The image is recorded with two commits; a project that is not a git repository is refused
    /// before anything is launched, not after setup.sh ran and the image was made.
    func testAProjectOutsideGitIsRefusedBeforeAnyLaunch() throws {
        try writeSetup("echo built\n")
        try FileManager.default.removeItem(at: fixture.folder.appendingPathComponent(".git"))
        let build = try fixture.ncaas("image", "build", "builder")
        XCTAssertEqual(build.exitCode, 75, build.stderr)
        XCTAssertTrue(build.stderr.contains("Not built: "), build.stderr)
        XCTAssertTrue(build.stderr.contains("is not in a git repository, so the change could not be recorded; run `git init` in the project first."), build.stderr)
        XCTAssertEqual(try fixture.ec2.describeInstances().count, 0, "nothing was launched")
    }
}
