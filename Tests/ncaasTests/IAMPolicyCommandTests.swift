import Foundation
import XCTest

/// `ncaas iam-policy`: the document ncaas needs, which docs/aws.md shows verbatim (the same one the
/// local cloud's user and every CLI test's user hold).
final class IAMPolicyCommandTests: XCTestCase {
    private var cli: CLI { get throws { CLI(in: try CLI.scratchFolder(for: self)) } }

    func testThePolicyIsJSONAndDocsShowItVerbatim() throws {
        let result = try cli.run("iam-policy")
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let statements = try XCTUnwrap(document["Statement"] as? [[String: Any]])
        let actions = statements.flatMap { $0["Action"] as? [String] ?? [] }
        for needed in ["ec2:RunInstances", "ec2:GetConsoleOutput", "iam:GetInstanceProfile", "iam:GetRolePolicy",
                       "iam:ListGroupsForUser", "s3:PutBucketOwnershipControls", "iam:PassRole"] {
            XCTAssertTrue(actions.contains(needed), "\(needed) is in the policy")
        }
        let docs = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/aws.md").standardizedFileURL.path, encoding: .utf8)
        XCTAssertTrue(docs.contains("```json\n" + result.stdout + "```"), "docs/aws.md shows `ncaas iam-policy` verbatim; paste its output there")
    }

    func testForNarrowsToWorkflowsAndAnUnknownOneIsRefused() throws {
        let dev = try cli.run("iam-policy", "--for", "dev")
        XCTAssertEqual(dev.status, 0, dev.stderr)
        XCTAssertTrue(dev.stdout.contains("ec2:CreateImage"))
        XCTAssertFalse(dev.stdout.contains("cloudformation:"), "dev needs no stacks")
        let bad = try cli.run("iam-policy", "--for", "dev,deplyo")
        XCTAssertEqual(bad.status, 65)
        XCTAssertEqual(bad.stderr, "ncaas: --for names 'deplyo', which is not a workflow; choose from dev, image, fleet, deploy, jobs, affiliates, cost.\n")
        XCTAssertEqual(bad.stdout, "")
    }
}
