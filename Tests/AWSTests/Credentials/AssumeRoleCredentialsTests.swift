import Foundation
import XCTest
@testable import AWS
import SigV4
import TestSupport

/// `role_arn` profiles against moto's STS, with signature and IAM checks on: the source's key
/// signs AssumeRole and the role's temporary key signs what follows.
final class AssumeRoleCredentialsTests: XCTestCase {
    nonisolated(unsafe) private static var shared: MotoFixture?
    private var moto: MotoFixture!
    private var base: SigningCredentials!
    private var roleArn: String!

    override class func tearDown() {
        shared?.stop()
        shared = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        if Self.shared == nil { Self.shared = try MotoFixture() }
        moto = Self.shared
        let suffix = UUID().uuidString.prefix(8).lowercased()
        base = try moto.sourceUser("base-\(suffix)")
        roleArn = try moto.role("worker-\(suffix)")
    }

    private func home(config: String, credentials: String? = nil) throws -> ConfigurationTestHome {
        let home = try ConfigurationTestHome(credentials: credentials ?? credentialsSection("base", base), config: config)
        home.useMoto(moto)
        return home
    }

    private var roleName: String { String(roleArn.split(separator: "/").last ?? "") }

    func testSourceProfileKeysAssumeTheRoleWithEverySetting() throws {
        let home = try home(config: configSection("worker", [("role_arn", roleArn), ("source_profile", "base"),
                                                             ("role_session_name", "ncaas-test"), ("external_id", "lab-7"),
                                                             ("duration_seconds", "900")]))
        let transport = CapturingTransport()
        let configuration = try home.credentialResolver(ConfigurationOverrides(profile: "worker"), transport: transport).resolve()

        XCTAssertEqual(configuration.credentials.source, .assumedRole(roleArn: roleArn, profile: "worker"))
        XCTAssertTrue(configuration.credentials.credentials.accessKeyId.hasPrefix("ASIA"))
        XCTAssertNotNil(configuration.credentials.credentials.sessionToken)
        let expiration = try XCTUnwrap(configuration.credentials.expiration)
        XCTAssertEqual(expiration.timeIntervalSinceNow, 900, accuracy: 30, "duration_seconds reaches STS")
        XCTAssertNotNil(configuration.refreshing, "temporary credentials come with their refresher")
        XCTAssertTrue(try moto.callerArn(configuration).hasSuffix(":assumed-role/\(roleName)/ncaas-test"))

        let call = try XCTUnwrap(transport.sent.first { $0.body.contains("Action=AssumeRole") })
        XCTAssertTrue(call.body.contains("ExternalId=lab-7"), call.body)
        XCTAssertTrue(call.body.contains("DurationSeconds=900"), call.body)
        XCTAssertTrue(call.header("Authorization")?.contains("Credential=\(base.accessKeyId)/") == true, "signed with the source key")
        XCTAssertFalse(configuration.description.contains(configuration.credentials.credentials.secretAccessKey))
    }

    func testARoleWhoseSourceAssumesARoleItselfIsChained() throws {
        let outer = try moto.role("outer-\(UUID().uuidString.prefix(8).lowercased())")
        let home = try home(config: configSection("inner", [("role_arn", roleArn), ("source_profile", "base")])
                            + configSection("outer", [("role_arn", outer), ("source_profile", "inner"), ("role_session_name", "chained")]))
        let transport = CapturingTransport()
        let configuration = try home.credentialResolver(ConfigurationOverrides(profile: "outer"), transport: transport).resolve()
        XCTAssertTrue(try moto.callerArn(configuration).contains(":assumed-role/\(outer.split(separator: "/").last ?? "")/chained"))
        let assumes = transport.sent.filter { $0.body.contains("Action=AssumeRole") }
        XCTAssertEqual(assumes.count, 2, "first the inner role with the base key, then the outer one with the inner role's key")
        XCTAssertTrue(assumes[0].header("Authorization")?.contains("Credential=\(base.accessKeyId)/") == true)
        XCTAssertTrue(assumes[1].header("Authorization")?.contains("Credential=ASIA") == true)
    }

    func testASourceProfileLoopIsRefusedNamingTheLoop() throws {
        let home = try home(config: configSection("a", [("role_arn", roleArn), ("source_profile", "b")])
                            + configSection("b", [("role_arn", roleArn), ("source_profile", "a")]))
        XCTAssertConfigurationError(try home.credentialResolver(ConfigurationOverrides(profile: "a")).credentialProvider(),
                                    .sourceProfileLoop(profiles: ["a", "b", "a"]))
        let selfLoop = try self.home(config: configSection("solo", [("role_arn", roleArn), ("source_profile", "solo")]))
        XCTAssertConfigurationError(try selfLoop.credentialResolver(ConfigurationOverrides(profile: "solo")).credentialProvider(),
                                    .sourceProfileLoop(profiles: ["solo", "solo"]))
    }

    func testAProfileHoldingKeysMayBeItsOwnSource() throws {
        let home = try home(config: configSection("solo", [("role_arn", roleArn), ("source_profile", "solo")]),
                            credentials: credentialsSection("solo", base))
        let configuration = try home.credentialResolver(ConfigurationOverrides(profile: "solo")).resolve()
        XCTAssertTrue(try moto.callerArn(configuration).contains(":assumed-role/\(roleName)/"))
    }

    func testCredentialSourceEnvironmentSignsWithTheEnvironmentKeys() throws {
        let home = try home(config: configSection("ci", [("role_arn", roleArn), ("credential_source", "Environment")]))
        home.variables["AWS_ACCESS_KEY_ID"] = base.accessKeyId
        home.variables["AWS_SECRET_ACCESS_KEY"] = base.secretAccessKey
        let configuration = try home.credentialResolver(ConfigurationOverrides(profile: "ci")).resolve()
        XCTAssertEqual(configuration.credentials.source, .assumedRole(roleArn: roleArn, profile: "ci"))
        XCTAssertTrue(try moto.callerArn(configuration).contains(":assumed-role/\(roleName)/ncaas-session-"))
    }

    func testMFAWithoutATerminalIsRefusedInOneSentence() throws {
        let serial = "arn:aws:iam::123456789012:mfa/ada"
        let home = try home(config: configSection("secure", [("role_arn", roleArn), ("source_profile", "base"), ("mfa_serial", serial)]))
        let transport = CapturingTransport()
        XCTAssertConfigurationError(try home.credentialResolver(ConfigurationOverrides(profile: "secure"), transport: transport,
                                                                mfa: ScriptedMFAPrompt(answer: nil)).resolve(),
                                    .mfaNeedsTerminal(profile: "secure", serial: serial))
        XCTAssertTrue(transport.sent.isEmpty, "nothing is sent without a code")
        // The default prompt, with no terminal on stdin (as under `swift test`), answers nil.
        if isatty(STDIN_FILENO) == 0 { XCTAssertNil(TerminalMFAPrompt().code(serial: serial, profile: "secure")) }
    }

    func testMFACodeIsAskedForAndSentWithAssumeRole() throws {
        let serial = "arn:aws:iam::123456789012:mfa/ada"
        let home = try home(config: configSection("secure", [("role_arn", roleArn), ("source_profile", "base"), ("mfa_serial", serial)]))
        let transport = CapturingTransport()
        let prompt = ScriptedMFAPrompt(answer: "123456")
        let configuration = try home.credentialResolver(ConfigurationOverrides(profile: "secure"), transport: transport, mfa: prompt).resolve()
        XCTAssertEqual(prompt.serialsAsked, [serial])
        let call = try XCTUnwrap(transport.sent.first { $0.body.contains("Action=AssumeRole") })
        XCTAssertTrue(call.body.contains("TokenCode=123456"), call.body)
        XCTAssertTrue(call.body.contains("SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fada"), call.body)
        XCTAssertTrue(try moto.callerArn(configuration).contains(":assumed-role/\(roleName)/"))
    }

    func testAssumedRoleCredentialsAreRenewedBeforeTheyExpire() throws {
        let home = try home(config: configSection("worker", [("role_arn", roleArn), ("source_profile", "base"), ("duration_seconds", "3600")]))
        let clock = TestClock()
        let transport = CapturingTransport()
        let configuration = try home.credentialResolver(ConfigurationOverrides(profile: "worker"), transport: transport, clock: clock).resolve()
        let first = configuration.credentials.credentials.accessKeyId
        XCTAssertTrue(try moto.callerArn(configuration).contains(":assumed-role/"))
        XCTAssertEqual(transport.sent.filter { $0.body.contains("Action=AssumeRole") }.count, 1, "the first call reuses the first key")

        clock.advance(minutes: 50)   // 10 minutes left: inside the refresh window
        XCTAssertTrue(try moto.callerArn(configuration).contains(":assumed-role/"))
        XCTAssertEqual(transport.sent.filter { $0.body.contains("Action=AssumeRole") }.count, 2, "assumed again before expiry")
        XCTAssertNotEqual(try configuration.refreshing?.credentials().accessKeyId, first, "the next call signs with the new key")
    }

    func testContradictoryOrIncompleteRoleSettingsAreRefused() throws {
        let both = try home(config: configSection("x", [("role_arn", roleArn), ("source_profile", "base"), ("credential_source", "Environment")]))
        XCTAssertConfigurationError(try both.credentialResolver(ConfigurationOverrides(profile: "x")).credentialProvider(),
                                    .invalidProfile(profile: "x", problem: "sets both source_profile and credential_source", fix: "keep only one of them"))
        let unknown = try home(config: configSection("x", [("role_arn", roleArn), ("credential_source", "environment")]))
        XCTAssertConfigurationError(try unknown.credentialResolver(ConfigurationOverrides(profile: "x")).credentialProvider(),
                                    .invalidProfile(profile: "x", problem: "sets credential_source to \"environment\"",
                                                    fix: "use Environment, Ec2InstanceMetadata or EcsContainer (spelt so)"))
        let duration = try home(config: configSection("x", [("role_arn", roleArn), ("source_profile", "base"), ("duration_seconds", "60")]))
        XCTAssertConfigurationError(try duration.credentialResolver(ConfigurationOverrides(profile: "x")).credentialProvider(),
                                    .invalidProfile(profile: "x", problem: "sets duration_seconds to \"60\"",
                                                    fix: "use a whole number of seconds from 900 to 43200"))
        let missing = try home(config: configSection("x", [("role_arn", roleArn), ("source_profile", "nobody")]))
        XCTAssertConfigurationError(try missing.credentialResolver(ConfigurationOverrides(profile: "x")).credentialProvider(),
                                    .invalidProfile(profile: "x", problem: "names source_profile \"nobody\", which does not exist",
                                                    fix: "add that profile or name another one"))
    }
}
