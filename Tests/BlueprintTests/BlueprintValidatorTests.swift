import Blueprint
import LosslessJSON
import XCTest

final class BlueprintValidatorTests: XCTestCase {
    private func errors(_ doc: JSONDocument) -> [BlueprintFinding] { BlueprintValidator.validate(doc).filter { $0.severity == .error } }
    private func warnings(_ doc: JSONDocument) -> [BlueprintFinding] { BlueprintValidator.validate(doc).filter { $0.severity == .warning } }

    /// Asserts exactly one error, at `path`, whose message contains `fragment`.
    private func assertOneError(_ doc: JSONDocument, at path: String, mentions fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        let found = errors(doc)
        XCTAssertEqual(found.map(\.path), [path], "\(found)", file: file, line: line)
        XCTAssertTrue(found.first?.message.contains(fragment) == true, "\(found.first?.message ?? "none") lacks '\(fragment)'", file: file, line: line)
    }

    func testNeuroCAASStyleBlueprintWithExtraKeysIsValid() throws {
        XCTAssertEqual(BlueprintValidator.validate(try BlueprintFixtures.document()), [])
    }

    func testMissingStageIsAWarningAndDefaultsToDevelop() throws {
        let doc = try BlueprintFixtures.without("STAGE")
        XCTAssertEqual(errors(doc), [])
        XCTAssertEqual(warnings(doc).map(\.path), ["STAGE"])
        XCTAssertEqual(Blueprint(document: doc).stage, "develop")
    }

    func testStageValues() throws {
        for stage in ["develop", "webdev", "websubstack"] {
            XCTAssertEqual(errors(try BlueprintFixtures.with("STAGE", .string(stage))), [], stage)
        }
        assertOneError(try BlueprintFixtures.with("STAGE", .string("production")), at: "STAGE", mentions: "\"production\"")
    }

    func testMaxcostMayBeAStringOrAnInteger() throws {
        XCTAssertEqual(errors(try BlueprintFixtures.with("Lambda.LambdaConfig.MAXCOST", .number("300"))), [])
        XCTAssertEqual(errors(try BlueprintFixtures.with("Lambda.LambdaConfig.MAXCOST", .string("12.5"))), [])
        assertOneError(try BlueprintFixtures.with("Lambda.LambdaConfig.MAXCOST", .string("lots")), at: "Lambda.LambdaConfig.MAXCOST", mentions: "must be a number")
        assertOneError(try BlueprintFixtures.with("Lambda.LambdaConfig.MAXCOST", .number("-1")), at: "Lambda.LambdaConfig.MAXCOST", mentions: "zero or more")
    }

    func testDifferingRegionsAreAWarning() throws {
        let doc = try BlueprintFixtures.with("Lambda.LambdaConfig.REGION", .string("eu-west-2"))
        XCTAssertEqual(errors(doc), [])
        XCTAssertEqual(warnings(doc).map(\.path), ["Lambda.LambdaConfig.REGION"])
    }

    func testCommandPlaceholderRules() throws {
        let path = "Lambda.LambdaConfig.COMMAND"
        assertOneError(try BlueprintFixtures.with(path, .string("run {} {} {}")), at: path, mentions: "has 3 {} placeholders")
        assertOneError(try BlueprintFixtures.with(path, .string(String(repeating: "{} ", count: 8))), at: path, mentions: "has 8")
        assertOneError(try BlueprintFixtures.with(path, .string("{write analysis_script_here}")), at: path, mentions: "{write analysis_script_here}")
        assertOneError(try BlueprintFixtures.with(path, .string("run {} {} {} {} }")), at: path, mentions: "unbalanced")
        XCTAssertEqual(errors(try BlueprintFixtures.with(path, .string("awk '{{print}}' {} {} {} {}"))), [], "escaped braces are literal")
    }

    func testAMIRules() throws {
        let path = "Lambda.LambdaConfig.AMI"
        for good in ["ami-0123abcd", "ami-0123456789abcdef0", "ubuntu18", "ubuntu16", "dlami18", "debian12"] {
            XCTAssertEqual(errors(try BlueprintFixtures.with(path, .string(good))), [], good)
        }
        for bad in ["ami-123", "ami-0123456789ABCDEF0", "ubuntu22", "", "ami-0123abcdz"] {
            assertOneError(try BlueprintFixtures.with(path, .string(bad)), at: path, mentions: "neither an AMI id")
        }
    }

    func testInstanceTypeRules() throws {
        let path = "Lambda.LambdaConfig.INSTANCE_TYPE"
        for good in ["t2.micro", "p3.2xlarge", "m5dn.metal", "u-6tb1.metal"] {
            XCTAssertEqual(errors(try BlueprintFixtures.with(path, .string(good))), [], good)
        }
        assertOneError(try BlueprintFixtures.with(path, .string("")), at: path, mentions: "is empty")
        assertOneError(try BlueprintFixtures.with(path, .string("m5xlarge")), at: path, mentions: "family.size")
        assertOneError(try BlueprintFixtures.with(path, .number("5")), at: path, mentions: "must be a string")
    }

    func testUserInputMustBeABoolean() throws {
        let path = "UXData.Affiliates[1].UserInput"
        assertOneError(try BlueprintFixtures.with(path, .string("true")), at: path, mentions: "not the string \"true\"")
        assertOneError(try BlueprintFixtures.with(path, .number("1")), at: path, mentions: "true or false")
    }

    func testNonPositiveTimeoutsAreErrors() throws {
        for key in ["EXECUTION_TIMEOUT", "SSM_TIMEOUT"] {
            let path = "Lambda.LambdaConfig.\(key)"
            assertOneError(try BlueprintFixtures.with(path, .number("0")), at: path, mentions: "greater than zero")
            assertOneError(try BlueprintFixtures.with(path, .number("-5")), at: path, mentions: "greater than zero")
        }
    }

    func testExplicitFalseAndZeroAreValuesNotDefaults() throws {
        var doc = try BlueprintFixtures.with("Lambda.LambdaConfig.MONITOR", .bool(false))
        doc = try doc.setting(.number("0"), at: try JSONPath(parsing: "Lambda.LambdaConfig.DEPLOY_LIMIT"))
        XCTAssertEqual(errors(doc), [])
        let blueprint = Blueprint(document: doc)
        XCTAssertEqual(blueprint.lambdaConfig("MONITOR"), .bool(false))
        XCTAssertEqual(blueprint.lambdaConfig("DEPLOY_LIMIT"), .number("0"))
    }

    func testDefaultsFillMissingLambdaConfigKeys() throws {
        let blueprint = Blueprint(document: try BlueprintFixtures.document())
        XCTAssertEqual(blueprint.lambdaConfig("SHUTDOWN_BEHAVIOR"), .string("terminate"))
        XCTAssertEqual(blueprint.lambdaConfig("CONFIG"), .string("config.yaml"))
        XCTAssertEqual(blueprint.lambdaConfig("DEPLOY_LIMIT"), .number("100"))
        XCTAssertEqual(blueprint.lambdaConfig("MONITOR"), .bool(true))
        XCTAssertEqual(blueprint.lambdaConfig("MAXCOST"), .string("300"), "a present value wins")
        XCTAssertEqual(blueprint.affiliates.map(\.name), ["brainlab", "debuggers"])
        XCTAssertEqual(blueprint.affiliates.first?.userNames, ["alice", "bob"])
    }

    func testPipelineNameRules() throws {
        assertOneError(try BlueprintFixtures.with("PipelineName", .string("Calcium_DFF")), at: "PipelineName", mentions: "only lowercase letters")
        assertOneError(try BlueprintFixtures.with("PipelineName", .string(String(repeating: "a", count: 64))), at: "PipelineName", mentions: "too long")
        XCTAssertEqual(errors(try BlueprintFixtures.with("PipelineName", .string(String(repeating: "a", count: 63)))), [])
        assertOneError(try BlueprintFixtures.without("PipelineName"), at: "PipelineName", mentions: "is missing")
    }

    func testEveryProblemIsListedAtOnceWithPositions() throws {
        var doc = try BlueprintFixtures.with("Lambda.LambdaConfig.COMMAND", .string("x {}"))
        doc = try doc.setting(.string("bad"), at: try JSONPath(parsing: "Lambda.LambdaConfig.AMI"))
        doc = try doc.setting(.string("yes"), at: try JSONPath(parsing: "UXData.Affiliates[0].UserInput"))
        let found = errors(doc)
        XCTAssertEqual(Set(found.map(\.path)), ["Lambda.LambdaConfig.COMMAND", "Lambda.LambdaConfig.AMI", "UXData.Affiliates[0].UserInput"])
        let ami = try XCTUnwrap(found.first { $0.path == "Lambda.LambdaConfig.AMI" })
        XCTAssertEqual(ami.line, 11)
        XCTAssertEqual(ami.column, 20)
    }

    func testStructuralErrors() throws {
        XCTAssertEqual(errors(try JSONDocument(text: "[]")).map(\.message), ["The blueprint must be a JSON object, but it is an array."])
        assertOneError(try BlueprintFixtures.with("Lambda.LambdaConfig", .string("x")), at: "Lambda.LambdaConfig", mentions: "must be an object")
        assertOneError(try BlueprintFixtures.with("UXData.Affiliates", .object([])), at: "UXData.Affiliates", mentions: "must be an array")
        assertOneError(try BlueprintFixtures.with("UXData.Affiliates[1].AffiliateName", .string("brainlab")), at: "UXData.Affiliates[1].AffiliateName", mentions: "appears twice")
        assertOneError(try BlueprintFixtures.with("ncaas", .array([])), at: "ncaas", mentions: "must be an object")
        XCTAssertEqual(errors(try BlueprintFixtures.with("ncaas", .object([("dev", .object([]))]))), [])
    }
}
