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
        let findings = BlueprintValidator.validate(try BlueprintFixtures.document())
        XCTAssertEqual(findings.filter { $0.severity != .note }, [])
        // The NeuroCAAS keys ncaas reads nothing from are notes saying what it does instead.
        XCTAssertEqual(findings.map(\.path), ["Lambda.LambdaConfig.IAM_ROLE", "Lambda.LambdaConfig.KEY_NAME", "PostHandler", "Lambda.Handler", "Lambda.CodeUri"])
        XCTAssertEqual(findings.first?.message, "ncaas does not use IAM_ROLE: COMMAND runs over SSH (not SSM), and job instances get the stack's own job instance profile with direct staging (`ncaas.jobs.staging`), none with SFTP staging.")
        XCTAssertTrue(findings.allSatisfy { $0.line != nil }, "each note has its position")
    }

    /// The `ncaas` section is checked strictly: a mistyped key is an error naming the nearest known one.
    func testTheNcaasSectionIsCheckedWithDidYouMean() throws {
        func ncaas(_ json: String) throws -> JSONDocument {
            try BlueprintFixtures.with("ncaas", try JSONDocument(text: json).value)
        }
        assertOneError(try ncaas(#"{"jobs": {"Staging": "direct"}}"#), at: "ncaas.jobs.Staging", mentions: "is not a setting ncaas knows; did you mean ncaas.jobs.staging? (ncaas.jobs holds staging, user, hooks, market)")
        assertOneError(try ncaas(#"{"Staging": "direct"}"#), at: "ncaas.Staging", mentions: "did you mean ncaas.jobs.staging?")
        assertOneError(try ncaas(#"{"jobs": {"hooks": {"on_sucess": "x"}}}"#), at: "ncaas.jobs.hooks.on_sucess", mentions: "did you mean ncaas.jobs.hooks.on_success?")
        assertOneError(try ncaas(#"{"image": {"bse": "ubuntu18"}}"#), at: "ncaas.image.bse", mentions: "did you mean ncaas.image.base?")
        assertOneError(try ncaas(#"{"frobnicate": 1}"#), at: "ncaas.frobnicate", mentions: "is not a setting ncaas knows (ncaas holds bucket, image, ssh, jobs, deploy, manager, network)")
        assertOneError(try ncaas(#"{"jobs": {"staging": "s3"}}"#), at: "ncaas.jobs.staging", mentions: #"it must be "sftp" or "direct""#)
        assertOneError(try ncaas(#"{"jobs": {"user": "Root; rm -rf /"}}"#), at: "ncaas.jobs.user", mentions: "must be a user name")
        assertOneError(try ncaas(#"{"manager": {"enabled": "yes"}}"#), at: "ncaas.manager.enabled", mentions: "must be true or false")
        assertOneError(try ncaas(#"{"jobs": []}"#), at: "ncaas.jobs", mentions: "must be an object")
        // Every setting ncaas reads (and those being added: the in-stack manager, the subnet, spot) is known.
        let everything = #"""
            {"bucket": "lab-data", "image": {"base": "ubuntu18"}, "ssh": {"user": "ubuntu"},
             "jobs": {"staging": "direct", "user": "root", "market": "spot", "hooks": {"on_start": "a", "on_success": "b", "on_failure": "c"}},
             "deploy": {"sshIngressCidr": "10.0.0.0/8"}, "manager": {"enabled": false, "instance_type": "t3.small", "visibility_timeout": 90}, "network": {"subnet": "subnet-0abc1234"}}
            """#
        XCTAssertEqual(errors(try ncaas(everything)), [])
        assertOneError(try ncaas(#"{"manager": {"visibility_timeout": 1.5}}"#), at: "ncaas.manager.visibility_timeout", mentions: "must be a whole number of seconds from 3 to 43200")
        XCTAssertEqual(Set(NCAASSettings.paths), ["bucket", "image", "image.base", "ssh", "ssh.user", "jobs", "jobs.staging", "jobs.user", "jobs.hooks",
                                                  "jobs.hooks.on_start", "jobs.hooks.on_success", "jobs.hooks.on_failure", "jobs.market", "deploy",
                                                  "deploy.sshIngressCidr", "manager", "manager.enabled", "manager.instance_type", "manager.visibility_timeout", "network", "network.subnet"])
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
        assertOneError(try BlueprintFixtures.with("ncaas", .object([("dev", .object([]))])), at: "ncaas.dev", mentions: "is not a setting ncaas knows")
    }
}
