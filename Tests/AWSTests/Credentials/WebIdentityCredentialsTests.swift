import Foundation
import XCTest
@testable import AWS
import SigV4
import TestSupport

/// Web identity federation (GitHub Actions, EKS) against moto's STS: the token file is
/// exchanged, unsigned, for the role's credentials.
final class WebIdentityCredentialsTests: XCTestCase {
    nonisolated(unsafe) private static var shared: MotoFixture?
    private var moto: MotoFixture!

    override class func tearDown() {
        shared?.stop()
        shared = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        if Self.shared == nil { Self.shared = try MotoFixture() }
        moto = Self.shared
    }

    private func roleName(_ arn: String) -> String { String(arn.split(separator: "/").last ?? "") }

    func testTheVariablesCISetsAssumeTheRoleUnsigned() throws {
        let roleArn = try moto.role("ci-\(UUID().uuidString.prefix(8).lowercased())")
        let home = try ConfigurationTestHome()
        home.useMoto(moto)
        let tokenFile = try home.write("eyJhbGciOiJSUzI1NiJ9.ci-token.signature\n", to: "token")
        home.variables["AWS_ROLE_ARN"] = roleArn
        home.variables["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile
        home.variables["AWS_ROLE_SESSION_NAME"] = "ci-run-7"
        let transport = CapturingTransport()
        let configuration = try home.credentialResolver(transport: transport).resolve()

        XCTAssertEqual(configuration.credentials.source, .webIdentity(roleArn: roleArn, tokenFile: tokenFile))
        XCTAssertNotNil(configuration.credentials.expiration)
        XCTAssertTrue(try moto.callerArn(configuration).hasSuffix(":assumed-role/\(roleName(roleArn))/ci-run-7"))
        let call = try XCTUnwrap(transport.sent.first { $0.body.contains("Action=AssumeRoleWithWebIdentity") })
        XCTAssertNil(call.header("Authorization"), "AssumeRoleWithWebIdentity is not signed")
        XCTAssertTrue(call.body.contains("WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.ci-token.signature&") || call.body.hasSuffix("ci-token.signature"),
                      "the token is sent without its newline: \(call.body)")
    }

    func testAnExplicitProfileUsesItsOwnTokenFileAndIgnoresTheVariables() throws {
        let profileRole = try moto.role("eks-\(UUID().uuidString.prefix(8).lowercased())")
        let home = try ConfigurationTestHome()
        home.useMoto(moto)
        let tokenFile = try home.write("profile-token", to: "eks-token")
        try home.write(configSection("eks", [("role_arn", profileRole), ("web_identity_token_file", tokenFile)]), to: ".aws/config")
        home.variables["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/not-this-one"
        home.variables["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/nonexistent/token"
        let configuration = try home.credentialResolver(ConfigurationOverrides(profile: "eks")).resolve()
        XCTAssertEqual(configuration.credentials.source, .webIdentity(roleArn: profileRole, tokenFile: tokenFile))
        XCTAssertTrue(try moto.callerArn(configuration).contains(":assumed-role/\(roleName(profileRole))/ncaas-session-"))
    }

    func testAMissingTokenFileOrRoleIsOneSentence() throws {
        let home = try ConfigurationTestHome()
        home.useMoto(moto)
        home.variables["AWS_WEB_IDENTITY_TOKEN_FILE"] = home.root.appendingPathComponent("missing-token").path
        XCTAssertConfigurationError(try home.credentialResolver().credentialProvider(),
                                    .invalidProfile(profile: "default",
                                                    problem: "has a web identity token file (\(home.root.appendingPathComponent("missing-token").path)) but no role to assume",
                                                    fix: "set AWS_ROLE_ARN or the profile's role_arn"))
        home.variables["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/ci"
        XCTAssertConfigurationError(try home.credentialResolver().credentials(),
                                    .credentialSourceFailed(source: "web identity",
                                                            reason: "the token file \(home.root.appendingPathComponent("missing-token").path) does not exist",
                                                            fix: "check AWS_WEB_IDENTITY_TOKEN_FILE or the profile's web_identity_token_file"))
    }
}
