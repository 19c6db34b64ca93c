import AWS
import XCTest

/// Endpoints and signing regions per partition: commercial, GovCloud, China.
final class PartitionTests: XCTestCase {
    func testThePartitionFollowsTheRegionName() {
        XCTAssertEqual(AWSPartition(region: "us-east-1"), .aws)
        XCTAssertEqual(AWSPartition(region: "eu-central-2"), .aws)
        XCTAssertEqual(AWSPartition(region: "us-gov-west-1"), .govCloud)
        XCTAssertEqual(AWSPartition(region: "us-gov-east-1"), .govCloud)
        XCTAssertEqual(AWSPartition(region: "cn-north-1"), .china)
        XCTAssertEqual(AWSPartition(region: "cn-northwest-1"), .china)
        XCTAssertEqual(AWSPartition(region: "cn-northwest-1").id, "aws-cn")
        XCTAssertEqual(AWSPartition(region: "us-gov-east-1").id, "aws-us-gov")
    }

    func testIAMHasOneEndpointAndSigningRegionPerPartition() {
        XCTAssertEqual(AWSService.iam.defaultEndpoint(region: "eu-west-1"), "https://iam.amazonaws.com")
        XCTAssertEqual(AWSService.iam.defaultSigningRegion(region: "eu-west-1"), "us-east-1")
        XCTAssertEqual(AWSService.iam.defaultEndpoint(region: "us-gov-east-1"), "https://iam.us-gov.amazonaws.com")
        XCTAssertEqual(AWSService.iam.defaultSigningRegion(region: "us-gov-east-1"), "us-gov-west-1")
        XCTAssertEqual(AWSService.iam.defaultEndpoint(region: "cn-northwest-1"), "https://iam.cn-north-1.amazonaws.com.cn")
        XCTAssertEqual(AWSService.iam.defaultSigningRegion(region: "cn-northwest-1"), "cn-north-1")
    }

    func testRegionalServicesUseThePartitionsDomain() {
        XCTAssertEqual(AWSService.ec2.defaultEndpoint(region: "us-gov-west-1"), "https://ec2.us-gov-west-1.amazonaws.com")
        XCTAssertEqual(AWSService.sts.defaultEndpoint(region: "cn-north-1"), "https://sts.cn-north-1.amazonaws.com.cn")
        XCTAssertEqual(AWSService.s3.defaultEndpoint(region: "cn-northwest-1"), "https://s3.cn-northwest-1.amazonaws.com.cn")
        XCTAssertEqual(AWSService.cloudformation.defaultSigningRegion(region: "us-gov-west-1"), "us-gov-west-1")
        for service in AWSService.allCases where service != .iam && service != .pricing {
            XCTAssertEqual(service.defaultSigningRegion(region: "cn-north-1"), "cn-north-1")
        }
    }

    func testThePriceListHasOneEndpointPerPartition() {
        XCTAssertEqual(AWSService.pricing.defaultEndpoint(region: "eu-west-2"), "https://api.pricing.us-east-1.amazonaws.com")
        XCTAssertEqual(AWSService.pricing.defaultSigningRegion(region: "eu-west-2"), "us-east-1")
        XCTAssertEqual(AWSService.pricing.defaultEndpoint(region: "cn-north-1"), "https://api.pricing.cn-northwest-1.amazonaws.com.cn")
    }

    func testAClientSignsIAMForThePartitionsRegion() {
        let client = AWSClient(region: "us-gov-east-1", credentials: .init(accessKeyId: "AKID", secretAccessKey: "s"), transport: CurlTransport())
        XCTAssertEqual(client.signingRegion(for: .iam), "us-gov-west-1")
        XCTAssertEqual(try client.endpointURL(for: .iam).base, "https://iam.us-gov.amazonaws.com")
        XCTAssertEqual(client.signingRegion(for: .ec2), "us-gov-east-1")
    }

    func testServicePrincipalsAndARNs() {
        XCTAssertEqual(AWSPartition.china.servicePrincipal("ec2"), "ec2.amazonaws.com.cn")
        XCTAssertEqual(AWSPartition.govCloud.servicePrincipal("ec2"), "ec2.amazonaws.com")
        XCTAssertEqual(AWSPartition.china.servicePrincipal("s3"), "s3.amazonaws.com")
        XCTAssertEqual(AWSPartition.china.arn(service: "s3", resource: "bucket"), "arn:aws-cn:s3:::bucket")
        XCTAssertEqual(AWSPartition.govCloud.arn(service: "iam", account: "123456789012", resource: "role/x"),
                       "arn:aws-us-gov:iam::123456789012:role/x")
    }
}
