import Foundation
import SigV4
import XCTest

/// The S3 flavor against the worked examples in AWS's S3 documentation ("Signature
/// Version 4: Authenticating requests using the Authorization header", examplebucket).
final class S3SigningTests: XCTestCase {
    private let credentials = SigningCredentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE",
                                                 secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    private let date = ISO8601DateFormatter().date(from: "2013-05-24T00:00:00Z")!
    private var signer: SigV4Signer { SigV4Signer(credentials: credentials, region: "us-east-1", service: "s3", flavor: .s3) }

    func testGetObjectExampleFromTheS3Documentation() {
        let result = signer.signature(method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt",
                                      headers: [(name: "Range", value: "bytes=0-9")],
                                      payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        XCTAssertEqual(result.canonicalRequest, """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        XCTAssertEqual(result.stringToSign, """
            AWS4-HMAC-SHA256
            20130524T000000Z
            20130524/us-east-1/s3/aws4_request
            7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
            """)
        XCTAssertEqual(result.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        XCTAssertEqual(result.authorization,
                       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                       + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                       + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    func testPutObjectExampleEncodesTheDollarInTheKeyOnce() {
        let body = "Welcome to Amazon S3."
        let payloadHash = SHA256Hex.hash(Data(body.utf8))
        XCTAssertEqual(payloadHash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let result = signer.signature(method: "PUT", url: "https://examplebucket.s3.amazonaws.com/test%24file.text",
                                      headers: [(name: "Date", value: "Fri, 24 May 2013 00:00:00 GMT"),
                                                (name: "x-amz-storage-class", value: "REDUCED_REDUNDANCY")],
                                      payloadSHA256Hex: payloadHash, date: date)
        XCTAssertTrue(result.canonicalRequest.hasPrefix("PUT\n/test%24file.text\n\n"), result.canonicalRequest)
        XCTAssertEqual(result.signedHeaders, "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class")
        XCTAssertEqual(result.signature, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    func testListObjectsExampleSortsTheQuery() {
        let result = signer.signature(method: "GET", url: "https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2",
                                      headers: [], payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        XCTAssertEqual(result.canonicalRequest.components(separatedBy: "\n")[2], "max-keys=2&prefix=J")
        XCTAssertEqual(result.signature, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    func testKeyWithSpacesAndUnicodeIsEncodedOnceAndNotNormalized() {
        // On the wire: bucket "b", key "my dir//./résumé+1.txt" percent-encoded once.
        let url = "https://s3.us-east-1.amazonaws.com/b/my%20dir//./r%C3%A9sum%C3%A9%2B1.txt"
        let s3 = signer.canonicalRequest(method: "GET", url: url, headers: [], payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        XCTAssertEqual(s3.components(separatedBy: "\n")[1], "/b/my%20dir//./r%C3%A9sum%C3%A9%2B1.txt")

        // The same URL for any other service is normalized and encoded a second time.
        let standard = SigV4Signer(credentials: credentials, region: "us-east-1", service: "ec2")
            .canonicalRequest(method: "GET", url: url, headers: [], payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        XCTAssertEqual(standard.components(separatedBy: "\n")[1], "/b/my%2520dir/r%25C3%25A9sum%25C3%25A9%252B1.txt")
    }

    func testRawCharactersInAnS3KeyAreEncodedLikeTheirEncodedForm() {
        let raw = signer.signature(method: "GET", url: "https://b.s3.amazonaws.com/a b/é", headers: [],
                                   payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        let encoded = signer.signature(method: "GET", url: "https://b.s3.amazonaws.com/a%20b/%C3%A9", headers: [],
                                       payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        XCTAssertEqual(raw.signature, encoded.signature)
    }

    func testContentSHA256HeaderIsAddedAndSigned() {
        let payloadHash = SHA256Hex.hash(Data("hello".utf8))
        let headers = signer.sign(method: "PUT", url: "https://b.s3.amazonaws.com/k", headers: [],
                                  payloadSHA256Hex: payloadHash, date: date)
        let contentHash = headers.filter { $0.name.lowercased() == "x-amz-content-sha256" }
        XCTAssertEqual(contentHash.map(\.value), [payloadHash])
        let authorization = headers.first { $0.name == "Authorization" }?.value ?? ""
        XCTAssertTrue(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date,"), authorization)
    }

    func testUnsignedPayloadIsSignedAsTheLiteral() {
        let result = signer.signature(method: "PUT", url: "https://b.s3.amazonaws.com/k", headers: [],
                                      payloadSHA256Hex: SHA256Hex.unsignedPayload, date: date)
        XCTAssertTrue(result.canonicalRequest.hasSuffix("\nUNSIGNED-PAYLOAD"))
        XCTAssertTrue(result.headers.contains { $0.name == "X-Amz-Content-SHA256" && $0.value == "UNSIGNED-PAYLOAD" })
    }

    func testStandardFlavorAddsNoContentHashHeader() {
        let headers = SigV4Signer(credentials: credentials, region: "us-east-1", service: "ec2")
            .sign(method: "GET", url: "https://ec2.us-east-1.amazonaws.com/?Action=DescribeInstances", headers: [],
                  payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        XCTAssertEqual(headers.map(\.name), ["X-Amz-Date", "Authorization"])
    }
}
