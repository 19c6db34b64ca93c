import Foundation
import XCTest

final class ConfigureCommandTests: XCTestCase {
    func testConfigureCreatesAValidBlueprintAndReadme() throws {
        let cli = CLI(in: try CLI.scratchFolder(for: self))
        let result = try cli.run("configure", "spike-pca", "--instance-type", "m5.xlarge", "--affiliate", "lab:alice,bob", "--affiliate", "guests")
        XCTAssertEqual(result.status, 0, result.stderr)
        let file = "\(cli.directory)/blueprints/spike-pca/stack_config_template.json"
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
        XCTAssertEqual(json?["PipelineName"] as? String, "spike-pca")
        let config = (json?["Lambda"] as? [String: Any])?["LambdaConfig"] as? [String: Any]
        XCTAssertEqual(config?["INSTANCE_TYPE"] as? String, "m5.xlarge")
        let affiliates = (json?["UXData"] as? [String: Any])?["Affiliates"] as? [[String: Any]]
        XCTAssertEqual(affiliates?.map { $0["AffiliateName"] as? String }, ["lab", "guests"])
        XCTAssertEqual(affiliates?.first?["UserNames"] as? [String], ["alice", "bob"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(cli.directory)/blueprints/spike-pca/README.md"))
        let validate = try cli.run("blueprint", "validate", "spike-pca")
        XCTAssertEqual(validate.status, 0, validate.stdout + validate.stderr)
    }

    func testBadNamesAreRefusedWithTheRuleAndNothingIsWritten() throws {
        let cli = CLI(in: try CLI.scratchFolder(for: self))
        let cases = [("ab", "too short"), ("Spike", "contains 'S'"), ("spike_pca", "contains '_'"), ("-spike", "dash"), (String(repeating: "a", count: 64), "too long")]
        for (name, rule) in cases {
            let result = try cli.run("configure", "--", name)
            XCTAssertNotEqual(result.status, 0, name)
            XCTAssertTrue(result.stderr.contains(rule), "\(name): \(result.stderr)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "one sentence: \(result.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(cli.directory)/blueprints"), "a refused name writes nothing")
    }

    func testExistingFolderIsRefusedUnlessForce() throws {
        let cli = CLI(in: try CLI.scratchFolder(for: self))
        XCTAssertEqual(try cli.run("configure", "demo-one").status, 0)
        let extra = "\(cli.directory)/blueprints/demo-one/setup.sh"
        try "echo hi\n".write(toFile: extra, atomically: true, encoding: .utf8)
        let again = try cli.run("configure", "demo-one", "--region", "eu-west-1")
        XCTAssertEqual(again.status, 75)
        XCTAssertTrue(again.stderr.contains("already exists"), again.stderr)
        let forced = try cli.run("configure", "demo-one", "--region", "eu-west-1", "--force")
        XCTAssertEqual(forced.status, 0, forced.stderr)
        let get = try cli.run("blueprint", "get", "demo-one", ".REGION", "-r")
        XCTAssertEqual(get.stdout, "eu-west-1\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: extra), "--force leaves the folder's other files alone")
    }

    func testBadOptionsAreRefusedBeforeWriting() throws {
        let cli = CLI(in: try CLI.scratchFolder(for: self))
        let badAMI = try cli.run("configure", "demo-two", "--ami", "ami-xyz")
        XCTAssertNotEqual(badAMI.status, 0)
        XCTAssertTrue(badAMI.stderr.contains("Lambda.LambdaConfig.AMI"), badAMI.stderr)
        let badCommand = try cli.run("configure", "demo-two", "--command", "run {}")
        XCTAssertTrue(badCommand.stderr.contains("exactly four"), badCommand.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(cli.directory)/blueprints/demo-two"))
    }

    func testDirOptionChoosesTheParentFolder() throws {
        let cli = CLI(in: try CLI.scratchFolder(for: self))
        let result = try cli.run("configure", "elsewhere", "--dir", "analyses", "--output", "json", "--query", ".folder")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasSuffix("analyses/elsewhere\n"), result.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(cli.directory)/analyses/elsewhere/stack_config_template.json"))
    }
}
