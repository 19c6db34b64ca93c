import XCTest
@testable import AWS

/// GetUserPolicy and GetGroupPolicy against moto with signature and IAM checks on.
final class IAMInlinePolicyTests: MotoTestCase {
    private let document = #"{"Version":"2012-10-17","Statement":[{"Sid":"Inputs","Effect":"Allow","Action":["s3:PutObject"],"Resource":"arn:aws:s3:::b/lab a/inputs/*","Condition":{"StringLike":{"s3:prefix":["lab+a/%"]}}}]}"#

    private func parsed(_ text: String) throws -> NSDictionary {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
    }

    func testAUsersAndAGroupsPolicyComeBackDecoded() throws {
        let iam = IAMClient(try moto.client())
        _ = try iam.createUser(userName: "policy-reader")
        try iam.putUserPolicy(userName: "policy-reader", policyName: "reads", document: document)
        let user = try iam.getUserPolicy(userName: "policy-reader", policyName: "reads")
        XCTAssertEqual(user.policyName, "reads")
        XCTAssertEqual(try parsed(user.document), try parsed(document), user.document)

        _ = try iam.createGroup(groupName: "policy-readers")
        try iam.putGroupPolicy(groupName: "policy-readers", policyName: "reads", document: document)
        let group = try iam.getGroupPolicy(groupName: "policy-readers", policyName: "reads")
        XCTAssertEqual(try parsed(group.document), try parsed(document), group.document)
    }

    func testAMissingPolicyIsNoSuchEntity() throws {
        let iam = IAMClient(try moto.client())
        _ = try iam.createUser(userName: "no-policies")
        XCTAssertThrowsError(try iam.getUserPolicy(userName: "no-policies", policyName: "absent")) { error in
            XCTAssertEqual((error as? AWSError)?.isNoSuchEntity, true, "\(error)")
        }
        XCTAssertThrowsError(try iam.getGroupPolicy(groupName: "no-such-group", policyName: "absent")) { error in
            XCTAssertEqual((error as? AWSError)?.isNoSuchEntity, true, "\(error)")
        }
    }

    func testPercentEncodedDocumentsAreDecoded() {
        XCTAssertEqual(IAMClient.decodedDocument("%7B%22a%22%3A%22b%2Bc%25%22%7D"), #"{"a":"b+c%"}"#)
        XCTAssertEqual(IAMClient.decodedDocument(#"{"a":"100%"}"#), #"{"a":"100%"}"#, "already JSON: left alone")
    }
}
