import AWS
import Foundation
import LocalCloud
import TestSupport
import XCTest

/// Launch-to-SSH-ready of a local instance against the floor: a bare `podman run` of the same
/// image that starts sshd, until an SSH login answers. Goal: within 1.5× the floor.
final class LaunchTimingTests: XCTestCase {
    func testLaunchToSSHReadyIsWithinOneAndAHalfTimesABarePodmanRun() throws {
        let podman = try LocalCloudFixture.podman()
        let moto = try MotoServer()
        defer { moto.stop() }
        let ec2 = try LocalCloudFixture.ec2(moto)
        try LocalBaseImages.register(on: ec2)
        let imageId = try XCTUnwrap(try LocalBaseImages.resolve("ubuntu18", on: ec2))
        let backing = PodmanInstanceBacking(ec2: ec2, podman: podman, endpoint: moto.endpoint)
        let keys = try TestKeys()
        var bare: [Double] = []
        var launched: [Double] = []
        var names: [String] = []
        defer {
            for name in names { try? podman.remove(name) }
            XCTAssertEqual(try? LocalCloudFixture.containerCount(endpoint: moto.endpoint, podman: podman), 0)
        }

        for round in 0..<3 {
            // The floor: podman run of the base image, host keys made at boot, sshd, one login.
            let port = try Loopback.freePort()
            let name = "ncaas-floor-\(getpid())-\(round)"
            names.append(name)
            var start = Date()
            _ = try podman.runDetached([
                "--name", name, "--network", "host", "-v", BaseImageRecipe.hostKeyFolder,
                "-e", "\(BaseImageRecipe.Environment.sshPort)=\(port)",
                "-e", "\(BaseImageRecipe.Environment.authorizedKey)=\(keys.publicKey)",
            ], image: BaseImageRecipe.reference)
            try login(keys, port: port)
            bare.append(Date().timeIntervalSince(start))
            try podman.remove(name)

            // ncaas: RunInstances on moto, the container, the banner, one login.
            start = Date()
            let reservation = try ec2.runInstances(RunInstancesInput(imageId: imageId, instanceType: "t3.micro"))
            let instance = try XCTUnwrap(reservation.instances.first)
            names.append(instance.instanceId)
            try backing.launched(reservation.instances, publicKey: keys.publicKey)
            try backing.waitUntilSSHReady(instance, timeout: 30)
            let described = try XCTUnwrap(try ec2.describeInstances(instanceIds: [instance.instanceId]).first)
            try login(keys, port: try XCTUnwrap(backing.sshAddress(of: described)).port)
            launched.append(Date().timeIntervalSince(start))
            _ = try ec2.terminateInstances([instance.instanceId])
            try backing.terminated([instance.instanceId])
        }
        let floor = bare.sorted()[1]
        let ours = launched.sorted()[1]
        print(String(format: "launch to SSH login: bare podman run %.2f s (runs: %@), ncaas local launch %.2f s (runs: %@), ratio %.2f",
                     floor, bare.map { String(format: "%.2f", $0) }.joined(separator: " "),
                     ours, launched.map { String(format: "%.2f", $0) }.joined(separator: " "), ours / floor))
        XCTAssertLessThanOrEqual(ours, floor * 1.5, "launch-to-SSH-ready should be within 1.5× a bare podman run")
    }

    /// Polls until `ssh true` logs in (host key accepted on first contact into a fresh file).
    private func login(_ keys: TestKeys, port: Int) throws {
        let knownHosts = keys.folder.appendingPathComponent("timing-\(port)").path
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let result = try ProcessRunner.run("ssh", [
                "-i", keys.privateKey, "-p", String(port), "-o", "UserKnownHostsFile=\(knownHosts)",
                "-o", "StrictHostKeyChecking=accept-new", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                "-o", "ConnectTimeout=2", "-o", "LogLevel=ERROR", "ubuntu@127.0.0.1", "true",
            ], timeout: 10)
            if result.succeeded { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw TestSupportError("no SSH login on port \(port) within 30 s")
    }
}
