import LosslessJSON
import XCTest

final class JSONParserTests: XCTestCase {
    func testParsesEveryKindAndKeepsKeyOrderAndNumberSpelling() throws {
        let doc = try JSONDocument(text: #"{"z": 1.50, "a": [true, false, null], "m": "x\u00e9\n", "e": 1E3}"#)
        guard case .object(let members) = doc.value else { return XCTFail("not an object") }
        XCTAssertEqual(members.map(\.key), ["z", "a", "m", "e"])
        XCTAssertEqual(doc.value["z"], .number("1.50"))
        XCTAssertEqual(doc.value["e"], .number("1E3"))
        XCTAssertEqual(doc.value["a"], .array([.bool(true), .bool(false), .null]))
        XCTAssertEqual(doc.value["m"], .string("xé\n"))
    }

    func testSurrogatePairsDecode() throws {
        XCTAssertEqual(try JSONDocument(text: #""\ud83e\udde0""#).value, .string("🧠"))
        XCTAssertThrowsError(try JSONDocument(text: #""\ud83e""#))
    }

    func testSyntaxErrorsCarryLineAndColumn() {
        let cases: [(String, Int, Int, String)] = [
            ("{\n  \"a\": 1,\n}", 3, 1, "trailing comma"),
            ("{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, "expected ',' or '}'"),
            ("{'a': 1}", 1, 2, "double quotes"),
            ("[1, 2", 1, 6, "']' is missing"),
            ("{\"a\": 01}", 1, 8, "leading zeros"),
            ("", 1, 1, "empty"),
            ("{} x", 1, 4, "after the end"),
            ("{\"é\": tru}", 1, 7, "expected true"),
        ]
        for (text, line, column, reason) in cases {
            XCTAssertThrowsError(try JSONDocument(text: text), text) { error in
                guard let syntax = error as? JSONSyntaxError else { return XCTFail("\(error)") }
                XCTAssertEqual(syntax.line, line, text)
                XCTAssertEqual(syntax.column, column, text)
                XCTAssertTrue(syntax.reason.contains(reason), "\(syntax.reason) for \(text)")
            }
        }
    }

    func testDeepNestingIsRefusedNotCrashed() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        XCTAssertThrowsError(try JSONDocument(text: text))
    }

    func testPathParsing() throws {
        XCTAssertEqual(try JSONPath(parsing: "Lambda.LambdaConfig.AMI").components, [.key("Lambda"), .key("LambdaConfig"), .key("AMI")])
        XCTAssertEqual(try JSONPath(parsing: ".UXData.Affiliates[1].UserInput").description, "UXData.Affiliates[1].UserInput")
        for bad in ["", "a..b", "a[x]", "a.", "[-1]"] {
            XCTAssertThrowsError(try JSONPath(parsing: bad), bad)
        }
    }

    func testDuplicateKeysAreRefusedAtTheSecond() {
        XCTAssertThrowsError(try JSONDocument(text: "{\"a\": {\"x\": 1,\n  \"x\": 2}}")) { error in
            let syntax = error as? JSONSyntaxError
            XCTAssertEqual(syntax?.line, 2)
            XCTAssertEqual(syntax?.column, 3)
            XCTAssertEqual(syntax?.reason, "the key \"x\" appears twice in this object (first on line 1); keep one")
        }
        XCTAssertNoThrow(try JSONDocument(text: #"{"a": {"x": 1}, "b": {"x": 1}}"#), "the same key in two objects is fine")
    }

    func testBytesThatAreNotUTF8AreRefusedWhereTheyAre() {
        let cases: [([UInt8], Int)] = [
            (Array("{\"a\": \"x".utf8) + [0xFF] + Array("\"}".utf8), 9),            // not a lead byte
            (Array("[\"é".utf8) + [0xC3] + Array("\"]".utf8), 4),                    // truncated sequence
            (Array("[\"".utf8) + [0xC0, 0xAF] + Array("\"]".utf8), 3),               // overlong "/"
            (Array("[\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"]".utf8), 3),         // a UTF-16 surrogate
            (Array("[\"".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("\"]".utf8), 3),   // above U+10FFFF
        ]
        for (bytes, column) in cases {
            XCTAssertThrowsError(try JSONDocument(bytes: bytes), "\(bytes)") { error in
                let syntax = error as? JSONSyntaxError
                XCTAssertEqual(syntax?.line, 1)
                XCTAssertEqual(syntax?.column, column, "\(bytes)")
                XCTAssertTrue(syntax?.reason.contains("not UTF-8") == true, syntax?.reason ?? "")
            }
        }
        XCTAssertNoThrow(try JSONDocument(bytes: Array(#"["é 🧠 \u00e9"]"#.utf8)))
    }
}
