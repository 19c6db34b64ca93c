import Foundation
import TestSupport
import XCTest

/// The plain AWS CLI pointed at a test's endpoint, signing as its admin: what any client sends.
struct AWSCLI {
    let moto: MotoServer

    /// Runs `aws ARGS --output json` and returns its stdout; fails the test when it fails.
    @discardableResult
    func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try ProcessRunner.run("aws", arguments + ["--output", "json"], environment: moto.awsEnvironment(moto.adminCredentials), timeout: 120)
        XCTAssertTrue(result.succeeded, "aws \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return result.stdout
    }

    /// `run` decoded as JSON.
    func json(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        let text = try run(arguments, file: file, line: line)
        return try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    /// A `--query` result as text (`--output text`).
    func text(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try ProcessRunner.run("aws", arguments + ["--output", "text"], environment: moto.awsEnvironment(moto.adminCredentials), timeout: 120)
        XCTAssertTrue(result.succeeded, "aws \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls `describe-instances` until the instance is in `state` (or 60 s pass); returns the state seen last.
    @discardableResult
    func waitFor(_ instanceId: String, state: String, timeout: TimeInterval = 60) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var seen = ""
        while Date() < deadline {
            seen = try text(["ec2", "describe-instances", "--instance-ids", instanceId,
                             "--query", "Reservations[0].Instances[0].State.Name"])
            if seen == state { return seen }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return seen
    }

    /// The instance's console output, decoded (`aws ec2 get-console-output` decodes it).
    func console(_ instanceId: String) throws -> String {
        try text(["ec2", "get-console-output", "--instance-id", instanceId, "--latest", "--query", "Output"])
    }
}
