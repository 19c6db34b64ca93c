import JQ
import XCTest

final class JQFilterTests: XCTestCase {
    let blueprint = #"{"PipelineName": "demo", "UXData": {"Affiliates": [{"AffiliateName": "a"}, {"AffiliateName": "b"}]}}"#

    func testPathsAndIterationGiveOneResultEach() throws {
        let filter = try JQFilter(".UXData.Affiliates[].AffiliateName")
        XCTAssertEqual(try filter.run(json: blueprint, style: .compact), [#""a""#, #""b""#])
        XCTAssertEqual(try filter.run(json: blueprint, style: .raw), ["a", "b"])
    }

    func testPrettyOutputUsesTheRequestedIndent() throws {
        let output = try JQFilter("{n: .PipelineName}").run(json: blueprint, style: .pretty(indent: 2))
        XCTAssertEqual(output, ["{\n  \"n\": \"demo\"\n}"])
    }

    func testAFilterIsReusableAcrossInputs() throws {
        let filter = try JQFilter(".x + 1")
        XCTAssertEqual(try filter.run(json: #"{"x": 1}"#, style: .compact), ["2"])
        XCTAssertEqual(try filter.run(json: #"{"x": 41}"#, style: .compact), ["42"])
    }

    func testCompileErrorCarriesLibjqsMessage() {
        XCTAssertThrowsError(try JQFilter(".[")) { error in
            guard case .compile(let filter, let message)? = error as? JQError else { return XCTFail("\(error)") }
            XCTAssertEqual(filter, ".[")
            XCTAssertTrue(message.contains("syntax error"), message)
            XCTAssertFalse(message.contains("compile error"), message)
        }
    }

    func testRuntimeErrorCarriesTheMessage() throws {
        XCTAssertThrowsError(try JQFilter(#"error("boom")"#).run(json: "{}")) { error in
            XCTAssertEqual(error as? JQError, .runtime(message: "boom"))
        }
        XCTAssertThrowsError(try JQFilter(".a + 1").run(json: #"{"a": "x"}"#)) { error in
            guard case .runtime(let message)? = error as? JQError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("cannot be added"), message)
        }
    }

    func testInvalidInputIsReported() {
        XCTAssertThrowsError(try JQFilter(".").run(json: "{nope")) { error in
            guard case .input? = error as? JQError else { return XCTFail("\(error)") }
        }
    }

    func testUnicodeSurvivesTheRoundTrip() throws {
        XCTAssertEqual(try JQFilter(".s").run(json: #"{"s": "ΔF/F 🧠"}"#, style: .raw), ["ΔF/F 🧠"])
    }
}
