import Foundation
import XCTest

final class BlueprintCommandTests: XCTestCase {
    private func project() throws -> CLI {
        let cli = CLI(in: try CLI.scratchFolder(for: self))
        XCTAssertEqual(try cli.run("configure", "demo-bp", "--affiliate", "lab:alice").status, 0)
        return cli
    }

    private func write(_ text: String, to name: String, in cli: CLI) throws -> String {
        let path = "\(cli.directory)/\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testValidateListsEveryProblemWithPathAndPosition() throws {
        let cli = try project()
        XCTAssertEqual(try cli.run("blueprint", "set", "demo-bp", "Lambda.LambdaConfig.COMMAND", #""run {} {}""#, "--force").status, 0)
        XCTAssertEqual(try cli.run("blueprint", "set", "demo-bp", "UXData.Affiliates[0].UserInput", #""yes""#, "--force").status, 0)
        let result = try cli.run("blueprint", "validate", "demo-bp")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("stack_config_template.json:11:24: error: Lambda.LambdaConfig.COMMAND: has 2 {} placeholders"), result.stdout)
        XCTAssertTrue(result.stdout.contains("error: UXData.Affiliates[0].UserInput: must be true or false"), result.stdout)
        XCTAssertTrue(result.stdout.contains("invalid (2 errors)"), result.stdout)
    }

    func testSyntaxErrorsGiveLineAndColumn() throws {
        let cli = try project()
        let broken = try write("{\n  \"PipelineName\": \"x\",\n  \"REGION\": \"us-east-1\"\n  \"STAGE\": \"develop\"\n}\n", to: "broken.json", in: cli)
        let result = try cli.run("blueprint", "validate", broken, "--output", "json")
        XCTAssertEqual(result.status, 1)
        let reports = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        let finding = (reports?.first?["findings"] as? [[String: Any]])?.first
        XCTAssertEqual(finding?["line"] as? Int, 4)
        XCTAssertEqual(finding?["column"] as? Int, 3)
        XCTAssertTrue((finding?["message"] as? String)?.contains("expected ',' or '}'") == true, "\(String(describing: finding))")
    }

    func testValidateManyAtOnceAndJSONOutput() throws {
        let cli = try project()
        XCTAssertEqual(try cli.run("configure", "demo-two").status, 0)
        let result = try cli.run("blueprint", "validate", "demo-bp", "blueprints/demo-two", "missing-one", "--output", "json")
        XCTAssertEqual(result.status, 1, "one target is missing")
        let reports = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        XCTAssertEqual(reports?.map { $0["valid"] as? Bool }, [true, true, false])
        let query = try cli.run("blueprint", "validate", "demo-bp", "demo-two", "--query", "map(.valid) | all")
        XCTAssertEqual(query.stdout, "true\n")
        XCTAssertEqual(query.status, 0)
    }

    func testWarningsDoNotFailValidation() throws {
        let cli = try project()
        let text = try String(contentsOfFile: "\(cli.directory)/blueprints/demo-bp/stack_config_template.json", encoding: .utf8)
            .replacingOccurrences(of: "    \"STAGE\": \"develop\",\n", with: "")
        let path = try write(text, to: "nostage.json", in: cli)
        let result = try cli.run("blueprint", "validate", path)
        XCTAssertEqual(result.status, 0, result.stdout)
        XCTAssertTrue(result.stdout.contains("warning: STAGE: is missing"), result.stdout)
        XCTAssertTrue(result.stdout.contains("valid (1 warning)"), result.stdout)
    }

    func testGetRunsJQFilters() throws {
        let cli = try project()
        XCTAssertEqual(try cli.run("blueprint", "get", "demo-bp", ".Lambda.LambdaConfig.AMI").stdout, "\"ubuntu18\"\n")
        XCTAssertEqual(try cli.run("blueprint", "get", "demo-bp", "[.UXData.Affiliates[].UserNames[]] | length").stdout, "1\n")
        let bad = try cli.run("blueprint", "get", "demo-bp", ".[")
        XCTAssertEqual(bad.status, 65)
        XCTAssertTrue(bad.stderr.hasPrefix("ncaas: The jq filter '.[' does not compile: syntax error"), bad.stderr)
    }

    func testSetChangesOneLineAndKeepsEverythingElse() throws {
        let cli = try project()
        let file = "\(cli.directory)/blueprints/demo-bp/stack_config_template.json"
        // A hand-edited file: unknown keys, odd spacing, a string MAXCOST.
        let before = try String(contentsOfFile: file, encoding: .utf8)
            .replacingOccurrences(of: "\"STAGE\": \"develop\",", with: "\"STAGE\": \"develop\",\n    \"PipelineVersion\":   \"1.0\",")
        try before.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try cli.run("blueprint", "set", "demo-bp", "Lambda.LambdaConfig.INSTANCE_TYPE", #""p3.2xlarge""#)
        XCTAssertEqual(result.status, 0, result.stderr)
        let after = try String(contentsOfFile: file, encoding: .utf8)
        let beforeLines = before.components(separatedBy: "\n"), afterLines = after.components(separatedBy: "\n")
        XCTAssertEqual(beforeLines.count, afterLines.count)
        let changed = zip(beforeLines, afterLines).filter { $0 != $1 }
        XCTAssertEqual(changed.map(\.1), [#"            "INSTANCE_TYPE": "p3.2xlarge","#])
    }

    func testSetRefusesBadInputAndLeavesTheFileUntouched() throws {
        let cli = try project()
        let file = "\(cli.directory)/blueprints/demo-bp/stack_config_template.json"
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        let cases: [([String], Int32, String)] = [
            (["Lambda.LambdaConfig.INSTANCE_TYPE", "m5.xlarge"], 65, "is not JSON"),
            (["Lambda..AMI", "\"x\""], 65, "is not a path"),
            (["Lambda.LambdaConfig.AMI", "\"ami-bad\""], 75, "would become invalid"),
            (["PipelineName.sub", "1"], 65, "not an object"),
        ]
        for (arguments, status, fragment) in cases {
            let result = try cli.run(["blueprint", "set", "demo-bp"] + arguments)
            XCTAssertEqual(result.status, status, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(fragment), "\(arguments): \(result.stderr)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: "\(cli.directory)/blueprints/demo-bp").filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "no temporary files left behind")
    }

    func testUnknownBlueprintSaysHowToCreateIt() throws {
        let cli = try project()
        let result = try cli.run("blueprint", "get", "nope-nope", ".")
        XCTAssertEqual(result.status, 66)
        XCTAssertTrue(result.stderr.contains("ncaas configure nope-nope"), result.stderr)
    }

    /// Two readers disagreed on a duplicated key (jq read the last, validate and set the first), and
    /// a byte that is not UTF-8 was read as U+FFFD: both are refused by every command, at their place.
    func testDuplicateKeysAndInvalidUTF8AreRefusedAtTheirLineAndColumn() throws {
        let cli = try project()
        let file = "\(cli.directory)/blueprints/demo-bp/stack_config_template.json"
        let valid = try String(contentsOfFile: file, encoding: .utf8)
        let duplicated = valid.replacingOccurrences(of: "    \"STAGE\": \"develop\",\n", with: "    \"STAGE\": \"develop\",\n    \"STAGE\": \"bogus\",\n")
        XCTAssertNotEqual(duplicated, valid)
        var invalidBytes = Array(valid.utf8)
        let at = try XCTUnwrap(valid.range(of: "ubuntu18")).lowerBound.utf16Offset(in: valid)
        invalidBytes[at + 1] = 0xFF  // "u\xFFuntu18" on the AMI line
        let cases: [(Data, String, String)] = [
            (Data(duplicated.utf8), ":5:5:", "the key \"STAGE\" appears twice in this object (first on line 4)"),
            (Data(invalidBytes), ":\(lineOf(at, in: valid)):", "is not UTF-8"),
        ]
        for (bytes, position, reason) in cases {
            try bytes.write(to: URL(fileURLWithPath: file))
            let validate = try cli.run("blueprint", "validate", "demo-bp")
            XCTAssertEqual(validate.status, 1, validate.stdout)
            XCTAssertTrue(validate.stdout.contains("stack_config_template.json\(position)"), validate.stdout)
            XCTAssertTrue(validate.stdout.contains(reason), validate.stdout)
            let get = try cli.run("blueprint", "get", "demo-bp", ".STAGE")
            XCTAssertEqual(get.status, 65, get.stdout)
            XCTAssertTrue(get.stderr.contains(reason), get.stderr)
            let set = try cli.run("blueprint", "set", "demo-bp", "STAGE", #""webdev""#)
            XCTAssertEqual(set.status, 65)
            XCTAssertTrue(set.stderr.contains(reason), set.stderr)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), bytes, "nothing written")
        }
    }

    private func lineOf(_ offset: Int, in text: String) -> Int {
        Array(text.utf8)[..<offset].filter { $0 == 0x0A }.count + 1
    }

    /// 20 sets of different fields at once: each read-modify-write holds the blueprint folder's lock,
    /// so every exit 0 means its change is in the file (without the lock most were lost, all exit 0).
    func testConcurrentSetsAreNeverLost() throws {
        let cli = try project()
        let processes = try (0..<20).map { index -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["blueprint", "set", "demo-bp", "Concurrent.field\(index)", "\(index)"]
            process.currentDirectoryURL = URL(fileURLWithPath: cli.directory)
            process.environment = cli.environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes { process.waitUntilExit() }
        XCTAssertEqual(processes.map(\.terminationStatus), Array(repeating: 0, count: 20))
        let fields = try cli.run("blueprint", "get", "demo-bp", "-r", ".Concurrent | keys | length")
        XCTAssertEqual(fields.stdout, "20\n", "every change is in the file")
        XCTAssertEqual(try cli.run("blueprint", "get", "demo-bp", ".Concurrent.field7").stdout, "7\n")
    }
}
