import SigV4
import XCTest

final class SigningCredentialsTests: XCTestCase {
    private let credentials = SigningCredentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE",
                                                 secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                                 sessionToken: "FwoGZXIvYXdzSESSIONTOKEN")

    func testNoSecretInAnyPrintedForm() {
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [credentials.description, credentials.debugDescription, "\(credentials)",
                     String(reflecting: credentials), dumped, "\([credentials])"] {
            XCTAssertFalse(text.contains("wJalrXUtnFEMI"), text)
            XCTAssertFalse(text.contains("FwoGZXIvYXdz"), text)
            XCTAssertFalse(text.contains("AKIAIOSFODNN7EXAMPLE"), text)
            XCTAssertTrue(text.contains("AKIA…MPLE"), text)
        }
    }

    func testRedactionOfShortIds() {
        XCTAssertEqual(SigningCredentials.redact(accessKeyId: "AKIDEXAMPLE"), "…MPLE")
        XCTAssertEqual(SigningCredentials.redact(accessKeyId: "abc"), "…")
    }
}
