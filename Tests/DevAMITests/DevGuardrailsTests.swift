import AWS
import DevAMI
import Support
import Foundation
import TestSupport
import XCTest

/// What keeps the dev loop from leaking or surprising: one dev instance per analysis, a deadline
/// the instance enforces itself, Ctrl-C during a launch, and bad input refused before any call.
final class DevGuardrailsTests: XCTestCase {
    private var fixture: LocalCloudCLIFixture!

    override func setUpWithError() throws {
        fixture = try LocalCloudCLIFixture()
        try fixture.makeRepository(commit: true)
        XCTAssertEqual(try fixture.ncaas("configure", "guard", "--ami", "ubuntu18", "--instance-type", "t3.micro").exitCode, 0)
    }

    override func tearDownWithError() throws {
        if let fixture { XCTAssertEqual(try fixture.tearDown(), 0, "no instance container outlives the test") }
    }

    func testASecondLaunchIsRefusedWithTheLiveInstancesId() throws {
        let first = try fixture.ncaas("dev", "launch", "guard", "--output", "json")
        XCTAssertEqual(first.exitCode, 0, first.stderr)
        let id = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])["instanceId"] as? String
        let second = try fixture.ncaas("dev", "launch", "guard")
        XCTAssertEqual(second.exitCode, 75, second.stderr)
        XCTAssertEqual(second.stderr, "ncaas: guard already has a dev instance, \(try XCTUnwrap(id)) (running); use it, or end it with `ncaas dev terminate guard` first.\n")
        XCTAssertEqual(try fixture.liveInstances("guard").count, 1, "nothing else was launched")
        XCTAssertEqual(try fixture.ncaas("dev", "terminate", "guard", "--force").exitCode, 0)
    }

    func testTheInstanceStopsItselfAtItsDeadlineAndExtendMovesIt() throws {
        let launch = try fixture.ncaas("dev", "launch", "guard", "--timeout", "6s")
        XCTAssertEqual(launch.exitCode, 0, launch.stderr)
        let id = try XCTUnwrap(try fixture.liveInstances("guard").first?.instanceId)
        // The watchdog on the instance shuts it down; the shutdown behavior of a dev instance is stop.
        var state = ""
        let deadline = Date().addingTimeInterval(40)
        while Date() < deadline {
            let status = try fixture.ncaas("dev", "status", "guard", "--query", ".state")
            state = status.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if state == "stopped" { break }
            Thread.sleep(forTimeInterval: 1)
        }
        XCTAssertEqual(state, "stopped", "the dev instance stopped itself at its deadline")
        let start = try fixture.ncaas("dev", "start", "guard")
        XCTAssertEqual(start.exitCode, 75, "a start past the deadline is refused: \(start.stderr)")
        XCTAssertTrue(start.stderr.contains("ncaas dev extend guard"), start.stderr)

        let extend = try fixture.ncaas("dev", "extend", "guard", "30")
        XCTAssertEqual(extend.exitCode, 0, extend.stderr)
        let expiry = try XCTUnwrap(try fixture.ec2.describeInstances(instanceIds: [id]).first?.expiry)
        XCTAssertEqual(expiry.timeIntervalSinceNow, 1800, accuracy: 60, "the tag moved 30 minutes past now")
        XCTAssertEqual(try fixture.ncaas("dev", "start", "guard").exitCode, 0)
        let onInstance = try fixture.ncaas("dev", "exec", "guard", "--", "cat", Deadline.expiryFile)
        XCTAssertEqual(Double(onInstance.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, expiry.timeIntervalSince1970, accuracy: 2,
                       "the watchdog on the restarted instance has the new deadline")
        XCTAssertEqual(try fixture.ncaas("dev", "terminate", "guard", "--force").exitCode, 0)
    }

    func testCtrlCDuringALaunchTerminatesWhatWasLaunched() throws {
        let environment = ProcessInfo.processInfo.environment.merging(fixture.environment) { _, new in new }
        let out = fixture.folder.appendingPathComponent("launch.out").path
        let pid = try ChildProcess.start(LocalCloudCLIFixture.binary, ["dev", "launch", "guard"], stdoutPath: out, stderrPath: nil,
                                         environment: environment, inFolder: fixture.path)
        // Interrupt as soon as the instance exists on the endpoint (before it is SSH-ready).
        var launched: [Instance] = []
        let deadline = Date().addingTimeInterval(60)
        while launched.isEmpty && Date() < deadline {
            launched = try fixture.liveInstances("guard")
            if launched.isEmpty { Thread.sleep(forTimeInterval: 0.02) }
        }
        XCTAssertEqual(launched.count, 1, "the launch got as far as RunInstances")
        kill(pid, SIGINT)
        let status = ChildProcess.wait(pid, timeout: 60)
        XCTAssertEqual(status, 130, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
        XCTAssertTrue(((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").contains("interrupted: cleaning up"))
        XCTAssertEqual(try fixture.liveInstances("guard").count, 0, "the instance was terminated")
        XCTAssertEqual(try fixture.containerCount(), 0, "and its container removed")
    }

    func testBadInputIsOneSentenceAndChangesNothing() throws {
        let unknown = try fixture.ncaas("dev", "launch", "nosuch")
        XCTAssertEqual(unknown.exitCode, 66)
        XCTAssertTrue(unknown.stderr.hasPrefix("ncaas: There is no blueprint named 'nosuch'"), unknown.stderr)

        let timeout = try fixture.ncaas("dev", "launch", "guard", "--timeout", "soon")
        XCTAssertEqual(timeout.exitCode, 65)
        XCTAssertEqual(timeout.stderr, "ncaas: --timeout 'soon' is not a duration: give minutes (90) or 90m, 2h, 45s, at most 366d.\n")

        let alias = try fixture.ncaas("dev", "launch", "guard", "--ami", "windows11")
        XCTAssertEqual(alias.exitCode, 65, alias.stderr)
        XCTAssertTrue(alias.stderr.contains("'windows11' is neither an AMI id"), alias.stderr)

        let none = try fixture.ncaas("dev", "status", "guard")
        XCTAssertEqual(none.exitCode, 66)
        XCTAssertEqual(none.stderr, "ncaas: guard has no dev instance on \(fixture.moto.endpoint); start one with `ncaas dev launch guard`.\n")

        let noCommand = try fixture.ncaas("dev", "exec", "guard")
        XCTAssertEqual(noCommand.exitCode, 65, noCommand.stderr)

        // An invalid blueprint is refused before any call: the endpoint here does not answer.
        let path = fixture.blueprintPath("guard")
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\"t3.micro\"", with: "\"large\"")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let invalid = try ProcessRunner.run(LocalCloudCLIFixture.binary, ["dev", "launch", "guard", "--endpoint-url", "http://127.0.0.1:9"],
                                            environment: fixture.environment, currentDirectory: fixture.path)
        XCTAssertEqual(invalid.exitCode, 1, invalid.stderr)
        XCTAssertTrue(invalid.stderr.contains("The blueprint is invalid, nothing was done: Lambda.LambdaConfig.INSTANCE_TYPE"), invalid.stderr)

        // A dead endpoint: one sentence, exit 69, nothing recorded.
        try text.replacingOccurrences(of: "\"large\"", with: "\"t3.micro\"").write(toFile: path, atomically: true, encoding: .utf8)
        let dead = try ProcessRunner.run(LocalCloudCLIFixture.binary, ["dev", "launch", "guard", "--endpoint-url", "http://127.0.0.1:9"],
                                         environment: fixture.environment, currentDirectory: fixture.path)
        XCTAssertEqual(dead.exitCode, 69, dead.stderr)
        XCTAssertEqual(dead.stderr.split(separator: "\n").count, 1, dead.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.folder.appendingPathComponent(".ncaas/dev/guard.json").path))
        XCTAssertEqual(try fixture.liveInstances("guard").count, 0)
    }

    func testAStaleRecordIsReplacedByWhatTheCloudSays() throws {
        XCTAssertEqual(try fixture.ncaas("dev", "launch", "guard").exitCode, 0)
        let record = fixture.folder.appendingPathComponent(".ncaas/dev/guard.json").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: record))
        // Terminated behind ncaas's back (another machine, the console): the record is stale.
        let id = try XCTUnwrap(try fixture.liveInstances("guard").first?.instanceId)
        _ = try fixture.ec2.terminateInstances([id])
        try fixture.podman.remove(id)
        let status = try fixture.ncaas("dev", "status", "guard")
        XCTAssertEqual(status.exitCode, 66, status.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: record), "the stale record is dropped")
        // And a launch goes ahead: nothing alive holds the analysis.
        XCTAssertEqual(try fixture.ncaas("dev", "launch", "guard").exitCode, 0)
        XCTAssertEqual(try fixture.ncaas("dev", "terminate", "guard", "--force").exitCode, 0)
    }

    func testFilesAndFoldersGoBothWays() throws {
        XCTAssertEqual(try fixture.ncaas("dev", "launch", "guard").exitCode, 0)
        let local = fixture.folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: local.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "a\n".write(to: local.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "b\n".write(to: local.appendingPathComponent("sub/b.txt"), atomically: true, encoding: .utf8)
        let put = try fixture.ncaas("dev", "put", "guard", local.path, "incoming")
        XCTAssertEqual(put.exitCode, 0, put.stderr)
        XCTAssertEqual(try fixture.ncaas("dev", "exec", "guard", "--", "cat incoming/a.txt incoming/sub/b.txt").stdout, "a\nb\n")
        let back = fixture.folder.appendingPathComponent("back")
        let get = try fixture.ncaas("dev", "get", "guard", "incoming", back.path)
        XCTAssertEqual(get.exitCode, 0, get.stderr)
        XCTAssertEqual(try String(contentsOf: back.appendingPathComponent("sub/b.txt"), encoding: .utf8), "b\n")
        let missing = try fixture.ncaas("dev", "get", "guard", "nothing-here", back.path)
        XCTAssertEqual(missing.exitCode, 66, missing.stderr)
        // The instance trusts what this machine trusts: its CA bundle is the host's (a TLS-inspecting
        // proxy works inside as outside).
        let hostBundle = try ProcessRunner.run("sha256sum", ["/etc/ssl/certs/ca-certificates.crt"]).stdout.prefix(64)
        let instanceBundle = try fixture.ncaas("dev", "exec", "guard", "--", "sha256sum /etc/ssl/certs/ca-certificates.crt").stdout.prefix(64)
        XCTAssertEqual(instanceBundle, hostBundle)
        XCTAssertEqual(try fixture.ncaas("dev", "terminate", "guard", "--force").exitCode, 0)
    }
}
