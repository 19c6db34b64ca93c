import AWS
import Deploy
import Foundation
import SigV4
import TestSupport
import XCTest

/// Who validates the template, observed on the wire in front of moto (signature and IAM checks on):
/// a deploy leaves it to CreateChangeSet (no ValidateTemplate, about a second on moto, which made a
/// cold deploy slower than `aws cloudformation deploy`); a dry run calls ValidateTemplate; a
/// rejected template reads the same either way.
final class TemplateValidationTests: XCTestCase {
    private var server: MotoServer!
    private var wire: ActionRecordingTransport!

    override func setUpWithError() throws {
        server = try MotoServer()
        wire = ActionRecordingTransport()
    }

    override func tearDown() {
        server?.stop()
    }

    private func client(endpoint: String? = nil) -> AWSClient {
        AWSClient(region: server.region,
                  credentials: SigningCredentials(accessKeyId: server.adminCredentials.accessKeyId,
                                                  secretAccessKey: server.adminCredentials.secretAccessKey),
                  transport: wire, endpoint: endpoint ?? server.endpoint)
    }

    private func deploy(_ name: String, dryRun: Bool = false, validate: Bool = true, endpoint: String? = nil) throws -> StackDeployer.Result {
        try StackDeployer(client: client(endpoint: endpoint), template: DeployFixtures.template(DeployFixtures.blueprintText(name: name, affiliates: [])))
            .deploy(.init(dryRun: dryRun, validateTemplate: validate))
    }

    func testADeployLeavesValidationToTheChangeSetAndADryRunValidates() throws {
        let preview = try deploy("validated-by", dryRun: true)
        XCTAssertEqual(preview.action, .previewed)
        XCTAssertEqual(preview.validation, .validated)
        XCTAssertEqual(wire.count("ValidateTemplate"), 1)
        XCTAssertEqual(try deploy("validated-by", dryRun: true, validate: false).validation, .skipped)
        XCTAssertEqual(wire.count("ValidateTemplate"), 1, "--no-validate")

        let created = try deploy("validated-by")
        XCTAssertEqual(created.action, .created)
        XCTAssertEqual(created.validation, .changeSet)
        XCTAssertEqual(wire.count("ValidateTemplate"), 1, "a deploy sends no ValidateTemplate: \(wire.actions)")
        XCTAssertEqual(wire.count("CreateChangeSet"), 3)
    }

    /// The same refusal from ValidateTemplate (a dry run) and CreateChangeSet (a deploy) is the same
    /// sentence, and nothing is left behind. The refusal is injected by the fault proxy: the
    /// rendered template is one moto accepts.
    func testARejectedTemplateReadsTheSameFromADryRunAndADeploy() throws {
        let reason = "Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template"
        let proxy = try FaultProxy(upstream: server.endpoint)
        defer { proxy.stop() }
        var sentences: [String] = []
        for (dryRun, action) in [(true, "ValidateTemplate"), (false, "CreateChangeSet")] {
            var fault = FaultProxy.Fault.error(status: 400, code: "ValidationError").matching("Action=\(action)")
            fault.message = reason
            try proxy.setFaults([fault])
            XCTAssertThrowsError(try deploy("rejected", dryRun: dryRun, endpoint: proxy.endpoint)) { error in
                XCTAssertEqual((error as? DeployError)?.exitCode, 65)
                sentences.append("\(error)")
            }
            XCTAssertNil(try client().cloudFormation.describeStack("rejected").flatMap { $0.status == "DELETE_COMPLETE" ? nil : $0 }, "nothing left")
        }
        XCTAssertEqual(sentences.count, 2)
        XCTAssertEqual(Set(sentences).count, 1, "\(sentences)")
        XCTAssertEqual(sentences.first, "CloudFormation rejected the template of stack rejected: \(reason). Nothing was deployed; run `ncaas render rejected` and look at stacks/rejected.json, or `ncaas blueprint validate rejected`.")
    }
}
