import AWS
import XCTest

final class ProfileResolutionTests: XCTestCase {
    private let files = (credentials: "[default]\naws_access_key_id = AKIDDEFAULT0000000000\naws_secret_access_key = s\n"
                                      + "[flagged]\naws_access_key_id = AKIDFLAGGED000000000\naws_secret_access_key = s\n",
                         config: "[profile ncaas]\nregion = eu-west-1\n[profile aws]\nregion = eu-west-2\n[profile legacy]\nregion = eu-west-3\n")

    func testPrecedenceFlagThenNCAASProfileThenAWSProfileThenDefault() throws {
        let home = try ConfigurationTestHome(credentials: files.credentials, config: files.config)
        XCTAssertEqual(try home.resolver().profile, Sourced("default", source: .builtInDefault))

        home.variables["AWS_DEFAULT_PROFILE"] = "legacy"
        XCTAssertEqual(try home.resolver().profile, Sourced("legacy", source: .environment("AWS_DEFAULT_PROFILE")))

        home.variables["AWS_PROFILE"] = "aws"
        XCTAssertEqual(try home.resolver().profile, Sourced("aws", source: .environment("AWS_PROFILE")))

        home.variables["NCAAS_PROFILE"] = "ncaas"
        XCTAssertEqual(try home.resolver().profile, Sourced("ncaas", source: .environment("NCAAS_PROFILE")))

        XCTAssertEqual(try home.resolver(ConfigurationOverrides(profile: "flagged")).profile,
                       Sourced("flagged", source: .flag("--profile")))
    }

    func testBlankValuesCountAsUnset() throws {
        let home = try ConfigurationTestHome(credentials: files.credentials, config: files.config)
        home.variables["AWS_PROFILE"] = "  "
        XCTAssertEqual(try home.resolver(ConfigurationOverrides(profile: "")).profile.value, "default")
    }

    func testExplicitProfileMissingFromBothFilesIsAnErrorNamingTheFiles() throws {
        let home = try ConfigurationTestHome(credentials: files.credentials, config: files.config)
        XCTAssertConfigurationError(try home.resolver(ConfigurationOverrides(profile: "nope")),
                                    .profileNotFound(profile: "nope", source: .flag("--profile"),
                                                     searchedFiles: [home.credentialsPath, home.configPath]))
        home.variables["AWS_PROFILE"] = "missing"
        do {
            _ = try home.resolver()
            XCTFail("expected profileNotFound")
        } catch {
            let message = "\(error)"
            XCTAssertTrue(message.contains("\"missing\""), message)
            XCTAssertTrue(message.contains("from AWS_PROFILE"), message)
            XCTAssertTrue(message.contains(home.credentialsPath) && message.contains(home.configPath), message)
        }
    }

    func testMissingDefaultProfileIsFine() throws {
        let home = try ConfigurationTestHome()
        XCTAssertEqual(try home.resolver().profile.value, "default")
    }

    func testAProfileOnlyInTheConfigFileExists() throws {
        let home = try ConfigurationTestHome(config: "[profile only-config]\nregion = ap-south-1\n")
        XCTAssertEqual(try home.resolver(ConfigurationOverrides(profile: "only-config")).region().value, "ap-south-1")
    }

    func testConfigSectionWithoutProfilePrefixDoesNotDefineAProfile() throws {
        // botocore only reads `[profile name]` (and `[default]`) from the config file.
        let home = try ConfigurationTestHome(config: "[dev]\nregion = ap-south-1\n")
        XCTAssertThrowsError(try home.resolver(ConfigurationOverrides(profile: "dev")))
    }

    func testFileLocationsComeFromTheEnvironment() throws {
        let home = try ConfigurationTestHome()
        let credentials = try home.write("[elsewhere]\naws_access_key_id = AKIDELSEWHERE0000000\naws_secret_access_key = s\n",
                                         to: "custom/creds.ini")
        let config = try home.write("[profile elsewhere]\nregion = sa-east-1\n", to: "custom/conf.ini")
        home.variables["AWS_SHARED_CREDENTIALS_FILE"] = credentials
        home.variables["AWS_CONFIG_FILE"] = "~/custom/conf.ini"   // ~ is expanded
        let resolver = try home.resolver(ConfigurationOverrides(profile: "elsewhere"))
        XCTAssertEqual(try resolver.credentials().source, .credentialsFile(path: credentials, profile: "elsewhere"))
        XCTAssertEqual(try resolver.region(), Sourced("sa-east-1", source: .configFile(path: config, section: "profile elsewhere")))
    }

    func testUnreadableFileIsAnError() throws {
        let home = try ConfigurationTestHome()
        try FileManager.default.createDirectory(atPath: home.credentialsPath, withIntermediateDirectories: true)
        XCTAssertConfigurationError(try home.resolver(),
                                    .unreadableFile(path: home.credentialsPath, reason: "it is a directory"))
    }
}
