import AWS
import XCTest

final class RegionResolutionTests: XCTestCase {
    private let config = "[default]\nregion = eu-central-1\n[profile dev]\nregion = ap-northeast-1 # Tokyo\n"

    func testPrecedenceFlagThenAWSRegionThenDefaultRegionThenProfileThenFallback() throws {
        let home = try ConfigurationTestHome(config: config)
        let blueprint = Sourced.fallback("us-west-1", "blueprint REGION")
        XCTAssertEqual(try home.resolver().region(fallback: blueprint),
                       Sourced("eu-central-1", source: .configFile(path: home.configPath, section: "default")))

        home.variables["AWS_DEFAULT_REGION"] = "us-east-2"
        XCTAssertEqual(try home.resolver().region(fallback: blueprint), Sourced("us-east-2", source: .environment("AWS_DEFAULT_REGION")))

        home.variables["AWS_REGION"] = "ca-central-1"
        XCTAssertEqual(try home.resolver().region(fallback: blueprint), Sourced("ca-central-1", source: .environment("AWS_REGION")))

        XCTAssertEqual(try home.resolver(ConfigurationOverrides(region: "sa-east-1")).region(fallback: blueprint),
                       Sourced("sa-east-1", source: .flag("--region")))
    }

    func testProfileRegionWithInlineComment() throws {
        let home = try ConfigurationTestHome(config: config)
        XCTAssertEqual(try home.resolver(ConfigurationOverrides(profile: "dev")).region().value, "ap-northeast-1")
    }

    func testRegionInTheCredentialsFileCountsAsInBotocore() throws {
        let home = try ConfigurationTestHome(credentials: "[default]\nregion = eu-north-1\n", config: config)
        XCTAssertEqual(try home.resolver().region(),
                       Sourced("eu-north-1", source: .credentialsFile(path: home.credentialsPath, profile: "default")))
    }

    func testFallbackIsUsedOnlyWhenNothingElseIsSet() throws {
        let home = try ConfigurationTestHome()
        let resolved = try home.resolver().region(fallback: .fallback("us-west-1", "blueprint REGION"))
        XCTAssertEqual(resolved, Sourced("us-west-1", source: .fallback("blueprint REGION")))
        XCTAssertEqual(resolved.description, "us-west-1 (from blueprint REGION)")
    }

    func testNoRegionIsAnError() throws {
        let home = try ConfigurationTestHome()
        XCTAssertConfigurationError(try home.resolver().region(), .noRegion(profile: "default"))
        XCTAssertConfigurationError(try home.resolver().region(fallback: .fallback("  ", "blueprint REGION")), .noRegion(profile: "default"))
    }

    func testRegionThatCannotBeAHostLabelIsRejected() throws {
        let home = try ConfigurationTestHome()
        home.variables["AWS_REGION"] = "us-east-1.evil.example/"
        XCTAssertConfigurationError(try home.resolver().region(),
                                    .invalidRegion(value: "us-east-1.evil.example/", source: .environment("AWS_REGION")))
    }
}
