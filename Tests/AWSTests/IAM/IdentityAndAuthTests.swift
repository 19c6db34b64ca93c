import XCTest
@testable import AWS
import SigV4

/// STS, IAM, and how rejected credentials and missing permissions surface, against moto
/// with signature and IAM checks on.
final class IdentityAndAuthTests: MotoTestCase {
    func testCallerIdentityIsTheBootstrappedAdmin() throws {
        let identity = try moto.client().sts.getCallerIdentity()
        XCTAssertEqual(identity.arn, "arn:aws:iam::\(identity.account):user/\(try moto.adminUserName)")
        XCTAssertFalse(identity.userId.isEmpty)
    }

    func testUserGroupAccessKeyAndPolicyLifecycle() throws {
        let iam = IAMClient(try moto.client())
        let user = try iam.createUser(userName: "alice", path: "/affiliates/")
        XCTAssertEqual(user.userName, "alice")
        XCTAssertTrue(user.arn.hasSuffix(":user/affiliates/alice"), user.arn)
        XCTAssertEqual(try iam.getUser(userName: "alice").userId, user.userId)

        let group = try iam.createGroup(groupName: "grpa")
        XCTAssertEqual(group.groupName, "grpa")
        try iam.addUserToGroup(userName: "alice", groupName: "grpa")
        XCTAssertEqual(try iam.listGroupsForUser(userName: "alice").map(\.groupName), ["grpa"])

        try iam.putUserPolicy(userName: "alice", policyName: "read", document: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#)
        XCTAssertEqual(try iam.listUserPolicies(userName: "alice"), ["read"])
        XCTAssertEqual(try iam.listAttachedUserPolicies(userName: "alice"), [])

        let key = try iam.createAccessKey(userName: "alice")
        XCTAssertTrue(key.accessKeyId.hasPrefix("AKIA"))
        XCTAssertFalse(key.secretAccessKey.isEmpty)
        XCTAssertFalse("\(key)".contains(key.secretAccessKey), "the description must not show the secret")
        XCTAssertEqual(try iam.listAccessKeys(userName: "alice"), [key.accessKeyId])

        // The new key works, and is who it says it is.
        let asAlice = STSClient(try moto.client(credentials: SigningCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey)))
        XCTAssertTrue(try asAlice.getCallerIdentity().arn.hasSuffix("user/affiliates/alice"))

        try iam.deleteAccessKey(userName: "alice", accessKeyId: key.accessKeyId)
        try iam.deleteUserPolicy(userName: "alice", policyName: "read")
        try iam.removeUserFromGroup(userName: "alice", groupName: "grpa")
        try iam.deleteGroup(groupName: "grpa")
        try iam.deleteUser(userName: "alice")
        XCTAssertThrowsError(try iam.getUser(userName: "alice")) { error in
            XCTAssertEqual((error as? AWSError)?.code, "NoSuchEntity", "\(error)")
        }
    }

    func testWrongSecretIsRejectedWithAClearSignatureError() throws {
        let moto = try moto
        let wrong = SigningCredentials(accessKeyId: moto.admin.accessKeyId, secretAccessKey: "not-the-secret")
        let client = moto.client(credentials: wrong)
        for call in [{ _ = try EC2Client(client).describeInstances() },
                     { _ = try STSClient(client).getCallerIdentity() },
                     { _ = try S3Client(client).listObjectsV2Page(bucket: "any-bucket") }] as [() throws -> Void] {
            XCTAssertThrowsError(try call()) { error in
                guard let error = error as? AWSError else { return XCTFail("not an AWSError: \(error)") }
                XCTAssertTrue(error.isAuthenticationFailure, "\(error)")
                XCTAssertTrue(["SignatureDoesNotMatch", "AuthFailure"].contains(error.code), error.code)
                XCTAssertEqual(error.attempts, 1, "a rejected signature is not retried")
                XCTAssertTrue(error.description.contains("Check your"), error.description)
                XCTAssertFalse(error.description.contains("not-the-secret"))
            }
        }
    }

    func testUnknownAccessKeyIsRejected() throws {
        let client = try moto.client(credentials: SigningCredentials(accessKeyId: "AKIANOSUCHKEY0000000", secretAccessKey: "x"))
        XCTAssertThrowsError(try IAMClient(client).getUser()) { error in
            let error = error as? AWSError
            XCTAssertEqual(error?.code, "InvalidClientTokenId", "\(String(describing: error))")
            XCTAssertEqual(error?.hint, "Check your access key and secret.")
        }
    }

    func testUserWithoutPermissionGetsAccessDenied() throws {
        let moto = try moto
        let readOnly = try moto.credentials(forUser: "viewer", policy:
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"}]}"#)
        let client = moto.client(credentials: readOnly)
        XCTAssertNoThrow(try EC2Client(client).describeInstances())
        XCTAssertThrowsError(try EC2Client(client).createSecurityGroup(groupName: "nope", description: "denied")) { error in
            guard let error = error as? AWSError else { return XCTFail("not an AWSError: \(error)") }
            XCTAssertTrue(error.isAccessDenied, "\(error)")
            XCTAssertTrue(error.description.hasPrefix("EC2 refused CreateSecurityGroup: "), error.description)
            XCTAssertTrue(error.description.contains("IAM policy does not allow"), error.description)
        }
        XCTAssertThrowsError(try IAMClient(client).createUser(userName: "mallory")) { error in
            XCTAssertEqual((error as? AWSError)?.isAccessDenied, true, "\(error)")
        }
    }
}
