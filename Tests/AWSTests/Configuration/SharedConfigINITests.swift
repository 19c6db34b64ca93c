@testable import AWS
import XCTest

final class SharedConfigINITests: XCTestCase {
    func testCommentsWhitespaceAndKeyCase() throws {
        let ini = try SharedConfigINI(parsing: """
            # a comment
            ; another comment
            [default]
            Region=eu-west-1
            AWS_Access_Key_Id   =   AKIDDEFAULT\t
            output: json
            [ profile   dev ]   # trailing comment
            region = us-west-2 ; inline comment
            note = a#b;c
            empty =

            """, path: "/x/config")
        XCTAssertEqual(ini.sections["default"]?.properties, ["region": "eu-west-1", "aws_access_key_id": "AKIDDEFAULT", "output": "json"])
        XCTAssertEqual(ini.sections["profile dev"]?.properties, ["region": "us-west-2", "note": "a#b;c", "empty": ""])
    }

    func testUniformlyIndentedSectionIsPlainKeys() throws {
        let ini = try SharedConfigINI(parsing: "[default]\n  aws_access_key_id = A\n  aws_secret_access_key = B\n", path: "/x")
        XCTAssertEqual(ini.sections["default"]?.properties, ["aws_access_key_id": "A", "aws_secret_access_key": "B"])
    }

    func testDeeperIndentedLineUnderAKeyWithAValueIsAnError() {
        XCTAssertConfigurationError(try SharedConfigINI(parsing: "[default]\nregion = a\n  b = c\n", path: "/x"),
                                    .malformedFile(path: "/x", line: 3, reason: "an indented line continues a key that already has a value"))
    }

    func testCRLFLineEndingsAndRepeatedSectionsMerge() throws {
        let ini = try SharedConfigINI(parsing: "[a]\r\nx = 1\r\n[b]\r\ny = 2\r\n[a]\r\nx = 3\r\nz = 4\r\n", path: "/x")
        XCTAssertEqual(ini.sections["a"]?.properties, ["x": "3", "z": "4"])
        XCTAssertEqual(ini.sections["b"]?.properties, ["y": "2"])
    }

    func testNestedSubProperties() throws {
        let ini = try SharedConfigINI(parsing: """
            [services local]
            ec2 =
              endpoint_url = http://127.0.0.1:5000
            s3 =
              endpoint_url = http://127.0.0.1:5001
              addressing_style = path
            """, path: "/x")
        XCTAssertEqual(ini.sections["services local"]?.subProperties["ec2"], ["endpoint_url": "http://127.0.0.1:5000"])
        XCTAssertEqual(ini.sections["services local"]?.subProperties["s3"]?["addressing_style"], "path")
    }

    func testMalformedLinesNameTheLineButNeverEchoIt() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        XCTAssertConfigurationError(try SharedConfigINI(parsing: "[default]\nregion = x\n\(secret)\n", path: "/h/.aws/credentials"),
                                    .malformedFile(path: "/h/.aws/credentials", line: 3,
                                                   reason: "expected `key = value`, a [section] header or a comment"))
        XCTAssertConfigurationError(try SharedConfigINI(parsing: "aws_secret_access_key = \(secret)\n", path: "/c"),
                                    .malformedFile(path: "/c", line: 1, reason: "a setting appears before any [section] header"))
        XCTAssertConfigurationError(try SharedConfigINI(parsing: "[default\n", path: "/c"),
                                    .malformedFile(path: "/c", line: 1, reason: "a section header has no closing ]"))
        do {
            _ = try SharedConfigINI(parsing: "[default]\n\(secret)\n", path: "/c")
            XCTFail("expected an error")
        } catch {
            XCTAssertFalse("\(error)".contains("wJalr"), "\(error)")
        }
    }
}
