import DevAMI
import XCTest

/// The small parsers users meet: durations on the command line, credential-shaped text in blueprints.
final class DurationAndCredentialTests: XCTestCase {
    func testDurationsAsUsersTypeThem() {
        XCTAssertEqual(DurationText.seconds("90"), 5400)
        XCTAssertEqual(DurationText.seconds("90m"), 5400)
        XCTAssertEqual(DurationText.seconds("2h"), 7200)
        XCTAssertEqual(DurationText.seconds("1h30m"), 5400)
        XCTAssertEqual(DurationText.seconds("45s"), 45)
        XCTAssertEqual(DurationText.seconds("0.5"), 30)
        for bad in ["", "0", "-5", "ten", "5x", "h", "m5", "1e300", "inf", "nan", "99999999999999999999h", "367d"] { XCTAssertNil(DurationText.seconds(bad), bad) }
        XCTAssertEqual(DurationText.seconds("366d"), 366 * 86_400)
        XCTAssertEqual(DurationText.describe(.infinity), "forever", "a deadline no clock holds is described, not trapped on")
        XCTAssertEqual(DurationText.describe(3900), "1h 05m")
        XCTAssertEqual(DurationText.describe(750), "12m 30s")
        XCTAssertEqual(DurationText.describe(-40), "-40s")
    }

    func testCredentialShapedTextIsFound() {
        XCTAssertNil(CredentialScan.firstFinding(in: #"{"AMI": "ami-0123456789abcdef0", "KEY_NAME": "lab-key", "IAM_ROLE": "AKIAfoo"}"#))
        XCTAssertEqual(CredentialScan.firstFinding(in: "{\n  \"x\": \"AKIAIOSFODNN7EXAMPLE\"\n}"), "an AWS access key id on line 2")
        XCTAssertEqual(CredentialScan.firstFinding(in: "\"key\": \"ASIAY34FZKBOKMUTVV7A\""), "an AWS access key id on line 1")
        XCTAssertNil(CredentialScan.firstFinding(in: "XAKIAIOSFODNN7EXAMPLEX"), "part of a longer word is not a key id")
        XCTAssertEqual(CredentialScan.firstFinding(in: "\"aws_secret_access_key\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\""), "a secret (aws_secret_access_key) on line 1")
        XCTAssertEqual(CredentialScan.firstFinding(in: "[lab]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"), "a secret (aws_secret_access_key) on line 2")
        XCTAssertEqual(CredentialScan.firstFinding(in: "export AWS_SESSION_TOKEN='IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH'"), "a secret (aws_session_token) on line 1")
        XCTAssertEqual(CredentialScan.firstFinding(in: #"{"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}"#), "a secret (secretaccesskey) on line 1")
        XCTAssertEqual(CredentialScan.firstFinding(in: "a\nb\n-----BEGIN OPENSSH PRIVATE KEY-----\n"), "a private key on line 3")
    }

    /// A name alone is no secret: a COMMAND that masks the variable in its log, reads it, or passes it on.
    func testAVariablesNameAloneIsNotACredential() {
        let masking = #""COMMAND": "run.sh {} {} {} {} 2>&1 | sed -e 's/\\(AWS_SECRET_ACCESS_KEY=\\).*/\\1****/' -e 's/AWS_SESSION_TOKEN=[^ ]*/AWS_SESSION_TOKEN=****/'""#
        XCTAssertNil(CredentialScan.firstFinding(in: masking), masking)
        XCTAssertNil(CredentialScan.firstFinding(in: #"aws configure set aws_secret_access_key "$AWS_SECRET_ACCESS_KEY""#))
        XCTAssertNil(CredentialScan.firstFinding(in: #"env AWS_SESSION_TOKEN=${AWS_SESSION_TOKEN} python3 run.py"#))
        XCTAssertNil(CredentialScan.firstFinding(in: "unset AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN"))
        XCTAssertEqual(CredentialScan.firstFinding(inFiles: [("setup.sh", Array("set -e\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n".utf8)),
                                                             ("data.bin", [0, 1, 2])]),
                       "a secret (aws_secret_access_key) on line 2 of setup.sh")
    }
}
