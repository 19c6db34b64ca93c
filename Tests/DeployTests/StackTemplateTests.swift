import Blueprint
import Deploy
import Foundation
import LosslessJSON
import TestSupport
import XCTest

/// Rendering: deterministic bytes, the resources a user relies on, and cfn-lint's verdict.
final class StackTemplateTests: XCTestCase {
    private func parsed(_ template: StackTemplate) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(template.text.utf8)) as? [String: Any])
    }

    private func resources(_ template: StackTemplate) throws -> [String: [String: Any]] {
        try XCTUnwrap(parsed(template)["Resources"] as? [String: [String: Any]])
    }

    func testSameBlueprintGivesTheSameBytes() throws {
        let text = DeployFixtures.blueprintText(name: "same-bytes", affiliates: [("lab-a", ["ann"]), ("lab.b", ["ben", "bo"])])
        let first = try DeployFixtures.template(text).text
        let second = try DeployFixtures.template(text).text
        XCTAssertEqual(first, second)
        XCTAssertTrue(first.hasSuffix("}\n"))
        // Key order of the document is the writer's, not a hash table's.
        XCTAssertTrue(first.hasPrefix("{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Description\""))
    }

    func testCommittedStacksMatchTheirBlueprints() throws {
        let root = DeployFixtures.repositoryRoot
        let blueprints = root.appendingPathComponent("blueprints")
        let names = try FileManager.default.contentsOfDirectory(atPath: blueprints.path).filter {
            FileManager.default.fileExists(atPath: blueprints.appendingPathComponent("\($0)/\(Blueprint.fileName)").path)
        }
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let text = try String(contentsOf: blueprints.appendingPathComponent("\(name)/\(Blueprint.fileName)"), encoding: .utf8)
            // As `ncaas render` writes it: the job manager in unless the blueprint leaves it out.
            let rendered = try StackTemplate(blueprint: DeployFixtures.blueprint(text), manager: nil).text
            let committed = try? String(contentsOf: root.appendingPathComponent("stacks/\(name).json"), encoding: .utf8)
            XCTAssertEqual(committed, rendered, "stacks/\(name).json is stale: run `ncaas render \(name)`")
        }
    }

    func testBucketIsKeptPrivateAndEncrypted() throws {
        let template = try DeployFixtures.template(DeployFixtures.blueprintText(name: "bucket-check", affiliates: [("lab", ["ann"])]))
        let bucket = try XCTUnwrap(resources(template)[StackTemplate.Resource.bucket])
        XCTAssertEqual(bucket["DeletionPolicy"] as? String, "Retain")
        let properties = try XCTUnwrap(bucket["Properties"] as? [String: Any])
        XCTAssertEqual(properties["BucketName"] as? String, "bucket-check")
        let block = try XCTUnwrap(properties["PublicAccessBlockConfiguration"] as? [String: Bool])
        XCTAssertEqual(block.values.filter { $0 }.count, 4)
        XCTAssertNotNil(properties["BucketEncryption"])
    }

    func testEachAffiliateGetsItsNotificationGroupAndPolicyOverOnlyItsPrefix() throws {
        let template = try DeployFixtures.template(DeployFixtures.blueprintText(
            name: "two-labs", affiliates: [("lab-a", ["ann"]), ("lab-b", [])]))
        let all = try resources(template)
        let bucket = try XCTUnwrap(all[StackTemplate.Resource.bucket]?["Properties"] as? [String: Any])
        let notifications = try XCTUnwrap((bucket["NotificationConfiguration"] as? [String: Any])?["QueueConfigurations"] as? [[String: Any]])
        let prefixes = notifications.compactMap { (($0["Filter"] as? [String: Any])?["S3Key"] as? [String: Any])?["Rules"] as? [[String: String]] }
            .map { rules in rules.first { $0["Name"] == "prefix" }?["Value"] ?? "" }
        XCTAssertEqual(prefixes, ["lab-a/submissions/", "lab-b/submissions/"])

        let groupA = try XCTUnwrap(all["AffiliateLabAGroup"]?["Properties"] as? [String: Any])
        XCTAssertEqual(groupA["GroupName"] as? String, "two-labs-lab-a")
        let policyText = String(decoding: try JSONSerialization.data(withJSONObject: groupA["Policies"] ?? []), as: UTF8.self)
        XCTAssertTrue(policyText.contains("two-labs\\/lab-a\\/inputs\\/*") || policyText.contains("two-labs/lab-a/inputs/*"), policyText)
        XCTAssertFalse(policyText.contains("lab-b"), "lab-a's policy must not name lab-b's prefix")
        // A user policy and a membership only where there are users.
        XCTAssertNotNil(all["AffiliateLabAUserPolicy"])
        XCTAssertNotNil(all["AffiliateLabAMembership"])
        XCTAssertNotNil(all["AffiliateLabBGroup"])
        XCTAssertNil(all["AffiliateLabBUserPolicy"])
    }

    func testAffiliateNamesThatCollideGetDistinctLogicalIDs() throws {
        let template = try DeployFixtures.template(DeployFixtures.blueprintText(
            name: "collide", affiliates: [("lab-a", ["ann"]), ("lab.a", ["ben"]), ("laba", [])]))
        let ids = try resources(template).keys.filter { $0.hasPrefix("Affiliate") && $0.hasSuffix("Group") }
        XCTAssertEqual(Set(ids).count, 3)
        XCTAssertTrue(ids.allSatisfy { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }, "\(ids)")
    }

    func testDeployedConfigFillsNeuroCAASDefaults() throws {
        let template = try DeployFixtures.template(DeployFixtures.blueprintText(name: "config-check", affiliates: []))
        let config = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(template.deployedConfigJSON.utf8)) as? [String: Any])
        XCTAssertEqual(config["INSTANCE_TYPE"] as? String, "t3.small")
        XCTAssertEqual(config["SHUTDOWN_BEHAVIOR"] as? String, "terminate", "a default NeuroCAAS applies is deployed too")
        XCTAssertEqual((config["EXECUTION_TIMEOUT"] as? NSNumber)?.intValue, 900)
    }

    func testAnInvalidNameIsRefused() throws {
        XCTAssertThrowsError(try DeployFixtures.template(DeployFixtures.blueprintText(name: "Bad_Name", affiliates: []))) { error in
            XCTAssertTrue("\(error)".contains("PipelineName"), "\(error)")
        }
    }

    /// Every example blueprint and unusual but legal ones lint clean (no errors) with cfn-lint.
    func testTemplatesPassCfnLint() throws {
        let folder = try DeployFixtures.scratchFolder(for: self)
        var files: [String] = []
        func add(_ name: String, _ text: String) throws {
            let path = folder.appendingPathComponent("\(name).json").path
            try DeployFixtures.template(text).text.write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        let blueprints = DeployFixtures.repositoryRoot.appendingPathComponent("blueprints")
        for name in try FileManager.default.contentsOfDirectory(atPath: blueprints.path) {
            let file = blueprints.appendingPathComponent("\(name)/\(Blueprint.fileName)")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            try add("example-\(name)", text)
        }
        try add("several", DeployFixtures.blueprintText(name: "several-labs", affiliates: [("lab-a", ["ann", "al"]), ("lab.b", ["ben"]), ("lab_c", []), ("d", ["dee"])]))
        try add("extra-keys", DeployFixtures.blueprintText(name: "extra-keys", affiliates: [("lab", ["ann"])], extraAffiliateKeys: ", \"Notes\": {\"x\": [1, 2]}, \"Budget\": 12"))
        try add("no-stage", DeployFixtures.blueprintText(name: "no-stage", affiliates: [("lab", ["ann"])], stage: nil))
        try add("long-name", DeployFixtures.blueprintText(name: String(repeating: "a", count: 55) + "-long-nm", affiliates: [(String(repeating: "x", count: 90), ["u"])]))
        try add("no-affiliates", DeployFixtures.blueprintText(name: "no-affiliates", affiliates: []))

        let result = try ProcessRunner.run("cfn-lint", ["--format", "json", "--"] + files, timeout: 300)
        XCTAssertFalse(result.timedOut)
        let findings = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
        XCTAssertTrue(result.exitCode == 0 || !result.stdout.isEmpty, "cfn-lint did not run: \(result.stderr)")
        let errors = findings.filter { ($0["Level"] as? String) == "Error" }
        XCTAssertEqual(errors.count, 0, "cfn-lint errors: \(errors)")
        // cfn-lint's exit code has bit 1 (value 2) for errors.
        XCTAssertEqual(result.exitCode & 2, 0, result.stdout)
    }
}
