import Foundation
import XCTest
@testable import AWS
import SigV4

/// The order of the chain, checked without a network: with every source configured, each
/// one removed in turn reveals the next, in botocore's order (`create_credential_resolver`).
final class CredentialPrecedenceTests: XCTestCase {
    private enum Source: CaseIterable {
        case environment, role, webIdentity, sso, credentialsFile, process, configFile, container, instanceMetadata
    }

    private func home(with sources: Set<Source>) throws -> ConfigurationTestHome {
        var config: [(String, String)] = []
        if sources.contains(.role) { config += [("role_arn", "arn:aws:iam::123456789012:role/r"), ("source_profile", "base")] }
        if sources.contains(.sso) {
            config += [("sso_start_url", "https://x.awsapps.com/start"), ("sso_region", "us-east-1"),
                       ("sso_account_id", "123456789012"), ("sso_role_name", "R")]
        }
        if sources.contains(.process) { config.append(("credential_process", "/bin/false")) }
        if sources.contains(.configFile) { config += [("aws_access_key_id", "AKIDCONFIG"), ("aws_secret_access_key", "s")] }
        var credentials = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n"
        if sources.contains(.credentialsFile) { credentials += "[default]\naws_access_key_id = AKIDCREDENTIALS\naws_secret_access_key = s\n" }
        let home = try ConfigurationTestHome(credentials: credentials, config: configSection("default", config))
        if sources.contains(.environment) {
            home.variables["AWS_ACCESS_KEY_ID"] = "AKIDENVIRONMENT"
            home.variables["AWS_SECRET_ACCESS_KEY"] = "s"
        }
        if sources.contains(.webIdentity) {
            home.variables["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/var/run/token"
            home.variables["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/ci"
        }
        if sources.contains(.container) { home.variables["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/x" }
        return home
    }

    private func chosen(_ home: ConfigurationTestHome, _ overrides: ConfigurationOverrides = ConfigurationOverrides()) throws -> ConfigurationSource {
        let resolver = try AWSConfigurationResolver(environment: home.environment, overrides: overrides,
                                                    instanceMetadataTransport: CapturingTransport())
        return try resolver.credentialProvider().source
    }

    func testEachSourceOutranksTheNextInTheAWSCLIsOrder() throws {
        var remaining = Set(Source.allCases)
        var order: [String] = []
        for _ in Source.allCases {
            let home = try home(with: remaining)
            let source = try chosen(home)
            switch source {
            case .environment: order.append("environment"); remaining.remove(.environment)
            case .assumedRole: order.append("role"); remaining.remove(.role)
            case .webIdentity: order.append("web identity"); remaining.remove(.webIdentity)
            case .sso: order.append("sso"); remaining.remove(.sso)
            case .credentialsFile: order.append("credentials file"); remaining.remove(.credentialsFile)
            case .credentialProcess: order.append("credential_process"); remaining.remove(.process)
            case .configFile: order.append("config file"); remaining.remove(.configFile)
            case .container: order.append("container"); remaining.remove(.container)
            case .instanceMetadata: order.append("instance metadata"); remaining.remove(.instanceMetadata)
            default: XCTFail("unexpected source \(source)"); return
            }
        }
        XCTAssertEqual(order, ["environment", "role", "web identity", "sso", "credentials file", "credential_process", "config file",
                               "container", "instance metadata"])
    }

    func testAnExplicitProfileSkipsTheEnvironmentsKeysAndWebIdentity() throws {
        let home = try home(with: [.environment, .webIdentity, .credentialsFile])
        XCTAssertEqual(try chosen(home), .environment("AWS_ACCESS_KEY_ID"))
        XCTAssertEqual(try chosen(home, ConfigurationOverrides(profile: "default")),
                       .credentialsFile(path: home.credentialsPath, profile: "default"))
    }

    func testAProfileWithBothRoleAndTokenFileIsAWebIdentityProfile() throws {
        let home = try ConfigurationTestHome(config: configSection("default", [("role_arn", "arn:aws:iam::1:role/r"),
                                                                              ("web_identity_token_file", "/t")]))
        XCTAssertEqual(try chosen(home), .webIdentity(roleArn: "arn:aws:iam::1:role/r", tokenFile: "/t"))
    }

    func testNothingConfiguredNamesWhatWasChecked() throws {
        let home = try ConfigurationTestHome()
        XCTAssertConfigurationError(try home.credentialResolver().credentialProvider(),
                                    .noCredentials(profile: "default", checked: ["the environment", home.credentialsPath, home.configPath]))
    }
}

/// The refresh windows, with a scripted source.
final class RefreshingCredentialsTests: XCTestCase {
    private final class Source: @unchecked Sendable {
        let lock = NSLock()
        var fetches = 0
        var failing = false
        let clock: TestClock
        init(clock: TestClock) { self.clock = clock }
        func fetch() throws -> ResolvedCredentials {
            try lock.withLock {
                if failing { throw AWSConfigurationError.credentialSourceFailed(source: "test", reason: "down", fix: "wait") }
                fetches += 1
                return ResolvedCredentials(credentials: SigningCredentials(accessKeyId: "KEY\(fetches)", secretAccessKey: "s"),
                                           source: .fallback("test"), expiration: clock.now.addingTimeInterval(3600))
            }
        }
    }

    func testRefreshIsAttemptedFromFifteenMinutesAndRequiredFromTen() throws {
        let clock = TestClock()
        let source = Source(clock: clock)
        let refreshing = RefreshingCredentials(initial: try source.fetch(), clock: clock.function) { try source.fetch() }
        XCTAssertEqual(try refreshing.credentials().accessKeyId, "KEY1")

        clock.advance(minutes: 46)   // 14 minutes left: advisory window, the source is down
        source.failing = true
        XCTAssertEqual(try refreshing.credentials().accessKeyId, "KEY1", "a failed advisory refresh keeps the current key")
        clock.advance(minutes: 5)    // 9 minutes left: mandatory
        XCTAssertThrowsError(try refreshing.credentials()) { error in
            XCTAssertEqual(error as? AWSConfigurationError, .credentialSourceFailed(source: "test", reason: "down", fix: "wait"))
        }
        source.failing = false
        XCTAssertEqual(try refreshing.credentials().accessKeyId, "KEY2")
        XCTAssertEqual(try refreshing.credentials().accessKeyId, "KEY2", "valid for an hour again")
    }

    func testLongTermKeysAreNeverFetchedAgainAndDeferredOnesOnFirstUse() throws {
        let fixed = StaticCredentialProvider(ResolvedCredentials(credentials: SigningCredentials(accessKeyId: "AKID", secretAccessKey: "s"),
                                                                 source: .environment("AWS_ACCESS_KEY_ID")))
        let refreshing = RefreshingCredentials(deferred: fixed)
        XCTAssertEqual(try refreshing.credentials().accessKeyId, "AKID")
        XCTAssertNil(try refreshing.resolved().expiration)
    }
}
