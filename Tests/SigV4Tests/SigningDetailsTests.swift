import Foundation
import SigV4
import XCTest

/// Behaviour beyond the test suite: session tokens, hosts, query encoding, re-signing.
final class SigningDetailsTests: XCTestCase {
    private let date = ISO8601DateFormatter().date(from: "2015-08-30T12:36:00Z")!
    private func signer(token: String? = nil, service: String = "ec2") -> SigV4Signer {
        SigV4Signer(credentials: SigningCredentials(accessKeyId: "AKIDEXAMPLE",
                                                    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                                    sessionToken: token),
                    region: "us-east-1", service: service)
    }

    func testSessionTokenIsAddedAndSigned() {
        let result = signer(token: "TOKEN/with+chars==").signature(
            method: "POST", url: "https://sts.us-east-1.amazonaws.com/", headers: [],
            payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        XCTAssertTrue(result.headers.contains { $0.name == "X-Amz-Security-Token" && $0.value == "TOKEN/with+chars==" })
        XCTAssertEqual(result.signedHeaders, "host;x-amz-date;x-amz-security-token")
        XCTAssertTrue(result.canonicalRequest.contains("\nx-amz-security-token:TOKEN/with+chars==\n"))
    }

    func testSessionTokenChangesTheSignature() {
        let without = signer().signature(method: "GET", url: "https://ec2.us-east-1.amazonaws.com/", headers: [],
                                         payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        let with = signer(token: "T").signature(method: "GET", url: "https://ec2.us-east-1.amazonaws.com/", headers: [],
                                                payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        XCTAssertNotEqual(without.signature, with.signature)
    }

    func testHostIsDerivedFromTheURLWithANonDefaultPort() {
        let local = signer().canonicalRequest(method: "GET", url: "http://127.0.0.1:5000/?Action=X", headers: [],
                                              payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        XCTAssertTrue(local.contains("\nhost:127.0.0.1:5000\n"), local)
        let defaultPort = signer().canonicalRequest(method: "GET", url: "https://ec2.us-east-1.amazonaws.com:443/", headers: [],
                                                    payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        XCTAssertTrue(defaultPort.contains("\nhost:ec2.us-east-1.amazonaws.com\n"), defaultPort)
        let ipv6 = signer().canonicalRequest(method: "GET", url: "http://[::1]:4566/", headers: [],
                                             payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        XCTAssertTrue(ipv6.contains("\nhost:[::1]:4566\n"), ipv6)
    }

    func testAGivenHostHeaderWinsAndIsNotDuplicated() {
        let result = signer().signature(method: "GET", url: "http://127.0.0.1:5000/",
                                        headers: [(name: "host", value: "ec2.example")],
                                        payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        XCTAssertTrue(result.canonicalRequest.contains("\nhost:ec2.example\n"))
        XCTAssertEqual(result.headers.filter { $0.name.lowercased() == "host" }.count, 1)
    }

    func testQueryIsDecodedReencodedAndSorted() {
        let url = "https://ec2.us-east-1.amazonaws.com/?Version=2016-11-15&Action=Describe%20It&Filter.1.Value.1=a+b&Flag&Name=%7e~%2f/"
        let query = signer().canonicalRequest(method: "GET", url: url, headers: [],
                                              payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
            .components(separatedBy: "\n")[2]
        XCTAssertEqual(query, "Action=Describe%20It&Filter.1.Value.1=a%2Bb&Flag=&Name=~~%2F%2F&Version=2016-11-15")
    }

    func testResigningReplacesDateAndAuthorizationInsteadOfAddingMore() {
        let first = signer(token: "T").sign(method: "GET", url: "https://ec2.us-east-1.amazonaws.com/", headers: [],
                                            payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        let later = date.addingTimeInterval(90)
        let second = signer(token: "T").sign(method: "GET", url: "https://ec2.us-east-1.amazonaws.com/", headers: first,
                                             payloadSHA256Hex: SHA256Hex.emptyPayload, date: later)
        XCTAssertEqual(second.map(\.name), first.map(\.name))
        XCTAssertEqual(second.first { $0.name == "X-Amz-Date" }?.value, "20150830T123730Z")
        XCTAssertNotEqual(second.last?.value, first.last?.value)
    }

    func testUserAgentIsSentButNotSigned() {
        let result = signer().signature(method: "GET", url: "https://ec2.us-east-1.amazonaws.com/",
                                        headers: [(name: "User-Agent", value: "ncaas/1")],
                                        payloadSHA256Hex: SHA256Hex.emptyPayload, date: date)
        XCTAssertEqual(result.signedHeaders, "host;x-amz-date")
        XCTAssertTrue(result.headers.contains { $0.name == "User-Agent" })
    }

    func testDatesAcrossYearsAndLeapDaysFormatInUTC() {
        let cases = ["2000-02-29T23:59:59Z": "20000229T235959Z", "1970-01-01T00:00:00Z": "19700101T000000Z",
                     "2024-12-31T00:00:01Z": "20241231T000001Z", "2100-03-01T12:00:00Z": "21000301T120000Z"]
        for (iso, expected) in cases {
            let when = ISO8601DateFormatter().date(from: iso)!
            let headers = signer().sign(method: "GET", url: "https://x.amazonaws.com/", headers: [],
                                        payloadSHA256Hex: SHA256Hex.emptyPayload, date: when)
            XCTAssertEqual(headers.first { $0.name == "X-Amz-Date" }?.value, expected, iso)
            XCTAssertTrue(headers.last?.value.contains("/\(expected.prefix(8))/us-east-1/ec2/aws4_request") ?? false)
        }
    }
}
