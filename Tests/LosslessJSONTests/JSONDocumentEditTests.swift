import LosslessJSON
import XCTest

final class JSONDocumentEditTests: XCTestCase {
    let original = """
    {
        "PipelineName": "demo",
        "Extra":   {"keep": [1,2,   3]},
        "Lambda": {
            "LambdaConfig": {
                "AMI": "ami-0123abcd",
                "MAXCOST": "300"
            }
        }
    }

    """

    func testReplacingAValueChangesExactlyOneLine() throws {
        let doc = try JSONDocument(text: original)
        let edited = try doc.setting(.string("ami-89abcdef"), at: try JSONPath(parsing: "Lambda.LambdaConfig.AMI"))
        XCTAssertEqual(changedLines(original, edited.text), [#"            "AMI": "ami-89abcdef","#])
        XCTAssertEqual(edited.text.split(separator: "\n").count, original.split(separator: "\n").count)
    }

    func testUnknownKeysAndOddFormattingSurviveAnEdit() throws {
        let edited = try JSONDocument(text: original).setting(.number("5"), at: try JSONPath(parsing: "Lambda.LambdaConfig.MAXCOST"))
        XCTAssertTrue(edited.text.contains(#""Extra":   {"keep": [1,2,   3]},"#))
        XCTAssertTrue(edited.text.hasSuffix("}\n\n") || edited.text.hasSuffix("}\n"))
        XCTAssertEqual(edited.value(at: [.key("Lambda"), .key("LambdaConfig"), .key("MAXCOST")]), .number("5"))
    }

    func testAddingAKeyInsertsOneMemberWithTheSameIndentation() throws {
        let edited = try JSONDocument(text: original).setting(.number("900"), at: try JSONPath(parsing: "Lambda.LambdaConfig.EXECUTION_TIMEOUT"))
        let added = changedLines(original, edited.text)
        XCTAssertEqual(added, [#"            "MAXCOST": "300","#, #"            "EXECUTION_TIMEOUT": 900"#])
    }

    func testAddingNestedObjectsCreatesThemWithDocumentIndentation() throws {
        let edited = try JSONDocument(text: original).setting(.bool(false), at: try JSONPath(parsing: "ncaas.dev.keep"))
        XCTAssertTrue(edited.text.contains("    \"ncaas\": {\n        \"dev\": {\n            \"keep\": false\n        }\n    }\n}"), edited.text)
    }

    func testEditingInsideACompactObjectStaysCompact() throws {
        let edited = try JSONDocument(text: original).setting(.string("y"), at: try JSONPath(parsing: "Extra.new"))
        XCTAssertTrue(edited.text.contains(#""Extra":   {"keep": [1,2,   3], "new": "y"},"#), edited.text)
    }

    func testReplacingWithAnObjectRendersItIndented() throws {
        let edited = try JSONDocument(text: original).setting(.object([("a", .array([.number("1")]))]), at: [.key("PipelineName")])
        XCTAssertTrue(edited.text.contains("    \"PipelineName\": {\n        \"a\": [\n            1\n        ]\n    },"), edited.text)
    }

    /// A list written on one line (`"UserNames": []`) stays on one line when it changes: a one-line diff.
    func testReplacingAOneLineArrayKeepsItOnOneLine() throws {
        let text = "{\n    \"UserNames\": [],\n    \"Other\": [\n        1\n    ]\n}\n"
        let edited = try JSONDocument(text: text).setting(.array([.string("ann"), .string("bob")]), at: [.key("UserNames")])
        XCTAssertEqual(edited.text, "{\n    \"UserNames\": [\"ann\", \"bob\"],\n    \"Other\": [\n        1\n    ]\n}\n")
        let spread = try edited.setting(.array([.number("1"), .number("2")]), at: [.key("Other")])
        XCTAssertTrue(spread.text.contains("\"Other\": [\n        1,\n        2\n    ]"), spread.text)
    }

    func testArrayElementsCanBeReplacedButNotAppended() throws {
        let doc = try JSONDocument(text: #"{"a": [1, 2]}"#)
        XCTAssertEqual(try doc.setting(.number("9"), at: [.key("a"), .index(1)]).text, #"{"a": [1, 9]}"#)
        XCTAssertThrowsError(try doc.setting(.number("9"), at: [.key("a"), .index(2)])) { error in
            XCTAssertEqual(error as? JSONEditError, .indexOutOfRange(path: [.key("a"), .index(2)]))
        }
    }

    func testAddingAKeyUnderAScalarIsRefused() throws {
        let doc = try JSONDocument(text: #"{"a": "text"}"#)
        XCTAssertThrowsError(try doc.setting(.null, at: [.key("a"), .key("b")])) { error in
            XCTAssertEqual("\(error)", "a is a string, not an object, so it cannot hold a new key.")
        }
    }

    func testStringsAreEscapedWhenWritten() throws {
        let edited = try JSONDocument(text: #"{"a": 1}"#).setting(.string("say \"hi\"\n\u{01}"), at: [.key("a")])
        XCTAssertEqual(edited.text, #"{"a": "say \"hi\"\n\u0001"}"#)
        XCTAssertEqual(edited.value["a"], .string("say \"hi\"\n\u{01}"))
    }

    /// Lines of `after` that are not in `before`, in order.
    private func changedLines(_ before: String, _ after: String) -> [String] {
        let old = Set(before.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        return after.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !old.contains($0) }
    }
}
