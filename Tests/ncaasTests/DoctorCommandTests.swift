import Foundation
import TestSupport
import XCTest

/// `ncaas doctor` against a real moto with signature and IAM checks on.
final class DoctorCommandTests: XCTestCase {
    nonisolated(unsafe) static var moto: MotoServer!

    override class func setUp() {
        super.setUp()
        moto = try? MotoServer()
    }

    override class func tearDown() {
        moto?.stop()
        super.tearDown()
    }

    private func cli(_ environment: [String: String]) throws -> CLI {
        let moto = try XCTUnwrap(Self.moto, "moto did not start: run scripts/setup")
        var cli = CLI(in: try CLI.scratchFolder(for: self))
        cli.environment.merge(moto.awsEnvironment(moto.adminCredentials)) { $1 }
        cli.environment["AWS_EC2_METADATA_DISABLED"] = "true"
        cli.environment.merge(environment) { $1 }
        return cli
    }

    func testReportsIdentityRegionAndEndpointWithSources() throws {
        let moto = try XCTUnwrap(Self.moto)
        let result = try cli([:]).run("doctor")
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("identity    arn:aws:iam::"), result.stdout)
        XCTAssertTrue(result.stdout.contains(":user/\(moto.adminCredentials.userName)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("region      us-east-1 (from AWS_DEFAULT_REGION)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("endpoint    \(moto.endpoint) for every service (from AWS_ENDPOINT_URL)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("(from AWS_ACCESS_KEY_ID)"), result.stdout)
        XCTAssertFalse(result.stdout.contains(moto.adminCredentials.secretAccessKey), "the secret is never printed")
        XCTAssertFalse(result.stdout.contains(moto.adminCredentials.accessKeyId), "the key id is shortened")
    }

    func testJSONAndQuery() throws {
        let account = try cli([:]).run("doctor", "--query", ".identity.account")
        XCTAssertEqual(account.status, 0, account.stderr)
        XCTAssertTrue(account.stdout.range(of: #"^\d{12}\n$"#, options: .regularExpression) != nil, account.stdout)
        let json = try cli([:]).run("doctor", "--output", "json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["ok"] as? Bool, true)
        XCTAssertEqual((object?["region"] as? [String: Any])?["source"] as? String, "AWS_DEFAULT_REGION")
    }

    func testWrongSecretIsACredentialProblem() throws {
        let result = try cli(["AWS_SECRET_ACCESS_KEY": "not-the-secret-at-all"]).run("doctor")
        XCTAssertEqual(result.status, 77, result.stdout)
        XCTAssertTrue(result.stdout.contains("problem: STS refused GetCallerIdentity: SignatureDoesNotMatch"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Check your secret access key"), result.stdout)
        XCTAssertFalse(result.stdout.contains("not-the-secret-at-all"))
    }

    func testMissingCredentialsSaySoInOneSentence() throws {
        let result = try cli(["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""]).run("doctor")
        XCTAssertEqual(result.status, 77, result.stdout)
        XCTAssertTrue(result.stdout.contains("problem: No AWS credentials found"), result.stdout)
        XCTAssertTrue(result.stdout.contains("credentials none"), result.stdout)
    }

    func testUnreachableEndpointIsReported() throws {
        let port = try FreePort.next()
        let result = try cli(["AWS_ENDPOINT_URL": "http://127.0.0.1:\(port)"]).run("doctor")
        XCTAssertEqual(result.status, 69, result.stdout)
        XCTAssertTrue(result.stdout.contains("could not connect to http://127.0.0.1:\(port)/"), result.stdout)
    }

    func testProfileFromSharedFilesAndFlagsOverrideEnvironment() throws {
        let moto = try XCTUnwrap(Self.moto)
        var cli = try cli([:])
        let config = "\(cli.directory)/config", credentials = "\(cli.directory)/credentials"
        try "[profile lab]\nregion = eu-west-2\nendpoint_url = \(moto.endpoint)\n".write(toFile: config, atomically: true, encoding: .utf8)
        try "[lab]\naws_access_key_id = \(moto.adminCredentials.accessKeyId)\naws_secret_access_key = \(moto.adminCredentials.secretAccessKey)\n"
            .write(toFile: credentials, atomically: true, encoding: .utf8)
        for key in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"] { cli.environment[key] = nil }
        cli.environment["AWS_CONFIG_FILE"] = config
        cli.environment["AWS_SHARED_CREDENTIALS_FILE"] = credentials
        let result = try cli.run("doctor", "--profile", "lab")
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("profile     lab (from --profile)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("region      eu-west-2 (from [profile lab] in \(config))"), result.stdout)
        XCTAssertTrue(result.stdout.contains("(from profile lab in \(credentials))"), result.stdout)
        let flagged = try cli.run("doctor", "--profile", "lab", "--region", "us-west-1")
        XCTAssertTrue(flagged.stdout.contains("region      us-west-1 (from --region)"), flagged.stdout)
        let missing = try cli.run("doctor", "--profile", "nope")
        XCTAssertEqual(missing.status, 78)
        XCTAssertTrue(missing.stdout.contains("The AWS profile \"nope\" (from --profile) does not exist"), missing.stdout)
    }

    /// A profile whose credentials come from a program that prints temporary keys.
    private func processProfile(_ cli: inout CLI, expiresIn seconds: Int) throws {
        let moto = try XCTUnwrap(Self.moto)
        let script = "\(cli.directory)/creds", config = "\(cli.directory)/config"
        let expiry = ISO8601DateFormatter().string(from: Date().addingTimeInterval(TimeInterval(seconds)))
        try """
        #!/bin/sh
        echo '{"Version": 1, "AccessKeyId": "\(moto.adminCredentials.accessKeyId)", "SecretAccessKey": "\(moto.adminCredentials.secretAccessKey)", "Expiration": "\(expiry)"}'
        """.write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        try "[profile proc]\ncredential_process = \(script)\n".write(toFile: config, atomically: true, encoding: .utf8)
        cli.environment["AWS_CONFIG_FILE"] = config
    }

    func testNamesTheCredentialSourceAndItsExpiry() throws {
        var cli = try cli([:])
        try processProfile(&cli, expiresIn: 3600)
        let result = try cli.run("doctor", "--profile", "proc")
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("(from the credential_process of profile proc)"), result.stdout)
        XCTAssertTrue(result.stdout.range(of: #"expires     \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 59 min\); renewed before then"#,
                                          options: .regularExpression) != nil, result.stdout)
        let json = try cli.run("doctor", "--profile", "proc", "--output", "json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let credentials = try XCTUnwrap(object?["credentials"] as? [String: Any])
        XCTAssertEqual(credentials["source"] as? String, "the credential_process of profile proc")
        XCTAssertEqual(credentials["temporary"] as? Bool, true)
        XCTAssertNotNil((credentials["expiration"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }, "\(credentials)")

        let keys = try self.cli([:]).run("doctor")
        XCTAssertTrue(keys.stdout.contains("expires     never (long-term keys)"), keys.stdout)
    }

    func testAnMFARoleWithoutATerminalIsRefusedInOneSentence() throws {
        var cli = try cli([:])
        let config = "\(cli.directory)/config"
        try """
        [profile secure]
        role_arn = arn:aws:iam::123456789012:role/admin
        credential_source = Environment
        mfa_serial = arn:aws:iam::123456789012:mfa/ada
        """.write(toFile: config, atomically: true, encoding: .utf8)
        cli.environment["AWS_CONFIG_FILE"] = config
        let result = try cli.run("doctor", "--profile", "secure")   // stdin is /dev/null: no terminal
        XCTAssertEqual(result.status, 77, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("problem: The AWS profile \"secure\" assumes its role with the MFA device arn:aws:iam::123456789012:mfa/ada, "
                                             + "whose code can only be typed on a terminal and there is none"), result.stdout)
        XCTAssertFalse(result.stdout.contains("Enter MFA code"), "no prompt without a terminal")
    }
}
