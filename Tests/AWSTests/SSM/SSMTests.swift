import XCTest
@testable import AWS
import SigV4

/// SSM Parameter Store against moto with signature and IAM checks on.
final class SSMTests: MotoTestCase {
    func testPutGetOverwriteAndDelete() throws {
        let ssm = SSMClient(try moto.client())
        let name = "/ncaas/ssm-test/config"
        let value = #"{"AMI": "ami-0123abcd", "note": "x & y < z", "unicode": "é"}"#
        XCTAssertEqual(try ssm.putParameter(name: name, value: value, description: "a test"), 1)
        let read = try ssm.getParameter(name: name)
        XCTAssertEqual(read.name, name)
        XCTAssertEqual(read.value, value)
        XCTAssertEqual(read.type, "String")
        XCTAssertEqual(read.version, 1)

        // Overwrite replaces the value and bumps the version.
        XCTAssertEqual(try ssm.putParameter(name: name, value: "{}"), 2)
        XCTAssertEqual(try ssm.parameter(named: name)?.value, "{}")
        XCTAssertEqual(try ssm.parameter(named: name)?.version, 2)

        try ssm.deleteParameter(name: name)
        XCTAssertNil(try ssm.parameter(named: name))
    }

    func testAMissingParameterIsATypedError() throws {
        let ssm = SSMClient(try moto.client())
        XCTAssertThrowsError(try ssm.getParameter(name: "/ncaas/no-such-parameter")) { error in
            let error = error as? AWSError
            XCTAssertEqual(error?.service, .ssm)
            XCTAssertEqual(error?.code, "ParameterNotFound", "\(String(describing: error))")
            XCTAssertEqual(error?.isParameterNotFound, true)
            XCTAssertTrue(error?.description.hasPrefix("SSM refused GetParameter: ") ?? false, "\(String(describing: error))")
        }
        XCTAssertThrowsError(try ssm.deleteParameter(name: "/ncaas/no-such-parameter")) { error in
            XCTAssertEqual((error as? AWSError)?.isParameterNotFound, true, "\(error)")
        }
    }

    func testCallsAreSignedAndChecked() throws {
        let moto = try moto
        // A user who may only read cannot write: moto checks the SigV4 signature and the policy.
        let reader = try moto.credentials(forUser: "ssm-reader", policy: #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssm:GetParameter"], "Resource": "*"}]}"#)
        let admin = SSMClient(moto.client())
        _ = try admin.putParameter(name: "/ncaas/ssm-test/readable", value: "v")
        let readOnly = SSMClient(moto.client(credentials: reader))
        XCTAssertEqual(try readOnly.getParameter(name: "/ncaas/ssm-test/readable").value, "v")
        XCTAssertThrowsError(try readOnly.putParameter(name: "/ncaas/ssm-test/readable", value: "w")) { error in
            XCTAssertEqual((error as? AWSError)?.isAccessDenied, true, "\(error)")
        }
        let forged = SSMClient(moto.client(credentials: SigningCredentials(accessKeyId: reader.accessKeyId, secretAccessKey: "wrong")))
        XCTAssertThrowsError(try forged.getParameter(name: "/ncaas/ssm-test/readable")) { error in
            XCTAssertEqual((error as? AWSError)?.status, 403, "\(error)")
        }
        XCTAssertEqual(try admin.getParameter(name: "/ncaas/ssm-test/readable").value, "v")
    }
}

/// JSON-protocol error replies.
final class JSONErrorReplyTests: XCTestCase {
    func testTheCodeLosesItsNamespaceAndEitherMessageSpellingIsRead() throws {
        let reply = try XCTUnwrap(JSONErrorReply(Data(#"{"__type": "com.amazonaws.ssm#ParameterNotFound", "message": "gone"}"#.utf8)))
        XCTAssertEqual(reply.code, "ParameterNotFound")
        XCTAssertEqual(reply.message, "gone")
        XCTAssertEqual(JSONErrorReply(Data(#"{"__type": "AccessDeniedException", "Message": "no"}"#.utf8))?.message, "no")
        XCTAssertNil(JSONErrorReply(Data("<Error><Code>X</Code></Error>".utf8)))
        XCTAssertNil(JSONErrorReply(Data(#"{"Parameter": {}}"#.utf8)))
    }
}
