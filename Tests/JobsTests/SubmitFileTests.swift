import Foundation
import Jobs
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

/// COMMAND's four parameters become quoted words; the config's `__duration__`; the wrapper's result file.
final class JobCommandLineTests: XCTestCase {
    func testParametersAreQuotedWordsEvenInsideTheTemplatesOwnQuotes() throws {
        let nasty = #"lab/inputs/a"; touch /tmp/pwned; ""#
        let plain = try JobCommandLine.render("run {} {} {} {}", parameters: ["b", nasty, "lab/results/job__x_t", "lab/configs/it's.json"])
        XCTAssertEqual(plain, #"run 'b' 'lab/inputs/a"; touch /tmp/pwned; "' 'lab/results/job__x_t' 'lab/configs/it'\''s.json'"#)
        let quoted = try JobCommandLine.render(#"bash run.sh "{}" "{}" '{}' {} {{literal}}"#, parameters: ["b", nasty, "r", "c"])
        XCTAssertEqual(quoted, #"bash run.sh 'b' 'lab/inputs/a"; touch /tmp/pwned; "' 'r' 'c' {literal}"#)
        // The shell itself hands the dataset back as one word.
        let echoed = try ProcessRunner.run("/bin/sh", ["-c", "printf '%s\\n' " + ShellQuoting.quote(nasty)]).stdout
        XCTAssertEqual(echoed, nasty + "\n")
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
