import AWS
import DevAMI
import Foundation
import TestSupport
import XCTest

/// The developer loop as a user types it, through the built binary, on a local cloud (moto with
/// auth on, podman instances): configure → dev launch → exec installs a file → create-image →
/// update-blueprint (two commits) → terminate → launch from the new AMI and find the file.
final class DevWorkflowEndToEndTests: XCTestCase {
    private var fixture: LocalCloudCLIFixture!

    override func setUpWithError() throws { fixture = try LocalCloudCLIFixture() }

    override func tearDownWithError() throws {
        if let fixture { XCTAssertEqual(try fixture.tearDown(), 0, "no instance container outlives the test") }
    }

    func testTheWholeDevLoopInAnUnbornRepository() throws {
        try fixture.makeRepository(commit: false)
        // Something else is staged: the update must leave it staged and uncommitted.
        try "notes\n".write(to: fixture.folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        try fixture.git("add", "notes.txt")
        let configured = try fixture.ncaas("configure", "pca-dev", "--ami", "ubuntu18", "--instance-type", "t3.micro")
        XCTAssertEqual(configured.exitCode, 0, configured.stderr)

        // Launch: id, address and the exact ssh command.
        let launch = try fixture.ncaas("dev", "launch", "pca-dev", "--timeout", "30m")
        XCTAssertEqual(launch.exitCode, 0, launch.stderr)
        let instanceId = try XCTUnwrap(launch.stdout.split(separator: " ").first { $0.hasPrefix("i-") }.map(String.init), launch.stdout)
        let described = try XCTUnwrap(try fixture.ec2.describeInstances(instanceIds: [instanceId]).first)
        let address = try XCTUnwrap(described.publicIpAddress)
        XCTAssertTrue(launch.stdout.contains("ready at \(address):22 "), "port 22 of the instance's own address: \(launch.stdout)")
        XCTAssertTrue(launch.stdout.contains("HostKeyAlias=\(instanceId)"), launch.stdout)
        XCTAssertEqual(described.tag(InstanceTags.analysis), "pca-dev")
        XCTAssertEqual(described.tag(InstanceTags.role), "dev")
        XCTAssertEqual(described.tag(InstanceTags.owner), "arn:aws:iam::123456789012:user/\(fixture.user.userName)")
        XCTAssertEqual(described.tag(LoginUser.tag), "ubuntu", "Canonical's image logs in as ubuntu")
        let expiry = try XCTUnwrap(described.expiry)
        XCTAssertEqual(expiry.timeIntervalSinceNow, 1800, accuracy: 120)

        // The printed ssh command works as printed (system ssh, host key checked strictly).
        let printed = try fixture.ncaas("dev", "ssh", "pca-dev", "--print-command")
        XCTAssertEqual(printed.exitCode, 0, printed.stderr)
        let sshWords = printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        let viaSystem = try ProcessRunner.run("ssh", ["-o", "BatchMode=yes"] + Array(sshWords.dropFirst()) + ["hostname"], timeout: 30)
        XCTAssertEqual(viaSystem.exitCode, 0, viaSystem.stderr)
        XCTAssertEqual(viaSystem.stdout, "ip-\(address.replacingOccurrences(of: ".", with: "-"))\n", "EC2's host name, from the address")

        // exec: install a file; output streams back and the exit code is ours.
        let install = try fixture.ncaas("dev", "exec", "pca-dev", "--", "sudo mkdir -p /opt/pca && echo v1 | sudo tee /opt/pca/version")
        XCTAssertEqual(install.exitCode, 0, install.stderr)
        XCTAssertEqual(install.stdout, "v1\n")
        let failing = try fixture.ncaas("dev", "exec", "pca-dev", "--", "echo to-stderr >&2; exit 7")
        XCTAssertEqual(failing.exitCode, 7)
        XCTAssertEqual(failing.stderr, "to-stderr\n")
        // Several arguments are an argv, each one word, as docker exec and kubectl exec take them:
        // `sh -c 'exit 7'` exits 7 (joined like ssh, it ran `sh -c exit 7` and exited 0).
        XCTAssertEqual(try fixture.ncaas("dev", "exec", "pca-dev", "--", "sh", "-c", "exit 7").exitCode, 7)
        XCTAssertEqual(try fixture.ncaas("dev", "exec", "pca-dev", "--", "printf", "%s|", "a b", "$HOME", "x;y").stdout, "a b|$HOME|x;y|")

        // terminate is refused before an image exists.
        let early = try fixture.ncaas("dev", "terminate", "pca-dev")
        XCTAssertEqual(early.exitCode, 75, early.stderr)
        XCTAssertTrue(early.stderr.contains("No image was created from \(instanceId)"), early.stderr)

        // create-image, then status lists it (with the record file gone: rebuilt from tags).
        let image = try fixture.ncaas("dev", "create-image", "pca-dev")
        XCTAssertEqual(image.exitCode, 0, image.stderr)
        let imageId = image.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(imageId.hasPrefix("ami-"), image.stdout)
        fixture.createdImages.append(imageId)
        try FileManager.default.removeItem(atPath: fixture.folder.appendingPathComponent(".ncaas/dev/pca-dev.json").path)
        let status = try fixture.ncaas("dev", "status", "pca-dev", "--output", "json")
        XCTAssertEqual(status.exitCode, 0, status.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["instanceId"] as? String, instanceId)
        XCTAssertEqual(json["state"] as? String, "running")
        XCTAssertEqual(json["images"] as? [String], [imageId])
        XCTAssertEqual(Double(json["secondsLeft"] as? Int ?? 0), expiry.timeIntervalSinceNow, accuracy: 60)
        // CreateImage rebooted the instance (as EC2 does): it came back with its deadline watchdog running.
        XCTAssertGreaterThanOrEqual((try fixture.ec2.consoleOutput(instanceId: instanceId) ?? "").components(separatedBy: "running 'init'").count - 1, 2,
                                    "the instance rebooted for the image")
        let watchdog = try fixture.ncaas("dev", "exec", "pca-dev", "--", "pgrep -f ncaas-watchdog >/dev/null && cat \(Deadline.expiryFile)")
        XCTAssertEqual(watchdog.exitCode, 0, "the watchdog runs again after the reboot: \(watchdog.stderr)")
        let fields = watchdog.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        XCTAssertEqual(fields.first, instanceId)
        XCTAssertEqual(Double(fields.last ?? "") ?? 0, expiry.timeIntervalSince1970, accuracy: 1, "with the instance's deadline")

        // update-blueprint: two commits, only the blueprint, the diff is the AMI line.
        let before = try String(contentsOfFile: fixture.blueprintPath("pca-dev"), encoding: .utf8)
        let update = try fixture.ncaas("dev", "update-blueprint", "pca-dev", "-m", "adds /opt/pca")
        XCTAssertEqual(update.exitCode, 0, update.stderr)
        let log = try fixture.git("log", "--format=%H %P|%s")
        let commits = log.split(separator: "\n").map(String.init)
        XCTAssertEqual(commits.count, 2, log)
        let (afterLine, beforeLine) = (commits[0], commits[1])
        XCTAssertTrue(afterLine.hasSuffix("|ncaas: pca-dev AMI ubuntu18 -> \(imageId)"), afterLine)
        XCTAssertTrue(beforeLine.hasSuffix("|ncaas: pca-dev blueprint before the AMI update"), beforeLine)
        let beforeHash = String(beforeLine.prefix(40))
        XCTAssertEqual(beforeLine.split(separator: "|")[0].split(separator: " ").count, 1, "the first commit is a root commit")
        XCTAssertEqual(afterLine.split(separator: "|")[0].split(separator: " ").last.map(String.init), beforeHash, "the second commit's parent is the first")
        XCTAssertEqual(try fixture.git("show", "\(beforeHash):blueprints/pca-dev/stack_config_template.json"), before)
        XCTAssertEqual(try fixture.git("show", "--format=", "--name-only", "HEAD"), "blueprints/pca-dev/stack_config_template.json\n")
        let diff = try fixture.git("diff", "-U0", "HEAD~1", "HEAD")
        let changed = diff.split(separator: "\n").filter { ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++") && !$0.hasPrefix("---") }
        XCTAssertEqual(changed.count, 2, diff)
        XCTAssertTrue(changed[0].contains("\"AMI\": \"ubuntu18\""), diff)
        XCTAssertTrue(changed[1].contains("\"AMI\": \"\(imageId)\""), diff)
        XCTAssertTrue(try fixture.git("log", "-1", "--format=%B").contains("adds /opt/pca"))
        XCTAssertEqual(try fixture.git("log", "-1", "--format=%an <%ae>"), "Ada Researcher <ada@example.org>\n")
        XCTAssertEqual(try fixture.git("status", "--porcelain", "--", "notes.txt", "blueprints/pca-dev/stack_config_template.json"), "A  notes.txt\n", "notes.txt stays staged; the blueprint is committed")

        // terminate, then a launch from the new AMI finds the file.
        let terminate = try fixture.ncaas("dev", "terminate", "pca-dev")
        XCTAssertEqual(terminate.exitCode, 0, terminate.stderr)
        XCTAssertEqual(try fixture.liveInstances("pca-dev").count, 0)
        XCTAssertEqual(try fixture.containerCount(), 0)
        let relaunch = try fixture.ncaas("dev", "launch", "pca-dev")
        XCTAssertEqual(relaunch.exitCode, 0, relaunch.stderr)
        let second = try XCTUnwrap(try fixture.liveInstances("pca-dev").first)
        XCTAssertEqual(second.imageId, imageId, "launched from the blueprint's new AMI")
        let found = try fixture.ncaas("dev", "exec", "pca-dev", "--", "cat /opt/pca/version")
        XCTAssertEqual(found.stdout, "v1\n", found.stderr)
        XCTAssertEqual(try fixture.ncaas("dev", "terminate", "pca-dev", "--force").exitCode, 0)
        XCTAssertEqual(try fixture.containerCount(), 0)
    }
}
