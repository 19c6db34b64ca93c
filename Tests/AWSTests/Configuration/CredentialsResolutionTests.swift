import AWS
import SigV4
import XCTest

final class CredentialsResolutionTests: XCTestCase {
    private let credentialsFile = """
        [default]
        aws_access_key_id = AKIDCREDSFILEDEFAULT
        aws_secret_access_key = secret-credentials-default
        [dev]
        aws_access_key_id=AKIDCREDSFILEDEV0000
        aws_secret_access_key=secret-credentials-dev
        aws_session_token=token-credentials-dev
        """
    private let configFile = """
        [default]
        aws_access_key_id = AKIDCONFIGDEFAULT000
        aws_secret_access_key = secret-config-default
        [profile dev]
        aws_access_key_id = AKIDCONFIGDEV0000000
        aws_secret_access_key = secret-config-dev
        [profile configonly]
        aws_access_key_id = AKIDCONFIGONLY000000
        aws_secret_access_key = secret-config-only
        aws_security_token = legacy-token
        """

    private func home() throws -> ConfigurationTestHome {
        try ConfigurationTestHome(credentials: credentialsFile, config: configFile)
    }

    private func setEnvironmentKeys(_ home: ConfigurationTestHome, token: String? = nil) {
        home.variables["AWS_ACCESS_KEY_ID"] = "AKIDENVIRONMENT00000"
        home.variables["AWS_SECRET_ACCESS_KEY"] = "secret-environment"
        home.variables["AWS_SESSION_TOKEN"] = token
    }

    func testFlagsWinOverEverything() throws {
        let home = try home()
        setEnvironmentKeys(home)
        let resolved = try home.resolver(ConfigurationOverrides(accessKeyId: "AKIDFLAG000000000000", secretAccessKey: "secret-flag",
                                                                sessionToken: "token-flag")).credentials()
        XCTAssertEqual(resolved.credentials, SigningCredentials(accessKeyId: "AKIDFLAG000000000000", secretAccessKey: "secret-flag",
                                                               sessionToken: "token-flag"))
        XCTAssertEqual(resolved.source, .flag("--access-key-id"))
    }

    func testEnvironmentWinsOverFiles() throws {
        let home = try home()
        setEnvironmentKeys(home, token: "token-environment")
        let resolved = try home.resolver().credentials()
        XCTAssertEqual(resolved.credentials, SigningCredentials(accessKeyId: "AKIDENVIRONMENT00000", secretAccessKey: "secret-environment",
                                                               sessionToken: "token-environment"))
        XCTAssertEqual(resolved.source, .environment("AWS_ACCESS_KEY_ID"))
    }

    func testEnvironmentWinsOverAProfileFromAWSProfile() throws {
        let home = try home()
        setEnvironmentKeys(home)
        home.variables["AWS_PROFILE"] = "dev"
        XCTAssertEqual(try home.resolver().credentials().source, .environment("AWS_ACCESS_KEY_ID"))
    }

    func testProfileFromTheFlagWinsOverEnvironmentKeysAsInTheAWSCLI() throws {
        let home = try home()
        setEnvironmentKeys(home)
        let resolved = try home.resolver(ConfigurationOverrides(profile: "dev")).credentials()
        XCTAssertEqual(resolved.credentials.accessKeyId, "AKIDCREDSFILEDEV0000")
        XCTAssertEqual(resolved.source, .credentialsFile(path: home.credentialsPath, profile: "dev"))
    }

    func testCredentialsFileWinsOverConfigFileAndCarriesTheSessionToken() throws {
        let home = try home()
        home.variables["AWS_PROFILE"] = "dev"
        let resolved = try home.resolver().credentials()
        XCTAssertEqual(resolved.credentials, SigningCredentials(accessKeyId: "AKIDCREDSFILEDEV0000",
                                                               secretAccessKey: "secret-credentials-dev",
                                                               sessionToken: "token-credentials-dev"))
        XCTAssertEqual(resolved.source, .credentialsFile(path: home.credentialsPath, profile: "dev"))
    }

    func testConfigFileIsUsedWhenTheCredentialsFileLacksTheProfile() throws {
        let home = try home()
        let resolved = try home.resolver(ConfigurationOverrides(profile: "configonly")).credentials()
        XCTAssertEqual(resolved.credentials, SigningCredentials(accessKeyId: "AKIDCONFIGONLY000000",
                                                               secretAccessKey: "secret-config-only",
                                                               sessionToken: "legacy-token"))
        XCTAssertEqual(resolved.source, .configFile(path: home.configPath, section: "profile configonly"))
    }

    func testConfigFileDefaultSectionServesTheDefaultProfile() throws {
        let home = try ConfigurationTestHome(config: configFile)
        let resolved = try home.resolver().credentials()
        XCTAssertEqual(resolved.credentials.accessKeyId, "AKIDCONFIGDEFAULT000")
        XCTAssertEqual(resolved.source, .configFile(path: home.configPath, section: "default"))
    }

    func testNoCredentialsAnywhereIsAnErrorSayingWhatToDo() throws {
        let home = try ConfigurationTestHome(config: "[default]\nregion = us-east-1\n")
        XCTAssertConfigurationError(try home.resolver().credentials(),
                                    .noCredentials(profile: "default", checked: ["the environment", home.credentialsPath, home.configPath]))
        do {
            _ = try home.resolver().credentials()
        } catch {
            XCTAssertTrue("\(error)".hasPrefix("No AWS credentials found"), "\(error)")
            XCTAssertTrue("\(error)".contains("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws configure`, or use `--profile`."))
        }
    }

    func testHalfAKeyPairIsAnErrorThatNamesTheMissingHalf() throws {
        let home = try home()
        home.variables["AWS_ACCESS_KEY_ID"] = "AKIDENVIRONMENT00000"
        XCTAssertConfigurationError(try home.resolver().credentials(),
                                    .incompleteCredentials(present: "AWS_ACCESS_KEY_ID", missing: "AWS_SECRET_ACCESS_KEY",
                                                           source: .environment("AWS_ACCESS_KEY_ID")))
        home.variables = ["AWS_SECRET_ACCESS_KEY": "secret-environment"]
        XCTAssertConfigurationError(try home.resolver().credentials(),
                                    .incompleteCredentials(present: "AWS_SECRET_ACCESS_KEY", missing: "AWS_ACCESS_KEY_ID",
                                                           source: .environment("AWS_SECRET_ACCESS_KEY")))
        home.variables = [:]
        XCTAssertConfigurationError(try home.resolver(ConfigurationOverrides(accessKeyId: "AKIDFLAG000000000000")).credentials(),
                                    .incompleteCredentials(present: "--access-key-id", missing: "--secret-access-key",
                                                           source: .flag("--access-key-id")))

        let partialFile = try ConfigurationTestHome(credentials: "[default]\naws_access_key_id = AKIDPARTIAL000000000\n")
        XCTAssertConfigurationError(try partialFile.resolver().credentials(),
                                    .incompleteCredentials(present: "aws_access_key_id", missing: "aws_secret_access_key",
                                                           source: .credentialsFile(path: partialFile.credentialsPath, profile: "default")))
    }

    func testARoleProfileWithoutASourceSaysWhichSettingIsMissing() throws {
        let home = try ConfigurationTestHome(config: "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n")
        XCTAssertConfigurationError(try home.resolver(ConfigurationOverrides(profile: "admin")).credentialProvider(),
                                    .invalidProfile(profile: "admin", problem: "sets role_arn but neither source_profile nor credential_source",
                                                    fix: "add `source_profile = <profile with credentials>` or `credential_source = Environment`, `Ec2InstanceMetadata` or `EcsContainer`"))
    }

    func testNoSecretInDescriptionsOrErrors() throws {
        let home = try home()
        home.variables["AWS_PROFILE"] = "dev"
        let resolved = try home.resolver().credentials()
        var dumped = ""
        dump(resolved, to: &dumped)
        for text in [resolved.description, "\(resolved)", String(reflecting: resolved), dumped] {
            XCTAssertFalse(text.contains("secret-credentials-dev"), text)
            XCTAssertFalse(text.contains("token-credentials-dev"), text)
            XCTAssertFalse(text.contains("AKIDCREDSFILEDEV0000"), text)
        }
        XCTAssertEqual(resolved.description, "AKID…0000 with session token (from profile dev in \(home.credentialsPath))")
    }
}
