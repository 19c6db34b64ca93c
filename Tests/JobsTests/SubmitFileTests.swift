import Foundation
import Jobs
import Support
import TestSupport
import XCTest

/// The submit file's shape and the sentences a malformed one gets, naming the field.
final class SubmitFileTests: XCTestCase {
    private func parse(_ text: String) throws -> SubmitFile { try SubmitFile.parse(Data(text.utf8), source: "submit.json") }

    private func refusal(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try parse(text)
            XCTFail("accepted: \(text)", file: file, line: line)
            return ""
        } catch let error as JobError {
            XCTAssertEqual(error.kind, .badInput, file: file, line: line)
            XCTAssertEqual(error.exitCode, 65, file: file, line: line)
            return error.message
        } catch {
            XCTFail("\(error)", file: file, line: line)
            return ""
        }
    }

    func testAStringOrAListOfDatanames() throws {
        let one = try parse(#"{"dataname": "lab/inputs/a.csv", "configname": "lab/configs/c.json", "timestamp": "t1"}"#)
        XCTAssertEqual(one, SubmitFile(datanames: ["lab/inputs/a.csv"], configname: "lab/configs/c.json", timestamp: "t1"))
        let two = try parse(#"{"dataname": ["lab/inputs/a.csv", "lab/inputs/b.csv"], "configname": "lab/configs/c.json", "timestamp": "t1", "instance_type": "m5.large", "extra": 1}"#)
        XCTAssertEqual(two.datanames, ["lab/inputs/a.csv", "lab/inputs/b.csv"])
        XCTAssertEqual(two.instanceType, "m5.large")
        XCTAssertEqual(try SubmitFile.parse(two.json, source: "again"), two, "what is uploaded reads back the same")
    }

    func testEachProblemNamesItsField() {
        XCTAssertTrue(refusal("{").contains("is not JSON"))
        XCTAssertTrue(refusal("[1]").contains("must be a JSON object"))
        let noData = refusal(#"{"configname": "lab/configs/c.json", "timestamp": "t"}"#)
        XCTAssertTrue(noData.contains(#"does not contain the field "dataname""#), noData)
        XCTAssertTrue(noData.contains("without the bucket name"), noData)
        XCTAssertTrue(refusal(#"{"dataname": 3, "configname": "c", "timestamp": "t"}"#).contains(#""dataname" in submit.json must be a string or a list of strings"#))
        XCTAssertTrue(refusal(#"{"dataname": [], "configname": "c", "timestamp": "t"}"#).contains("empty list"))
        XCTAssertTrue(refusal(#"{"dataname": "a", "timestamp": "t"}"#).contains(#"the field "configname""#))
        XCTAssertTrue(refusal(#"{"dataname": "a", "configname": ["c"], "timestamp": "t"}"#).contains(#""configname" in submit.json must be a string"#))
        XCTAssertTrue(refusal(#"{"dataname": "a", "configname": "c"}"#).contains(#"the field "timestamp""#))
        XCTAssertTrue(refusal(#"{"dataname": "a", "configname": "c", "timestamp": "a/b"}"#).contains(#"without "/""#))
        XCTAssertTrue(refusal(#"{"dataname": "a", "configname": "c", "timestamp": "t", "instance_type": "big"}"#).contains(#""instance_type""#))
        let url = refusal(#"{"dataname": "s3://bk/lab/inputs/a.csv", "configname": "c", "timestamp": "t"}"#)
        XCTAssertTrue(url.contains(#"without the bucket name: "lab/inputs/a.csv""#), url)
        XCTAssertTrue(refusal(#"{"dataname": ["lab/inputs/a.csv", "lab/other/a.csv"], "configname": "c", "timestamp": "t"}"#).contains("share the file name"))
    }
}

/// COMMAND's four parameters reach the shell as data in every quoting context; the config's
/// `__duration__`; the wrapper's result file.
final class JobCommandLineTests: XCTestCase {
    /// Names an attacker or a careless user would give a dataset.
    static let hostileNames = [
        #"x"; echo PWNED; ".csv"#, #"lab/inputs/a"; touch "$MARK"; ""#, "a'; touch \"$MARK\"; '", "$(touch \"$MARK\")", "`touch \"$MARK\"`",
        "a\ntouch \"$MARK\"", "; touch \"$MARK\"", "&& touch \"$MARK\"", "| touch \"$MARK\"", "*", "?", "[a-z]*", "a b  c", "\\", "'", "\"",
        "$HOME", "${HOME}", "-n", "x\\", "é ü 🧠", "'\"'\"'", "$((1+1))", "}{", "{}",
    ]

    /// COMMANDs with the placeholders in every quoting context, and what each prints for values v1..v4.
    static let templates: [(String, @Sendable ([String]) -> String)] = [
        ("printf '%s\\n' {} {} {} {}", { $0.joined(separator: "\n") }),
        (#"printf '%s\n' "{}" "{}" "{}" "{}""#, { $0.joined(separator: "\n") }),
        (#"printf '%s\n' '{}' '{}' '{}' '{}'"#, { $0.joined(separator: "\n") }),
        (#"echo "bucket={}" "data={}" "out={}" "cfg={}""#, { "bucket=\($0[0]) data=\($0[1]) out=\($0[2]) cfg=\($0[3])" }),
        (#"printf '%s\n' 's3://{}/{}' 'out={}:cfg={}'"#, { "s3://\($0[0])/\($0[1])\nout=\($0[2]):cfg=\($0[3])" }),
        (#"printf '%s\n' pre{}post x="{}"y 'a'{}'b' "c"'{}'"d""#, { "pre\($0[0])post\nx=\($0[1])y\na\($0[2])b\nc\($0[3])d" }),
        (#"printf '%s\n' "$(printf %s {})" $(printf %s {} | wc -c) "`printf %s {}`" "(x) {}""#,
         { "\($0[0])\n\($0[1].utf8.count)\n\($0[2])\n(x) \($0[3])" }),
        (#"f() {{ printf '%s\n' "$1"; }}; f {}; f "{}"; (f '{}'); f "$(echo "{}")""#, { $0.joined(separator: "\n") }),
    ]

    /// Runs the wrapper's exports and the rendered COMMAND in `shell`; returns stdout.
    private func run(_ template: String, values: [String], shell: String, mark: String) throws -> ProcessResult {
        let exports = zip(JobCommandLine.variables, values).map { "export \($0)=\(ShellQuoting.quote($1))" }.joined(separator: "\n")
        let script = exports + "\nexport MARK=\(ShellQuoting.quote(mark))\n" + "sh -c \(ShellQuoting.quote(try JobCommandLine.render(template)))"
        return try ProcessRunner.run(shell, ["-c", script])
    }

    func testEveryQuotingContextPassesHostileNamesAsData() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ncaas-quoting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mark = folder.appendingPathComponent("PWNED").path
        for shell in ["/bin/sh", "/bin/bash"] {
            for (template, expected) in Self.templates {
                for name in Self.hostileNames {
                    let values = ["b-1", name, "lab/results/job__x_\(name)", "lab/configs/\(name).json"]
                    let result = try run(template, values: values, shell: shell, mark: mark)
                    XCTAssertEqual(result.stdout, expected(values) + "\n", "\(shell): \(template) with \(name.debugDescription): \(result.stderr)")
                    XCTAssertFalse(result.stdout.contains("PWNED") && !name.contains("PWNED"), template)
                    XCTAssertFalse(FileManager.default.fileExists(atPath: mark), "\(shell): \(template) ran code from \(name.debugDescription)")
                }
            }
        }
    }

    func testTheExpansionsAndTheRefusals() throws {
        XCTAssertEqual(try JobCommandLine.render(#"run {} "d={}" 's3://{}' {{x}}$(echo {})"#),
                       #"run "${NCAAS_BUCKET}" "d=${NCAAS_DATASET_KEY}" 's3://'"${NCAAS_RESULT_DIR}"'' {x}$(echo "${NCAAS_CONFIG_KEY}")"#)
        XCTAssertThrowsError(try JobCommandLine.render(#"run \{} {} {} {}"#)) { error in
            XCTAssertEqual("\(error)", "The blueprint's COMMAND has a {} right after a backslash, which would quote it away; remove the backslash.")
        }
        XCTAssertThrowsError(try JobCommandLine.checkTemplate("run {} {} {}"))
        XCTAssertThrowsError(try JobCommandLine.checkTemplate("run {} {} {} {name}"))
    }

    func testDurationFromAJSONOrYAMLConfig() {
        XCTAssertEqual(try ConfigDuration.minutes(in: Data(#"{"__duration__": 0.5, "x": 1}"#.utf8), key: "c.json"), 0.5)
        XCTAssertEqual(try ConfigDuration.minutes(in: Data("a: 1\n__duration__: 20  # minutes\n".utf8), key: "c.yaml"), 20)
        XCTAssertNil(try ConfigDuration.minutes(in: Data("a:\n  __duration__: 20\n".utf8), key: "c.yml"), "nested is not the top level")
        XCTAssertNil(try ConfigDuration.minutes(in: Data("__duration__: 20\n".utf8), key: "c.txt"))
        XCTAssertNil(try ConfigDuration.minutes(in: Data(#"{"__duration__": 0}"#.utf8), key: "c.json"))
    }

    func testTheWrappersResultFile() {
        let result = RemoteResult.parse("exit=3\ncpu=0m1.25s 0m0.50s\nmem=12000000\n")
        XCTAssertEqual(result, RemoteResult(exitCode: 3, cpuSeconds: 1.75, peakMemoryBytes: 12_000_000))
        XCTAssertEqual(RemoteResult.parse("exit=0\ncpu=\nmem=\n"), RemoteResult(exitCode: 0))
        XCTAssertEqual(RemoteSample.parse("ticks=250 rss=3000 hz=100 page=4096\n"), RemoteSample(cpuSeconds: 2.5, residentBytes: 12_288_000))
        XCTAssertNil(RemoteSample.parse(""))
    }
}
