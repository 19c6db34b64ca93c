import AWS
import Foundation
import LocalCloud
import TestSupport
import XCTest

/// Instances launched through the EC2 API on moto and made real by the podman backing.
final class PodmanInstanceBackingTests: XCTestCase {
    private var moto: MotoServer!
    private var ec2: EC2Client!
    private var podman: Podman!
    private var backing: PodmanInstanceBacking!
    private var keys: TestKeys!
    private var createdImages: [String] = []

    override func setUpWithError() throws {
        podman = try LocalCloudFixture.podman()
        moto = try MotoServer()
        ec2 = try LocalCloudFixture.ec2(moto)
        backing = PodmanInstanceBacking(ec2: ec2, podman: podman, endpoint: moto.endpoint)
        keys = try TestKeys()
        try LocalBaseImages.register(on: ec2)
        _ = try ec2.importKeyPair(keyName: "test-key", publicKey: keys.publicKey)
    }

    override func tearDownWithError() throws {
        guard let podman, let moto else { return }
        // Every container this test's endpoint has, gone; and the count says so.
        XCTAssertEqual(try LocalCloudFixture.removeEverything(endpoint: moto.endpoint, createdImages: createdImages, podman: podman), 0)
        moto.stop()
    }

    private func launch(_ imageId: String) throws -> (Instance, Double) {
        let start = Date()
        let reservation = try ec2.runInstances(RunInstancesInput(imageId: imageId, instanceType: "t3.micro", keyName: "test-key"))
        let instance = try XCTUnwrap(reservation.instances.first)
        try backing.launched(reservation.instances, publicKey: keys.publicKey)
        try backing.waitUntilSSHReady(instance, timeout: 30)
        let seconds = Date().timeIntervalSince(start)
        let described = try XCTUnwrap(try ec2.describeInstances(instanceIds: [instance.instanceId]).first)
        return (described, seconds)
    }

    func testAnInstanceFromABaseAliasRunsCommandsAndItsImageKeepsItsFiles() throws {
        let baseImage = try XCTUnwrap(try LocalBaseImages.resolve("ubuntu18", on: ec2), "the alias is tagged on the endpoint")
        let (first, launchSeconds) = try launch(baseImage)
        print(String(format: "launch to SSH-ready (RunInstances + container + sshd banner): %.2f s", launchSeconds))
        let address = try XCTUnwrap(backing.sshAddress(of: first), "the port is recorded as a tag on the instance")
        XCTAssertEqual(address.host, "127.0.0.1")
        XCTAssertEqual(try podman.containerState(first.instanceId), "running", "the container is named after the instance")

        let firstHostKey = try keys.pin(first.instanceId, port: address.port, backing: backing)
        let uname = try keys.ssh(port: address.port, "uname -a")
        XCTAssertTrue(uname.succeeded, uname.stderr)
        XCTAssertTrue(uname.stdout.hasPrefix("Linux "), uname.stdout)

        let failing = try keys.ssh(port: address.port, "echo to-stdout; echo to-stderr >&2; exit 3")
        XCTAssertEqual(failing.exitCode, 3)
        XCTAssertEqual(failing.stdout, "to-stdout\n")
        XCTAssertTrue(failing.stderr.contains("to-stderr"), failing.stderr)

        let sudo = try keys.ssh(port: address.port, "sudo -n id -u && python3 -c 'print(6*7)' && jq --version && curl --version | head -1")
        XCTAssertTrue(sudo.succeeded, sudo.stderr)
        XCTAssertTrue(sudo.stdout.hasPrefix("0\n42\njq-"), sudo.stdout)

        let marker = "written before the image \(UUID().uuidString)"
        XCTAssertTrue(try keys.ssh(port: address.port, "echo '\(marker)' > /home/ubuntu/marker.txt").succeeded)

        // Stop and start: the container follows, the host key (pinned above) stays.
        _ = try ec2.stopInstances([first.instanceId])
        try backing.stopped([first.instanceId])
        XCTAssertEqual(try podman.containerState(first.instanceId), "exited")
        _ = try ec2.startInstances([first.instanceId])
        try backing.started([first.instanceId])
        try backing.waitUntilSSHReady(first, timeout: 30)
        XCTAssertEqual(try keys.ssh(port: address.port, "cat marker.txt").stdout, marker + "\n", "same host key, same disk after a restart")

        let imageId = try ec2.createImage(instanceId: first.instanceId, name: "lc-test-\(UUID().uuidString.prefix(8))")
        createdImages.append(imageId)
        try backing.imageCreated(imageId, from: first.instanceId)
        XCTAssertTrue(try podman.imageExists(LocalCloudTags.createdImageReference(imageId)))

        _ = try ec2.terminateInstances([first.instanceId])
        try backing.terminated([first.instanceId])
        XCTAssertNil(try podman.containerState(first.instanceId), "terminating removes the container")

        let (second, _) = try launch(imageId)
        let secondAddress = try XCTUnwrap(backing.sshAddress(of: second))
        let secondHostKey = try keys.pin(second.instanceId, port: secondAddress.port, backing: backing)
        XCTAssertNotEqual(secondHostKey, firstHostKey, "host keys are made per instance, never carried in an image")
        // The first instance's key pinned for the second: the client refuses to log in.
        try "[127.0.0.1]:\(secondAddress.port) \(firstHostKey)\n".write(toFile: keys.knownHosts, atomically: true, encoding: .utf8)
        let refused = try keys.ssh(port: secondAddress.port, "true")
        XCTAssertNotEqual(refused.exitCode, 0)
        XCTAssertTrue(refused.stderr.contains("Host key verification failed"), refused.stderr)
        _ = try keys.pin(second.instanceId, port: secondAddress.port, backing: backing)
        let found = try keys.ssh(port: secondAddress.port, "cat /home/ubuntu/marker.txt")
        XCTAssertEqual(found.stdout, marker + "\n", found.stderr)

        _ = try ec2.terminateInstances([second.instanceId])
        try backing.terminated([second.instanceId])
        try ec2.deregisterImage(imageId)
        try backing.imageDeregistered(imageId)
        XCTAssertFalse(try podman.imageExists(LocalCloudTags.createdImageReference(imageId)))
    }

    func testAnAMIWithoutALocalImageIsRefusedWithASentence() throws {
        let reservation = try ec2.runInstances(RunInstancesInput(imageId: "ami-785db401", instanceType: "t3.micro"))
        try ec2.deleteTags(resourceIds: ["ami-785db401"], keys: [LocalCloudTags.podmanImage])
        XCTAssertThrowsError(try backing.launched(reservation.instances, publicKey: nil)) { error in
            XCTAssertTrue("\(error)".contains("ami-785db401 has no podman image"), "\(error)")
        }
        XCTAssertEqual(try LocalCloudFixture.containerCount(endpoint: moto.endpoint, podman: podman), 0, "nothing started")
    }

    func testAnInstanceThatShutsItselfDownIsReportedAsExited() throws {
        let baseImage = try XCTUnwrap(try LocalBaseImages.resolve("debian12", on: ec2))
        let reservation = try ec2.runInstances(RunInstancesInput(imageId: baseImage, instanceType: "t3.micro"))
        let instance = try XCTUnwrap(reservation.instances.first)
        try backing.launched(reservation.instances, publicKey: keys.publicKey)
        // The instance's shutdown ends its container, as `sudo shutdown -h now` would end a VM.
        try backing.waitUntilSSHReady(instance, timeout: 30)
        _ = try podman.checked(["exec", instance.instanceId, "shutdown", "-h", "now"], "shut down")
        let described = try XCTUnwrap(try ec2.describeInstances(instanceIds: [instance.instanceId]).first)
        let deadline = Date().addingTimeInterval(10)
        while try podman.containerState(instance.instanceId) == "running", Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        XCTAssertThrowsError(try backing.waitUntilSSHReady(described, timeout: 5)) { error in
            XCTAssertTrue("\(error)".contains("exited before sshd answered"), "\(error)")
        }
    }

    func testContainersWhoseEndpointIsGoneAreOrphans() throws {
        let baseImage = try XCTUnwrap(try LocalBaseImages.resolve("dlami18", on: ec2))
        let reservation = try ec2.runInstances(RunInstancesInput(imageId: baseImage, instanceType: "t3.micro"))
        try backing.launched(reservation.instances, publicKey: keys.publicKey)
        let id = try XCTUnwrap(reservation.instances.first?.instanceId)
        let admin = moto.adminCredentials
        let region = moto.region
        let survey = LocalInstanceSurvey(podman: podman) {
            try LocalEndpoint.ec2(endpoint: $0, region: region, accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey)
        }

        let live = try survey.survey(endpoint: moto.endpoint)
        XCTAssertEqual(live.map(\.instanceId), [id])
        XCTAssertEqual(live.first?.standing, .instance(state: "running"))
        XCTAssertNotNil(live.first?.sshPort)

        moto.stop()
        let after = try survey.survey(endpoint: moto.endpoint)
        XCTAssertEqual(after.map(\.instanceId), [id])
        XCTAssertTrue(after.first?.isOrphan == true, "\(String(describing: after.first?.standing))")
    }
}

extension PodmanInstanceBackingTests {
    func testTellingTheBackingTwiceAboutALaunchKeepsOneContainerAndItsPort() throws {
        let baseImage = try XCTUnwrap(try LocalBaseImages.resolve("ubuntu16", on: ec2))
        let reservation = try ec2.runInstances(RunInstancesInput(imageId: baseImage, instanceType: "t3.micro"))
        let instance = try XCTUnwrap(reservation.instances.first)
        try backing.launched(reservation.instances, publicKey: keys.publicKey)
        try backing.waitUntilSSHReady(instance, timeout: 30)
        let firstPort = try XCTUnwrap(backing.sshAddress(of: try XCTUnwrap(try ec2.describeInstances(instanceIds: [instance.instanceId]).first))?.port)

        try backing.launched(reservation.instances, publicKey: keys.publicKey)
        let described = try XCTUnwrap(try ec2.describeInstances(instanceIds: [instance.instanceId]).first)
        XCTAssertEqual(backing.sshAddress(of: described)?.port, firstPort, "the tag still names the port sshd listens on")
        XCTAssertEqual(try LocalCloudFixture.containerCount(endpoint: moto.endpoint, podman: podman), 1)
        try backing.waitUntilSSHReady(described, timeout: 10)
    }
}

extension PodmanInstanceBackingTests {
    func testA50MBFileGoesInAndComesBackIdenticalOverSFTP() throws {
        let baseImage = try XCTUnwrap(try LocalBaseImages.resolve("ubuntu18", on: ec2))
        let reservation = try ec2.runInstances(RunInstancesInput(imageId: baseImage, instanceType: "t3.micro"))
        let instance = try XCTUnwrap(reservation.instances.first)
        try backing.launched(reservation.instances, publicKey: keys.publicKey)
        try backing.waitUntilSSHReady(instance, timeout: 30)
        let described = try XCTUnwrap(try ec2.describeInstances(instanceIds: [instance.instanceId]).first)
        let port = try XCTUnwrap(backing.sshAddress(of: described)).port
        _ = try keys.pin(instance.instanceId, port: port, backing: backing)

        let random = try XCTUnwrap(FileHandle(forReadingAtPath: "/dev/urandom"))
        let original = try XCTUnwrap(try random.read(upToCount: 50_000_000))
        try random.close()
        XCTAssertEqual(original.count, 50_000_000)
        let upload = keys.folder.appendingPathComponent("upload.bin")
        let download = keys.folder.appendingPathComponent("download.bin")
        try original.write(to: upload)
        // OpenSSH's scp speaks SFTP: this checks the instance's sftp-server subsystem.
        let common = ["-i", keys.privateKey, "-P", String(port), "-o", "UserKnownHostsFile=\(keys.knownHosts)",
                      "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-q"]
        let put = try ProcessRunner.run("scp", common + [upload.path, "ubuntu@127.0.0.1:/home/ubuntu/data.bin"], timeout: 60)
        XCTAssertTrue(put.succeeded, put.stderr)
        let get = try ProcessRunner.run("scp", common + ["ubuntu@127.0.0.1:/home/ubuntu/data.bin", download.path], timeout: 60)
        XCTAssertTrue(get.succeeded, get.stderr)
        XCTAssertEqual(try Data(contentsOf: download), original)
    }
}

extension PodmanInstanceBackingTests {
    func testInstancesThatShutThemselvesDownAreStoppedOrTerminatedByTheirShutdownBehavior() throws {
        let baseImage = try XCTUnwrap(try LocalBaseImages.resolve("debian12", on: ec2))
        var launchedIds: [String: String] = [:]
        for behavior in ["stop", "terminate"] {
            let reservation = try ec2.runInstances(RunInstancesInput(imageId: baseImage, instanceType: "t3.micro",
                                                                     instanceInitiatedShutdownBehavior: behavior))
            let instance = try XCTUnwrap(reservation.instances.first)
            try backing.launched(reservation.instances, publicKey: keys.publicKey, shutdownBehavior: behavior)
            try backing.waitUntilSSHReady(instance, timeout: 30)
            launchedIds[behavior] = instance.instanceId
        }
        XCTAssertEqual(try backing.syncInstanceInitiatedShutdowns(), [], "running instances are left alone")

        for id in launchedIds.values {
            // The exec's own exit status is not the outcome: the container may stop under it
            // before podman collects the status. What counts is the container's state below.
            _ = try podman.call(["exec", id, "sudo", "shutdown", "-h", "now"])
            let deadline = Date().addingTimeInterval(10)
            while try podman.containerState(id) == "running", Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        }
        XCTAssertEqual(Set(try backing.syncInstanceInitiatedShutdowns()), Set(launchedIds.values))

        let stopId = try XCTUnwrap(launchedIds["stop"])
        let terminateId = try XCTUnwrap(launchedIds["terminate"])
        let states = Dictionary(uniqueKeysWithValues: try ec2.describeInstances(instanceIds: [stopId, terminateId]).map { ($0.instanceId, $0.state) })
        XCTAssertEqual(states[stopId], "stopped")
        XCTAssertEqual(states[terminateId], "terminated")
        XCTAssertEqual(try podman.containerState(stopId), "exited", "a stopped instance keeps its disk")
        XCTAssertNil(try podman.containerState(terminateId), "a terminated instance's container is removed")
        XCTAssertEqual(try backing.syncInstanceInitiatedShutdowns(), [], "nothing left to change")
    }
}
