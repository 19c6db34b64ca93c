import Foundation
import XCTest
@testable import AWS
import SigV4
import TestSupport

/// IAM Identity Center profiles: the token `aws sso login` cached is read from
/// `~/.aws/sso/cache/<sha1>.json` and exchanged at the suite's own SSO portal for moto users'
/// keys; a token about to expire is renewed through the portal's token service.
final class SSOCredentialsTests: XCTestCase {
    nonisolated(unsafe) private static var sharedMoto: MotoFixture?
    private var moto: MotoFixture!
    private var server: CredentialEndpointServer!
    private var user: (name: String, key: SigningCredentials)!

    /// sha1("my-sso") and sha1("https://legacy.awsapps.com/start"), as botocore names the files.
    private let sessionCacheFile = ".aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json"
    private let legacyCacheFile = ".aws/sso/cache/79e435d7a515078e81c9dffc35f38d5687ebd3a7.json"

    override class func tearDown() {
        sharedMoto?.stop()
        sharedMoto = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        if Self.sharedMoto == nil { Self.sharedMoto = try MotoFixture() }
        moto = Self.sharedMoto
        server = try CredentialEndpointServer()
        let name = "sso-\(UUID().uuidString.prefix(8).lowercased())"
        user = (name, try moto.credentials(forUser: name, policy: MotoServer.allowPolicy(actions: ["sts:GetCallerIdentity"])))
        try server.configure(.init(keys: [.init(accessKeyId: user.key.accessKeyId, secretAccessKey: user.key.secretAccessKey)],
                                   lifetime: 3600, ssoAccessToken: "sso-token-1", ssoAccount: "111122223333", ssoRole: "Researcher"))
    }

    override func tearDown() {
        server?.stop()
        super.tearDown()
    }

    private static let sessionConfig = configSection("lab", [("sso_session", "my-sso"), ("sso_account_id", "111122223333"),
                                                              ("sso_role_name", "Researcher")])
        + "[sso-session my-sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"

    private func home(config: String) throws -> ConfigurationTestHome {
        let home = try ConfigurationTestHome(config: config)
        home.useMoto(moto)
        home.variables["AWS_ENDPOINT_URL_SSO"] = server.endpoint
        home.variables["AWS_ENDPOINT_URL_SSO_OIDC"] = server.endpoint
        return home
    }

    private func token(_ accessToken: String, expiresIn seconds: TimeInterval, refreshable: Bool = false) -> String {
        token(accessToken, expiresAt: Date().addingTimeInterval(seconds), refreshable: refreshable)
    }

    private func token(_ accessToken: String, expiresAt: Date, refreshable: Bool = false) -> String {
        var fields: [String: Any] = ["startUrl": "https://example.awsapps.com/start", "region": "us-east-1", "accessToken": accessToken,
                                     "expiresAt": CredentialDates.format(expiresAt)]
        if refreshable {
            fields["refreshToken"] = "refresh-1"
            fields["clientId"] = "client-1"
            fields["clientSecret"] = "client-secret-1"
            fields["registrationExpiresAt"] = CredentialDates.format(Date().addingTimeInterval(86_400 * 30))
        }
        return String(decoding: try! JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
    }

    func testASessionProfileExchangesTheCachedTokenForTheRolesCredentials() throws {
        let home = try home(config: Self.sessionConfig)
        try home.write(token("sso-token-1", expiresIn: 8 * 3600), to: sessionCacheFile)
        let configuration = try home.credentialResolver(ConfigurationOverrides(profile: "lab")).resolve()

        XCTAssertEqual(configuration.credentials.source, .sso(profile: "lab", accountId: "111122223333", roleName: "Researcher"))
        XCTAssertEqual(configuration.credentials.expiration?.timeIntervalSinceNow ?? 0, 3600, accuracy: 30)
        XCTAssertTrue(try moto.callerArn(configuration).hasSuffix(":user/\(user.name)"))
        let asked = try XCTUnwrap(try server.requests().first)
        XCTAssertEqual(asked.method, "GET")
        XCTAssertTrue(asked.path.hasPrefix("/federation/credentials?"), asked.path)
        XCTAssertTrue(asked.path.contains("account_id=111122223333") && asked.path.contains("role_name=Researcher"), asked.path)
        XCTAssertEqual(asked.ssoToken, "sso-token-1")
    }

    func testALegacyProfileFindsItsTokenByStartURL() throws {
        try server.configure(.init(ssoAccessToken: "legacy-token"))
        let home = try home(config: configSection("old", [("sso_start_url", "https://legacy.awsapps.com/start"), ("sso_region", "eu-west-1"),
                                                          ("sso_account_id", "111122223333"), ("sso_role_name", "Researcher")]))
        try home.write(token("legacy-token", expiresIn: 3600), to: legacyCacheFile)
        let configuration = try home.credentialResolver(ConfigurationOverrides(profile: "old")).resolve()
        XCTAssertTrue(try moto.callerArn(configuration).hasSuffix(":user/\(user.name)"))
    }

    func testAnExpiredOrMissingLoginSaysToRunAwsSsoLogin() throws {
        let home = try home(config: Self.sessionConfig)
        XCTAssertConfigurationError(try home.credentialResolver(ConfigurationOverrides(profile: "lab")).credentials(),
                                    .ssoLoginNeeded(profile: "lab", reason: "has no cached token"))
        let expiry = Date().addingTimeInterval(-60)
        try home.write(token("sso-token-1", expiresAt: expiry), to: sessionCacheFile)
        XCTAssertConfigurationError(try home.credentialResolver(ConfigurationOverrides(profile: "lab")).credentials(),
                                    .ssoLoginNeeded(profile: "lab", reason: "expired at \(CredentialDates.format(expiry))"))
        try home.write(token("revoked-token", expiresIn: 3600), to: sessionCacheFile)
        XCTAssertConfigurationError(try home.credentialResolver(ConfigurationOverrides(profile: "lab")).credentials(),
                                    .ssoLoginNeeded(profile: "lab", reason: "was refused by the SSO portal (HTTP 401)"))
        XCTAssertTrue("\(AWSConfigurationError.ssoLoginNeeded(profile: "lab", reason: "has no cached token"))"
            .hasSuffix("run `aws sso login --profile lab`, then try again."))
    }

    func testATokenAboutToExpireIsRenewedAndWrittenBackToTheCache() throws {
        try server.configure(.init(refreshToken: "refresh-1", refreshedAccessToken: "sso-token-2", refreshedExpiresIn: 28_800))
        let home = try home(config: Self.sessionConfig)
        let cacheFile = try home.write(token("sso-token-1", expiresIn: 300, refreshable: true), to: sessionCacheFile)
        let configuration = try home.credentialResolver(ConfigurationOverrides(profile: "lab")).resolve()
        XCTAssertTrue(try moto.callerArn(configuration).hasSuffix(":user/\(user.name)"))

        let requests = try server.requests()
        XCTAssertEqual(requests.map(\.method), ["POST", "GET"], "CreateToken, then GetRoleCredentials")
        XCTAssertEqual(requests.last?.ssoToken, "sso-token-2", "the renewed token is used")
        let cached = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cacheFile))) as? [String: Any]
        XCTAssertEqual(cached?["accessToken"] as? String, "sso-token-2", "written back for the next command and the AWS CLI")
        XCTAssertEqual(cached?["startUrl"] as? String, "https://example.awsapps.com/start", "other fields are kept")
        let expiresAt = try XCTUnwrap((cached?["expiresAt"] as? String).flatMap(CredentialDates.parse))
        XCTAssertEqual(expiresAt.timeIntervalSinceNow, 28_800, accuracy: 60)
        let attributes = try FileManager.default.attributesOfItem(atPath: cacheFile)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    func testIncompleteOrInconsistentSettingsAreNamed() throws {
        let partial = try home(config: configSection("half", [("sso_account_id", "111122223333")]))
        XCTAssertConfigurationError(try partial.credentialResolver(ConfigurationOverrides(profile: "half")).credentialProvider(),
                                    .invalidProfile(profile: "half", problem: "is set up for SSO but lacks sso_start_url, sso_region, sso_role_name",
                                                    fix: "run `aws configure sso --profile half`"))
        let noSession = try home(config: configSection("lab", [("sso_session", "nowhere"), ("sso_account_id", "1"), ("sso_role_name", "R")]))
        XCTAssertConfigurationError(try noSession.credentialResolver(ConfigurationOverrides(profile: "lab")).credentialProvider(),
                                    .invalidProfile(profile: "lab", problem: "names sso_session \"nowhere\", which has no [sso-session nowhere] section",
                                                    fix: "run `aws configure sso --profile lab`"))
        let clash = try home(config: Self.sessionConfig.replacingOccurrences(of: "[profile lab]", with: "[profile lab]\nsso_region = eu-west-1"))
        XCTAssertConfigurationError(try clash.credentialResolver(ConfigurationOverrides(profile: "lab")).credentialProvider(),
                                    .invalidProfile(profile: "lab", problem: "sets sso_region to eu-west-1 but its sso-session \"my-sso\" sets us-east-1",
                                                    fix: "remove sso_region from the profile"))
    }
}
