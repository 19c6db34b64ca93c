import XCTest
@testable import AWS

final class EndpointURLTests: XCTestCase {
    func testSplitsEndpointsAndDropsDefaultPorts() throws {
        let local = try XCTUnwrap(EndpointURL("http://127.0.0.1:5000/"))
        XCTAssertEqual(local.hostHeader, "127.0.0.1:5000")
        XCTAssertEqual(local.url(path: "/b/k", query: "x=1"), "http://127.0.0.1:5000/b/k?x=1")
        XCTAssertEqual(EndpointURL("https://s3.amazonaws.com:443")?.hostHeader, "s3.amazonaws.com")
        XCTAssertNil(EndpointURL("127.0.0.1:5000"))
        XCTAssertNil(EndpointURL("ftp://host"))
    }

    func testReaddressesQueueURLsThroughTheEndpoint() throws {
        let endpoint = try XCTUnwrap(EndpointURL("http://127.0.0.1:5000"))
        XCTAssertEqual(endpoint.readdress("https://sqs.us-east-1.amazonaws.com/123456789012/jobs"),
                       "http://127.0.0.1:5000/123456789012/jobs")
    }

    func testPercentEncodingKeepsUnreservedAndOptionallySlashes() {
        XCTAssertEqual(PercentEncoding.encode("a b/c+d~é"), "a%20b%2Fc%2Bd~%C3%A9")
        XCTAssertEqual(PercentEncoding.encodePath("a b/c+d"), "a%20b/c%2Bd")
        XCTAssertEqual(PercentEncoding.formEncode([("Action", "RunInstances"), ("Tag.1.Value", "a b+c=d&e")]),
                       "Action=RunInstances&Tag.1.Value=a+b%2Bc%3Dd%26e")
    }

    func testS3AddressesPathStyleOnCustomEndpointsAndVirtualHostOnAWS() throws {
        let local = S3Client(AWSClient(region: "us-west-2", credentials: .init(accessKeyId: "a", secretAccessKey: "b"),
                                       transport: CurlTransport(), endpoint: "http://127.0.0.1:5000"))
        XCTAssertEqual(try local.url(bucket: "bkt", key: "x y/z", query: [("uploads", nil)]), "http://127.0.0.1:5000/bkt/x%20y/z?uploads")
        let aws = S3Client(AWSClient(region: "eu-west-1", credentials: .init(accessKeyId: "a", secretAccessKey: "b"),
                                     transport: CurlTransport()))
        XCTAssertEqual(try aws.url(bucket: "bkt", key: "k"), "https://bkt.s3.eu-west-1.amazonaws.com/k")
        XCTAssertEqual(try aws.url(bucket: "my.dotted.bucket"), "https://s3.eu-west-1.amazonaws.com/my.dotted.bucket")
    }
}
