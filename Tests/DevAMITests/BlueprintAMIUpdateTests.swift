import DevAMI
import Foundation
import TestSupport
import XCTest

/// `BlueprintAMIUpdate` on real repositories, checked with the system git: the two commits, the
/// one-line diff, what stays staged, and refusals that change nothing.
final class BlueprintAMIUpdateTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-amiupdate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("blueprints/demo"), withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
        try git("config", "user.name", "Ada Researcher")
        try git("config", "user.email", "ada@example.org")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private var blueprint: String { folder.appendingPathComponent("blueprints/demo/stack_config_template.json").path }

    @discardableResult
    private func git(_ arguments: String...) throws -> String {
        let result = try ProcessRunner.run("git", ["-C", folder.path] + arguments, environment: ["HOME": folder.path, "GIT_CONFIG_NOSYSTEM": "1"])
        XCTAssertTrue(result.succeeded, "git \(arguments): \(result.stderr)")
        return result.stdout
    }

    private func writeBlueprint(extra: String = "") throws {
        try """
            {
              "PipelineName": "demo",
              "REGION": "us-east-1",
              "Lambda": {
                "LambdaConfig": {
                  "AMI": "ubuntu18",\(extra)
                  "INSTANCE_TYPE": "t3.micro",
                  "COMMAND": "run {} {} {} {}"
                }
              }
            }

            """.write(toFile: blueprint, atomically: true, encoding: .utf8)
    }

    func testOnTopOfHistoryTheUncommittedEditIsRecordedFirst() throws {
        try writeBlueprint()
        try git("add", "-A")
        try git("commit", "-q", "-m", "start")
        // An uncommitted edit of the blueprint: the first commit records it as it was.
        let edited = try String(contentsOfFile: blueprint, encoding: .utf8).replacingOccurrences(of: "t3.micro", with: "t3.large")
        try edited.write(toFile: blueprint, atomically: true, encoding: .utf8)
        let start = try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)

        let result = try BlueprintAMIUpdate.run(blueprintPath: blueprint, imageId: "ami-0123456789abcdef0", purpose: "numpy", source: "test")
        XCTAssertEqual(result.previousAMI, "ubuntu18")
        XCTAssertEqual(try git("rev-parse", "HEAD~1").trimmingCharacters(in: .whitespacesAndNewlines), result.before)
        XCTAssertEqual(try git("rev-parse", "HEAD~2").trimmingCharacters(in: .whitespacesAndNewlines), start)
        XCTAssertEqual(try git("show", "\(result.before):blueprints/demo/stack_config_template.json"), edited)
        XCTAssertEqual(try git("diff", "--stat", "HEAD~1", "HEAD").contains("1 insertion(+), 1 deletion(-)"), true)
        XCTAssertEqual(try String(contentsOfFile: blueprint, encoding: .utf8), edited.replacingOccurrences(of: "\"ubuntu18\"", with: "\"ami-0123456789abcdef0\""))
        XCTAssertEqual(try git("status", "--porcelain"), "", "the work tree matches HEAD")
    }

    func testACredentialInTheBlueprintIsRefusedAndNothingChanges() throws {
        try writeBlueprint(extra: "\n      \"NOTE\": \"key AKIAIOSFODNN7EXAMPLE\",")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: blueprint))
        XCTAssertThrowsError(try BlueprintAMIUpdate.run(blueprintPath: blueprint, imageId: "ami-0123456789abcdef0", purpose: nil, source: "test")) { error in
            XCTAssertEqual((error as? DevError)?.kind, .refused)
            XCTAssertTrue("\(error)".contains("an AWS access key id on line 7"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: blueprint)), bytes)
        let log = try ProcessRunner.run("git", ["-C", folder.path, "log"], environment: ["HOME": folder.path])
        XCTAssertFalse(log.succeeded, "no commit was made (the branch is still unborn)")
    }

    func testOutsideARepositoryIsRefusedAndNothingChanges() throws {
        try FileManager.default.removeItem(at: folder.appendingPathComponent(".git"))
        try writeBlueprint()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: blueprint))
        XCTAssertThrowsError(try BlueprintAMIUpdate.run(blueprintPath: blueprint, imageId: "ami-0123456789abcdef0", purpose: nil, source: "test")) { error in
            XCTAssertTrue("\(error)".contains("is not in a git repository"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: blueprint)), bytes)
    }

    func testANonAMIIsRefused() throws {
        try writeBlueprint()
        XCTAssertThrowsError(try BlueprintAMIUpdate.run(blueprintPath: blueprint, imageId: "ubuntu18", purpose: nil, source: "test")) { error in
            XCTAssertEqual((error as? DevError)?.kind, .badInput)
        }
    }
}
