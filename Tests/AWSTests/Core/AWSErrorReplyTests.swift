import XCTest
@testable import AWS

final class AWSErrorReplyTests: XCTestCase {
    private func parse(_ status: Int, _ body: String, headers: [(name: String, value: String)] = [], service: AWSService = .ec2) -> AWSError {
        AWSErrorReply.parse(response: HTTPResponse(status: status, headers: headers, body: Data(body.utf8)),
                            service: service, operation: "Op", attempts: 1)
    }

    func testReadsTheThreeAWSErrorShapes() {
        let ec2 = parse(401, "<Response><Errors><Error><Code>AuthFailure</Code><Message>bad</Message></Error></Errors><RequestID>r-1</RequestID></Response>")
        XCTAssertEqual([ec2.code, ec2.message, ec2.requestId], ["AuthFailure", "bad", "r-1"])
        let query = parse(403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>r-2</RequestId></ErrorResponse>", service: .iam)
        XCTAssertEqual([query.code, query.message, query.requestId], ["AccessDenied", "no", "r-2"])
        let s3 = parse(404, "<Error><Code>NoSuchKey</Code><Message>gone</Message><RequestId>r-3</RequestId></Error>", service: .s3)
        XCTAssertEqual([s3.code, s3.message, s3.requestId], ["NoSuchKey", "gone", "r-3"])
    }

    func testBodilessReplyGetsCodeFromStatusAndRequestIdFromHeader() {
        let error = parse(404, "", headers: [(name: "x-amz-request-id", value: "hdr")], service: .s3)
        XCTAssertEqual(error.code, "NotFound")
        XCTAssertEqual(error.requestId, "hdr")
    }

    func testDescriptionIsOneSentenceWithHintAndNoSecret() {
        let error = AWSError(service: .ec2, operation: "DescribeInstances", status: 401, code: "AuthFailure",
                             message: "AWS was not able to validate the provided access credentials", requestId: "abc")
        XCTAssertEqual(error.description,
                       "EC2 refused DescribeInstances: AuthFailure — AWS was not able to validate the provided access credentials (request id abc). Check your access key and secret.")
        let denied = AWSError(service: .s3, operation: "PutObject", status: 403, code: "AccessDenied", message: "Access Denied", attempts: 2)
        XCTAssertTrue(denied.description.contains("(after 2 attempts)"))
        XCTAssertTrue(denied.isAccessDenied)
        XCTAssertNotNil(denied.hint)
    }
}
