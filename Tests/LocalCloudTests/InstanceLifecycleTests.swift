import AWS
import Foundation
import LocalCloud
import TestSupport
import XCTest

/// The endpoint drives each instance's container as EC2 drives an instance, whoever calls it:
/// shutdowns from inside by the shutdown behaviour, reboots, CreateImage's reboot, failures to
/// boot, ClientToken idempotency, user-data it cannot run, an account without a default VPC.
final class InstanceLifecycleTests: XCTestCase {
    private var moto: MotoServer!
    private var ec2: EC2Client!
    private var podman: Podman!
    private var aws: AWSCLI!

    override func setUpWithError() throws {
        podman = try LocalCloudFixture.podman()
        moto = try MotoServer()
        ec2 = try LocalCloudFixture.ec2(moto)
        aws = AWSCLI(moto: moto)
    }

    override func tearDownWithError() throws {
        if let moto { XCTAssertEqual(try LocalCloudFixture.containerCount(endpoint: moto.endpoint, podman: podman), 0, "every test terminates what it launched") }
        moto?.stop()
    }

    private var base: String { get throws { try ec2.client.ssm.getParameter(name: "/aws/service/debian/release/12/latest/amd64").value } }

    private func launch(_ userData: String? = nil, shutdownBehavior: String? = nil, image: String? = nil, token: String? = nil) throws -> String {
        var input = RunInstancesInput(imageId: try image ?? base, instanceType: "t3.micro")
        input.userData = userData
        input.instanceInitiatedShutdownBehavior = shutdownBehavior
        if let token { input.clientToken = token }
        return try XCTUnwrap(try ec2.runInstances(input).instances.first?.instanceId)
    }

    private func waitForConsole(_ id: String, toContain text: String, count: Int = 1, timeout: TimeInterval = 60) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var console = ""
        while Date() < deadline {
            console = try ec2.consoleOutput(instanceId: id) ?? ""
            if console.components(separatedBy: text).count - 1 >= count { return console }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("the console of \(id) never showed \(count) × \(text):\n\(console)")
        return console
    }

    private func describe(_ id: String) throws -> Instance { try XCTUnwrap(try ec2.describeInstances(instanceIds: [id]).first) }

    func testAnInstanceThatShutsItselfDownIsStoppedOrTerminatedByItsShutdownBehaviour() throws {
        let keeper = try launch("#!/bin/sh\nshutdown -h now\n")
        let ender = try launch("#!/bin/sh\npoweroff\n", shutdownBehavior: "terminate")
        let stopped = try ec2.waitForInstances([keeper], toBe: .stopped, policy: WaiterPolicy(timeout: 60))[0]
        XCTAssertEqual(stopped.stateReason, "Client.InstanceInitiatedShutdown: Instance initiated shutdown")
        XCTAssertEqual(try podman.containerState(keeper), "exited", "a stopped instance keeps its disk")
        let ended = try ec2.waitForInstances([ender], toBe: .terminated, policy: WaiterPolicy(timeout: 60))[0]
        XCTAssertEqual(ended.stateReason, "Client.InstanceInitiatedShutdown: Instance initiated shutdown")
        XCTAssertNil(try podman.containerState(ender))

        // Started again, it boots without running its user-data a second time, and stays up.
        _ = try ec2.startInstances([keeper])
        _ = try ec2.waitForInstances([keeper], toBe: .running, policy: WaiterPolicy(timeout: 60))
        _ = try waitForConsole(keeper, toContain: "running 'init'", count: 2)
        _ = try waitForConsole(keeper, toContain: "Cloud-init v. 23.1.2-ncaas finished")
        Thread.sleep(forTimeInterval: 1)
        XCTAssertEqual(try describe(keeper).state, "running", "user-data runs once per instance")
        _ = try ec2.terminateInstances([keeper])
        _ = try ec2.waitForInstances([keeper], toBe: .terminated, policy: WaiterPolicy(timeout: 60))
    }

    func testRebootsFromInsideAndCreateImagesRebootKeepItRunningAndTheImageKeepsItsLoginUser() throws {
        let id = try launch("#!/bin/sh\necho marked > /var/tmp/mark\nreboot\n")
        _ = try waitForConsole(id, toContain: "running 'init'", count: 2)
        _ = try ec2.waitForInstances([id], toBe: .running, policy: WaiterPolicy(timeout: 60))
        XCTAssertTrue(try ec2.consoleOutput(instanceId: id)!.contains("login user admin"), "Debian's images log in as admin")

        let image = try ec2.createImage(instanceId: id, name: "with-mark", tagSpecifications: [
            TagSpecification(resourceType: "snapshot", tags: [Tag(key: "ncaas:analysis", value: "lifecycle")]),
        ])
        XCTAssertEqual(try ec2.describeImages(imageIds: [image]).first?.state, "pending", "an image is pending until it is made")
        _ = try ec2.waitForImageAvailable(image, policy: WaiterPolicy(timeout: 120))
        _ = try waitForConsole(id, toContain: "running 'init'", count: 3)
        XCTAssertEqual(try describe(id).state, "running", "CreateImage reboots the instance, which comes back")
        let snapshots = try aws.text(["ec2", "describe-snapshots", "--owner-ids", "self", "--filters", "Name=tag:ncaas:analysis,Values=lifecycle",
                                      "--query", "length(Snapshots)"])
        XCTAssertEqual(snapshots, "1", "the image's snapshot carries the tags asked for")

        _ = try ec2.createImage(instanceId: id, name: "no-reboot", noReboot: true)
        Thread.sleep(forTimeInterval: 2)
        XCTAssertEqual((try ec2.consoleOutput(instanceId: id) ?? "").components(separatedBy: "running 'init'").count - 1, 3, "NoReboot does not reboot")

        let child = try launch(image: image)
        let console = try waitForConsole(child, toContain: "finished at")
        XCTAssertTrue(console.contains("login user admin"), "an image keeps its login user:\n\(console)")
        XCTAssertFalse(console.contains("marked"), "user-data is the launch's, not the image's")
        _ = try ec2.terminateInstances([id, child])
        _ = try ec2.waitForInstances([id, child], toBe: .terminated, policy: WaiterPolicy(timeout: 60))
        try ec2.deregisterImage(image)
    }

    func testAnInstanceWithoutAnImageEndsTerminatedWithAServerErrorAndSaysWhyOnItsConsole() throws {
        let registered = try aws.text(["ec2", "register-image", "--name", "nothing-behind-it", "--query", "ImageId"])
        let id = try launch(image: registered)
        XCTAssertThrowsError(try ec2.waitForInstances([id], toBe: .running, policy: WaiterPolicy(timeout: 30))) { error in
            XCTAssertTrue("\(error)".contains("Server.InternalError"), "\(error)")
        }
        let ended = try XCTUnwrap(try ec2.waitForInstances([id], toBe: .terminated, policy: WaiterPolicy(timeout: 30)).first, "never a hung pending")
        XCTAssertEqual(ended.stateReason, "Server.InternalError: Internal error on launch")
        XCTAssertTrue((try ec2.consoleOutput(instanceId: id) ?? "").contains("has no image on this machine"))
    }

    func testTheSameClientTokenIsTheSameLaunch() throws {
        let first = try launch(token: "same-token-\(UUID().uuidString)")
        let token = try XCTUnwrap(try describe(first).clientToken)
        let second = try launch(token: token)
        XCTAssertEqual(second, first, "a retried RunInstances launches nothing new")
        XCTAssertEqual(try ec2.describeInstances(filters: [EC2Filter(name: "client-token", values: [token])]).count, 1)
        _ = try ec2.terminateInstances([first])
        _ = try ec2.waitForInstances([first], toBe: .terminated, policy: WaiterPolicy(timeout: 60))
    }

    func testUserDataItCannotRunIsNamedOnTheConsoleAndTheBootGoesOn() throws {
        let id = try launch("#cloud-config\npackages: [htop]\n")
        let console = try waitForConsole(id, toContain: "finished at")
        XCTAssertTrue(console.contains("is not a #! script; the local cloud runs only scripts, so it was skipped"), console)
        XCTAssertEqual(try describe(id).state, "running")
        _ = try ec2.terminateInstances([id])
        _ = try ec2.waitForInstances([id], toBe: .terminated, policy: WaiterPolicy(timeout: 60))
    }
}

/// `--no-default-vpc`: an account without a default VPC refuses launches and security groups that
/// name no subnet or VPC, with EC2's own error, and serves those that do.
final class NoDefaultVPCTests: XCTestCase {
    func testLaunchesNeedASubnetAndGroupsAVPC() throws {
        let podman = try LocalCloudFixture.podman()
        let moto = try MotoServer(defaultVPC: false)
        defer { moto.stop() }
        let aws = AWSCLI(moto: moto)
        let ec2 = try LocalCloudFixture.ec2(moto)
        XCTAssertEqual(try aws.text(["ec2", "describe-vpcs", "--query", "length(Vpcs)"]), "0")
        let image = try ec2.client.ssm.getParameter(name: "/aws/service/debian/release/12/latest/amd64").value
        XCTAssertThrowsError(try ec2.runInstances(RunInstancesInput(imageId: image, instanceType: "t3.micro"))) { error in
            XCTAssertEqual((error as? AWSError)?.code, "VPCIdNotSpecified", "\(error)")
        }
        XCTAssertThrowsError(try ec2.createSecurityGroup(groupName: "g", description: "d")) { error in
            XCTAssertEqual((error as? AWSError)?.code, "VPCIdNotSpecified", "\(error)")
        }
        let vpc = try aws.text(["ec2", "create-vpc", "--cidr-block", "10.9.0.0/16", "--query", "Vpc.VpcId"])
        let subnet = try aws.text(["ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.9.1.0/24", "--query", "Subnet.SubnetId"])
        let id = try aws.text(["ec2", "run-instances", "--image-id", image, "--instance-type", "t3.micro", "--subnet-id", subnet,
                               "--query", "Instances[0].InstanceId"])
        XCTAssertEqual(try aws.waitFor(id, state: "running"), "running")
        try aws.run(["ec2", "terminate-instances", "--instance-ids", id])
        XCTAssertEqual(try aws.waitFor(id, state: "terminated"), "terminated")
        XCTAssertEqual(try LocalCloudFixture.containerCount(endpoint: moto.endpoint, podman: podman), 0)
    }
}
