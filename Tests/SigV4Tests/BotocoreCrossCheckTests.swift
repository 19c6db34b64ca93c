import Foundation
import SigV4
import XCTest

/// The signer against an independent implementation: botocore (installed with the AWS CLI and
/// boto3 by scripts/setup) signs the same requests, and both must agree on the canonical
/// request and the signature. Inputs are wire-form URLs (already percent-encoded), which is
/// what botocore and ncaas's clients send.
final class BotocoreCrossCheckTests: XCTestCase {
    private struct Case: Codable {
        var flavor: String
        var service: String
        var method: String
        var url: String
        var headers: [[String]]
        var body: String
        var token: String?
    }

    private struct BotocoreResult: Codable {
        var canonicalRequest: String
        var signature: String
    }

    private let cases: [Case] = [
        Case(flavor: "s3", service: "s3", method: "PUT", url: "http://127.0.0.1:5000/bucket/dir%20one/r%C3%A9sum%C3%A9%2B%24%26%3D.txt",
             headers: [["Content-Type", "text/plain"], ["User-Agent", "ncaas"]], body: "hello", token: nil),
        Case(flavor: "s3", service: "s3", method: "GET", url: "http://bucket.s3.eu-west-1.amazonaws.com/a//b/./c%2Fd",
             headers: [["Range", "bytes=0-9"]], body: "", token: "session/token+=="),
        Case(flavor: "s3", service: "s3", method: "GET", url: "http://127.0.0.1:5000/bucket?list-type=2&prefix=a%20b%2Fc&continuation-token=x%2By%3D",
             headers: [], body: "", token: nil),
        Case(flavor: "standard", service: "ec2", method: "POST", url: "http://127.0.0.1:5000/",
             headers: [["Content-Type", "application/x-www-form-urlencoded; charset=utf-8"], ["X-Custom", "  a   b  "]],
             body: "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag%3Aa&Filter.1.Value.1=b+c", token: nil),
        Case(flavor: "standard", service: "cloudformation", method: "GET",
             url: "https://cloudformation.us-east-1.amazonaws.com/a/./b/../c%20d//e/?Version=2010-05-15&Action=ListStacks&StackStatusFilter.member.1=CREATE_COMPLETE",
             headers: [], body: "", token: "tok"),
        Case(flavor: "standard", service: "iam", method: "POST", url: "https://iam.amazonaws.com/", headers: [], body: "", token: nil),
    ]

    private static let script = #"""
    import json, sys
    from botocore.auth import SigV4Auth, S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    out = []
    for case in json.load(sys.stdin):
        credentials = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", case.get("token"))
        auth_class = S3SigV4Auth if case["flavor"] == "s3" else SigV4Auth
        region = "us-east-1"
        auth = auth_class(credentials, case["service"], region)
        request = AWSRequest(method=case["method"], url=case["url"], headers=dict(case["headers"]),
                             data=case["body"].encode())
        request.context["timestamp"] = "20150830T123600Z"
        auth._modify_request_before_signing(request)
        canonical = auth.canonical_request(request)
        string_to_sign = auth.string_to_sign(request, canonical)
        out.append({"canonicalRequest": canonical, "signature": auth.signature(string_to_sign, request)})
    json.dump(out, sys.stdout)
    """#

    func testSignerAgreesWithBotocore() throws {
        let expected = try runBotocore(cases)
        XCTAssertEqual(expected.count, cases.count)
        let date = ISO8601DateFormatter().date(from: "2015-08-30T12:36:00Z")!
        for (testCase, botocore) in zip(cases, expected) {
            let signer = SigV4Signer(credentials: SigningCredentials(accessKeyId: "AKIDEXAMPLE",
                                                                     secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                                                     sessionToken: testCase.token),
                                     region: "us-east-1", service: testCase.service,
                                     flavor: testCase.flavor == "s3" ? .s3 : .standard)
            let result = signer.signature(method: testCase.method, url: testCase.url,
                                          headers: testCase.headers.map { (name: $0[0], value: $0[1]) },
                                          payloadSHA256Hex: SHA256Hex.hash(Data(testCase.body.utf8)), date: date)
            XCTAssertEqual(result.canonicalRequest, botocore.canonicalRequest, testCase.url)
            XCTAssertEqual(result.signature, botocore.signature, testCase.url)
        }
    }

    private func runBotocore(_ cases: [Case]) throws -> [BotocoreResult] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(try JSONEncoder().encode(cases))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CrossCheckError(description: "python3 with botocore failed (scripts/setup installs awscli/boto3): \(errorText)")
        }
        return try JSONDecoder().decode([BotocoreResult].self, from: data)
    }

    private struct CrossCheckError: Error, CustomStringConvertible {
        var description: String
    }
}
