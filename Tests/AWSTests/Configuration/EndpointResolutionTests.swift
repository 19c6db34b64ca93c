import AWS
import XCTest

final class EndpointResolutionTests: XCTestCase {
    private let config = """
        [default]
        endpoint_url = http://127.0.0.1:4001
        services = local
        [services local]
        sqs =
          endpoint_url = http://127.0.0.1:4002/
        [profile ignoring]
        endpoint_url = http://127.0.0.1:4001
        ignore_configured_endpoint_urls = true
        """

    func testPrecedenceFlagThenServiceVariableThenServicesSectionThenGlobalVariableThenProfile() throws {
        let home = try ConfigurationTestHome(config: config)
        func endpoint(_ service: AWSService, _ overrides: ConfigurationOverrides = ConfigurationOverrides()) throws -> ServiceEndpoint {
            try home.resolver(overrides).endpoint(for: service, region: "eu-west-1")
        }
        XCTAssertEqual(try endpoint(.ec2), ServiceEndpoint(service: .ec2, url: "http://127.0.0.1:4001", signingRegion: "eu-west-1",
                                                           source: .configFile(path: home.configPath, section: "default")))
        XCTAssertEqual(try endpoint(.sqs), ServiceEndpoint(service: .sqs, url: "http://127.0.0.1:4002", signingRegion: "eu-west-1",
                                                           source: .configFile(path: home.configPath, section: "services local")))

        home.variables["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4003"
        XCTAssertEqual(try endpoint(.ec2).url, "http://127.0.0.1:4003")
        XCTAssertEqual(try endpoint(.ec2).source, .environment("AWS_ENDPOINT_URL"))
        XCTAssertEqual(try endpoint(.sqs).source, .configFile(path: home.configPath, section: "services local"))

        home.variables["AWS_ENDPOINT_URL_SQS"] = "http://127.0.0.1:4004"
        home.variables["AWS_ENDPOINT_URL_CLOUDFORMATION"] = "http://127.0.0.1:4005"
        XCTAssertEqual(try endpoint(.sqs).source, .environment("AWS_ENDPOINT_URL_SQS"))
        XCTAssertEqual(try endpoint(.cloudformation).url, "http://127.0.0.1:4005")
        XCTAssertEqual(try endpoint(.ec2).source, .environment("AWS_ENDPOINT_URL"))

        let flagged = try endpoint(.sqs, ConfigurationOverrides(endpointURL: "http://localhost:4006"))
        XCTAssertEqual(flagged, ServiceEndpoint(service: .sqs, url: "http://localhost:4006", signingRegion: "eu-west-1",
                                                source: .flag("--endpoint-url")))
    }

    func testEveryServiceHasItsOwnVariable() throws {
        let home = try ConfigurationTestHome()
        for (index, service) in AWSService.allCases.enumerated() {
            home.variables["AWS_ENDPOINT_URL_" + service.rawValue.uppercased()] = "http://127.0.0.1:\(5000 + index)"
        }
        let resolver = try home.resolver()
        for (index, service) in AWSService.allCases.enumerated() {
            XCTAssertEqual(try resolver.endpoint(for: service, region: "us-east-1").url, "http://127.0.0.1:\(5000 + index)")
        }
    }

    func testDefaultsAreAWSPublicEndpointsWithIAMSignedInUSEast1() throws {
        let resolver = try ConfigurationTestHome().resolver()
        let ec2 = try resolver.endpoint(for: .ec2, region: "eu-west-1")
        XCTAssertEqual(ec2, ServiceEndpoint(service: .ec2, url: "https://ec2.eu-west-1.amazonaws.com", signingRegion: "eu-west-1",
                                            source: .builtInDefault))
        XCTAssertFalse(ec2.isCustom)
        XCTAssertEqual(try resolver.endpoint(for: .s3, region: "eu-west-1").url, "https://s3.eu-west-1.amazonaws.com")
        XCTAssertEqual(try resolver.endpoint(for: .sts, region: "eu-west-1").url, "https://sts.eu-west-1.amazonaws.com")
        XCTAssertEqual(try resolver.endpoint(for: .cloudformation, region: "eu-west-1").url, "https://cloudformation.eu-west-1.amazonaws.com")
        let iam = try resolver.endpoint(for: .iam, region: "eu-west-1")
        XCTAssertEqual(iam.url, "https://iam.amazonaws.com")
        XCTAssertEqual(iam.signingRegion, "us-east-1")
    }

    func testConfiguredIAMEndpointIsSignedForTheConfiguredRegion() throws {
        let home = try ConfigurationTestHome()
        home.variables["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5000"
        XCTAssertEqual(try home.resolver().endpoint(for: .iam, region: "eu-west-1").signingRegion, "eu-west-1")
    }

    func testIgnoringConfiguredEndpointsKeepsOnlyTheFlag() throws {
        let home = try ConfigurationTestHome(config: config)
        home.variables["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4003"
        home.variables["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
        XCTAssertEqual(try home.resolver().endpoint(for: .ec2, region: "us-east-1").source, .builtInDefault)
        XCTAssertEqual(try home.resolver(ConfigurationOverrides(endpointURL: "http://127.0.0.1:9")).endpoint(for: .ec2, region: "us-east-1").url,
                       "http://127.0.0.1:9")

        home.variables = [:]
        XCTAssertEqual(try home.resolver(ConfigurationOverrides(profile: "ignoring")).endpoint(for: .ec2, region: "us-east-1").source,
                       .builtInDefault)
    }

    func testInvalidEndpointURLIsAnErrorNamingItsSource() throws {
        let home = try ConfigurationTestHome()
        home.variables["AWS_ENDPOINT_URL_EC2"] = "localhost:5000"
        XCTAssertConfigurationError(try home.resolver().endpoint(for: .ec2, region: "us-east-1"),
                                    .invalidEndpointURL(value: "localhost:5000", source: .environment("AWS_ENDPOINT_URL_EC2")))
        XCTAssertConfigurationError(try home.resolver(ConfigurationOverrides(endpointURL: "ftp://x")).endpoint(for: .s3, region: "us-east-1"),
                                    .invalidEndpointURL(value: "ftp://x", source: .flag("--endpoint-url")))
    }
}
