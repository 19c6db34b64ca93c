import Foundation
import SigV4
import XCTest

/// AWS's published SigV4 test suite (31 cases), compared byte for byte.
final class SigV4TestSuiteTests: XCTestCase {
    private func loadSuite() throws -> (root: URL, cases: [SigV4TestSuiteCase]) {
        let root = SigV4TestSuiteCase.locateSuite()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SigV4TestSuiteCase.ParseError(description: "SigV4 test vectors not found at \(root.path). "
                + "Place aws-sig-v4-test-suite there (CI puts shared/ next to the repository) "
                + "or set NCAAS_SIGV4_VECTORS to its folder.")
        }
        return (root, try SigV4TestSuiteCase.all(in: root))
    }

    func testSuiteHasExactly31Cases() throws {
        let suite = try loadSuite()
        XCTAssertEqual(suite.cases.count, 31, "cases found: \(suite.cases.map(\.name))")
    }

    func testEveryCaseMatchesByteForByte() throws {
        let suite = try loadSuite()
        let token = try SigV4TestSuiteCase.sessionToken(in: suite.root)
        var casesRun = 0
        for testCase in suite.cases {
            // post-sts-header-before signs with the token; post-sts-header-after adds it later.
            let signsWithToken = testCase.name.hasSuffix("post-sts-header-before")
            let credentials = SigningCredentials(
                accessKeyId: SigV4TestSuiteCase.credentials.accessKeyId,
                secretAccessKey: SigV4TestSuiteCase.credentials.secretAccessKey,
                sessionToken: signsWithToken ? token : nil)
            let signer = SigV4Signer(credentials: credentials, region: SigV4TestSuiteCase.region,
                                     service: SigV4TestSuiteCase.service)
            let result = signer.signature(method: testCase.method, url: testCase.url, headers: testCase.headers,
                                          payloadSHA256Hex: testCase.payloadSHA256Hex, date: SigV4TestSuiteCase.date)

            XCTAssertEqual(result.canonicalRequest, testCase.expectedCanonicalRequest, "\(testCase.name): canonical request")
            XCTAssertEqual(result.stringToSign, testCase.expectedStringToSign, "\(testCase.name): string to sign")
            XCTAssertEqual(result.authorization, testCase.expectedAuthorization, "\(testCase.name): authorization")

            // The signer must keep the request's own headers, in order, ahead of what it adds.
            let kept = Array(result.headers.prefix(testCase.headers.count))
            XCTAssertEqual(kept.map(\.name), testCase.headers.map(\.name), "\(testCase.name): header names kept")
            XCTAssertEqual(kept.map(\.value), testCase.headers.map(\.value), "\(testCase.name): header values kept")

            var signedHeaders = result.headers
            if testCase.name.hasSuffix("post-sts-header-after"),
               let authorization = signedHeaders.firstIndex(where: { $0.name == "Authorization" }) {
                signedHeaders.insert((name: "X-Amz-Security-Token", value: token), at: authorization)
            }
            XCTAssertEqual(testCase.render(signedHeaders: signedHeaders), testCase.expectedSignedRequest,
                           "\(testCase.name): signed request")
            casesRun += 1
        }
        XCTAssertEqual(casesRun, 31, "every one of the 31 cases must run")
    }

    func testLocatorLooksNextToTheRepository() {
        let located = SigV4TestSuiteCase.locateSuite(filePath: "/nonexistent/repo/Tests/SigV4Tests/X.swift")
        if ProcessInfo.processInfo.environment["NCAAS_SIGV4_VECTORS"] == nil {
            XCTAssertEqual(located.path, "/nonexistent/shared/vectors/aws-sig-v4-test-suite")
        }
    }
}
