import AWS
import Foundation
import SigV4
import TestSupport
import XCTest

final class AWSConfigurationTests: XCTestCase {
    func testResolveGathersEverythingWithSources() throws {
        let home = try ConfigurationTestHome(
            credentials: "[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
            config: "[profile dev]\nregion = eu-west-1\n")
        home.variables["AWS_PROFILE"] = "dev"
        home.variables["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9000"
        let configuration = try home.resolver().resolve(fallbackRegion: .fallback("us-west-1", "blueprint REGION"))

        XCTAssertEqual(configuration.profile, Sourced("dev", source: .environment("AWS_PROFILE")))
        XCTAssertEqual(configuration.region, Sourced("eu-west-1", source: .configFile(path: home.configPath, section: "profile dev")))
        XCTAssertEqual(configuration.credentials.source, .credentialsFile(path: home.credentialsPath, profile: "dev"))
        XCTAssertEqual(Set(configuration.endpoints.keys), Set(AWSService.allCases))
        XCTAssertEqual(configuration.endpoint(for: .s3).url, "http://127.0.0.1:9000")
        XCTAssertEqual(configuration.endpoint(for: .ec2).url, "https://ec2.eu-west-1.amazonaws.com")
        XCTAssertEqual(configuration.customEndpointURLs, [.s3: "http://127.0.0.1:9000"])

        let text = configuration.description
        XCTAssertTrue(text.contains("region eu-west-1 (from [profile dev] in \(home.configPath))"), text)
        XCTAssertTrue(text.contains("credentials AKIA…MPLE (from profile dev in \(home.credentialsPath))"), text)
        XCTAssertTrue(text.contains("s3 endpoint http://127.0.0.1:9000 (from AWS_ENDPOINT_URL_S3, signed for eu-west-1)"), text)
        XCTAssertTrue(text.contains("iam endpoint https://iam.amazonaws.com (default, signed for us-east-1)"), text)
        XCTAssertFalse(text.contains("wJalrXUtnFEMI"), text)
        XCTAssertFalse(text.contains("AKIAIOSFODNN7EXAMPLE"), text)
    }

    func testResolveReportsTheFirstMissingPiece() throws {
        let home = try ConfigurationTestHome()
        XCTAssertConfigurationError(try home.resolver().resolve(), .noRegion(profile: "default"))
    }

    func testProcessEntryPointReadsTheRealEnvironment() throws {
        let resolver = try AWSConfigurationResolver.forProcess()
        XCTAssertEqual(resolver.environment.variables, ProcessInfo.processInfo.environment)
        XCTAssertNotNil(resolver.environment.homeDirectory)
    }

    func testAResolvedConfigurationTalksToAnEndpoint() throws {
        // End to end: environment → resolver → AWSClient → signed STS call to moto.
        let moto = try MotoServer(checksAuth: false)
        defer { moto.stop() }
        let home = try ConfigurationTestHome()
        home.variables = ["AWS_ACCESS_KEY_ID": "AKIDCONFIGTEST000000", "AWS_SECRET_ACCESS_KEY": "secret",
                          "AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL": moto.endpoint]
        let configuration = try home.resolver().resolve()
        let client = AWSClient(configuration: configuration, transport: CurlTransport())
        XCTAssertEqual(client.region, "eu-west-1")
        XCTAssertEqual(try client.endpointURL(for: .sts).base, moto.endpoint)
        XCTAssertEqual(client.signingRegion(for: .iam), "eu-west-1")
        let identity = try STSClient(client).getCallerIdentity()
        XCTAssertFalse(identity.account.isEmpty)
    }
}
