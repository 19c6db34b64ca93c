import AWS
import Deploy
import Foundation
import SigV4
import TestSupport
import XCTest

/// State changed behind the stack's back through the service APIs — an affiliate's policy, the
/// deployed configuration — is put back by the next deploy, on moto with auth checks on.
final class DriftConvergenceTests: XCTestCase {
    private var server: MotoServer!
    private var admin: AWSClient!

    override func setUpWithError() throws {
        server = try MotoServer()
        admin = client(server.adminCredentials)
    }

    override func tearDown() {
        server?.stop()
    }

    private func client(_ credentials: MotoCredentials) -> AWSClient { server.client(credentials) }

    private func deploy(_ text: String) throws -> StackDeployer.Result {
        try StackDeployer(client: admin, template: DeployFixtures.template(text)).deploy(.init())
    }

    func testTheJobRolesPolicyIsJSONAfterADeployAndPutBackWhenEdited() throws {
        let name = "role-policy"
        let created = try deploy(DeployFixtures.blueprintText(name: name, affiliates: []))
        let profile = try XCTUnwrap(created.outputs.first { $0.key == StackTemplate.Output.instanceProfile }?.value)
        let role = try XCTUnwrap(try admin.iam.instanceProfileRoles(profile).first?.name)
        let policyName = "\(name)-job-instance"
        // moto's CloudFormation leaves a Python repr; the deploy put the template's JSON there.
        let first = try admin.iam.getRolePolicy(roleName: role, policyName: policyName).document
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any], first)
        let statements = try XCTUnwrap(parsed["Statement"] as? [[String: Any]])
        XCTAssertEqual(statements.compactMap { $0["Sid"] as? String }, ["ReadAnalysisBucket", "WriteResultsAndLogs", "ReadDeployedConfig"])
        XCTAssertTrue(first.contains("arn:aws:s3:::\(name)/*/results/*"), first)

        try admin.iam.putRolePolicy(roleName: role, policyName: policyName, document: MotoServer.allowPolicy(actions: ["s3:*"]))
        let again = try deploy(DeployFixtures.blueprintText(name: name, affiliates: []))
        XCTAssertTrue(again.converged.contains("put policy \(policyName) back on role \(role) through the IAM API (its content was not the template's)"), "\(again.converged)")
        XCTAssertEqual(try admin.iam.getRolePolicy(roleName: role, policyName: policyName).document, first)
        XCTAssertEqual(try deploy(DeployFixtures.blueprintText(name: name, affiliates: [])).converged, [])
    }

    func testAnAffiliatePolicyEditedBehindDeploysBackIsPutBackAndAccessRestored() throws {
        let ann = try server.createUser(named: "ann", policy: MotoServer.allowPolicy(actions: ["sts:GetCallerIdentity"]))
        let name = "drifting-policy"
        let text = DeployFixtures.blueprintText(name: name, affiliates: [("lab-a", ["ann"])])
        XCTAssertEqual(try deploy(text).action, .created)
        let annS3 = client(ann).s3
        XCTAssertNoThrow(try annS3.putObject(bucket: name, key: "lab-a/inputs/before.csv", data: Data("1\n".utf8)))

        // Same names, other content: the lab's policy now grants nothing of S3.
        let policyName = "\(name)-lab-a-access"
        let nothing = MotoServer.allowPolicy(actions: ["sts:GetCallerIdentity"])
        try admin.iam.putUserPolicy(userName: "ann", policyName: policyName, document: nothing)
        try admin.iam.putGroupPolicy(groupName: "\(name)-lab-a", policyName: policyName, document: nothing)
        XCTAssertThrowsError(try annS3.putObject(bucket: name, key: "lab-a/inputs/during.csv", data: Data("2\n".utf8))) { error in
            XCTAssertEqual((error as? AWSError)?.code, "AccessDenied", "\(error)")
        }

        let again = try deploy(text)
        XCTAssertEqual(again.action, .unchanged, "the template did not change; only the policies drifted")
        XCTAssertTrue(again.converged.contains("put policy \(policyName) back on user ann through the IAM API (its content had changed)"), "\(again.converged)")
        XCTAssertTrue(again.converged.contains("put policy \(policyName) back on group \(name)-lab-a through the IAM API (its content had changed)"), "\(again.converged)")
        XCTAssertNoThrow(try annS3.putObject(bucket: name, key: "lab-a/inputs/after.csv", data: Data("3\n".utf8)))
        XCTAssertThrowsError(try annS3.putObject(bucket: name, key: "lab-b/inputs/after.csv", data: Data("x".utf8)), "still its own folder only")

        // Put back, nothing drifted: the next deploy sets nothing.
        XCTAssertEqual(try deploy(text).converged, [])
    }

    func testTheDeployedConfigurationIsPutBackWhenChangedOrDeleted() throws {
        let name = "drifting-config"
        let text = DeployFixtures.blueprintText(name: name, affiliates: [])
        let template = try DeployFixtures.template(text)
        let created = try deploy(text)
        XCTAssertEqual(created.action, .created)
        let parameterName = "/ncaas/\(name)/lambda-config"
        let deployed = try admin.ssm.getParameter(name: parameterName).value
        XCTAssertEqual(deployed, template.deployedConfigJSON)

        _ = try admin.ssm.putParameter(name: parameterName, value: #"{"INSTANCE_TYPE": "p3.16xlarge"}"#)
        let fixed = try deploy(text)
        XCTAssertTrue(fixed.converged.contains("set parameter \(parameterName) back to the blueprint's LambdaConfig through the SSM API (it held something else)"), "\(fixed.converged)")
        XCTAssertEqual(try admin.ssm.getParameter(name: parameterName).value, template.deployedConfigJSON)

        try admin.ssm.deleteParameter(name: parameterName)
        let recreated = try deploy(text)
        XCTAssertTrue(recreated.converged.contains("created parameter \(parameterName) with the blueprint's LambdaConfig through the SSM API"), "\(recreated.converged)")
        XCTAssertEqual(try admin.ssm.getParameter(name: parameterName).value, template.deployedConfigJSON)
    }
}
