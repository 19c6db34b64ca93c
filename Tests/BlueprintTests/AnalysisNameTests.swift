import Blueprint
import XCTest

final class AnalysisNameTests: XCTestCase {
    func testValidNames() {
        for name in ["abc", "spike-pca", "a1-b2-c3", String(repeating: "x", count: 63)] {
            XCTAssertNil(AnalysisName.problem(with: name), name)
        }
    }

    func testEachRuleHasItsOwnSentence() {
        XCTAssertTrue(AnalysisName.problem(with: "ab")!.contains("too short"))
        XCTAssertTrue(AnalysisName.problem(with: "1spike")!.contains("starts with a digit: CloudFormation stack names must start with a letter"))
        XCTAssertTrue(AnalysisName.problem(with: String(repeating: "x", count: 64))!.contains("too long"))
        XCTAssertTrue(AnalysisName.problem(with: "My-Analysis")!.contains("contains 'M'"))
        XCTAssertTrue(AnalysisName.problem(with: "spike_pca")!.contains("contains '_'"))
        XCTAssertTrue(AnalysisName.problem(with: "-spike")!.contains("starts or ends with a dash"))
        XCTAssertTrue(AnalysisName.problem(with: "spike-")!.contains("starts or ends with a dash"))
        XCTAssertTrue(AnalysisName.problem(with: "")!.contains("empty"))
    }
}
