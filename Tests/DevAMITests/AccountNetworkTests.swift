import AWS
import DevAMI
import Foundation
import TestSupport
import XCTest

/// Real accounts as they are, for launches: no default VPC (a subnet named by `--subnet` or the
/// blueprint's `ncaas.network.subnet`, the security group made in its VPC), an `ncaas-ssh` group
/// made earlier without the rule for this address, and images whose snapshots go with them.
final class AccountNetworkTests: XCTestCase {
    private var fixture: LocalCloudCLIFixture?

    override func tearDownWithError() throws {
        if let fixture { XCTAssertEqual(try fixture.tearDown(), 0, "no instance container outlives the test") }
    }

    func testWithoutADefaultVPCALaunchNamesTheSubnetOptionAndRunsInTheSubnetGiven() throws {
        let fixture = try LocalCloudCLIFixture(defaultVPC: false)
        self.fixture = fixture
        try fixture.makeRepository(commit: true)
        XCTAssertEqual(try fixture.ncaas("configure", "novpc", "--ami", "debian12", "--instance-type", "t3.micro").exitCode, 0)

        let refused = try fixture.ncaas("dev", "launch", "novpc")
        XCTAssertNotEqual(refused.exitCode, 0)
        XCTAssertTrue(refused.stderr.contains("has no default VPC in this region") && refused.stderr.contains("--subnet SUBNET-ID or ncaas.network.subnet"), refused.stderr)
        XCTAssertEqual(try fixture.liveInstances("novpc").count, 0, "nothing was launched")

        let typo = try fixture.ncaas("dev", "launch", "novpc", "--subnet", "subnet-xyz")
        XCTAssertEqual(typo.exitCode, 65, typo.stderr)
        XCTAssertTrue(typo.stderr.hasPrefix("ncaas: --subnet 'subnet-xyz' is not a subnet id (subnet- and 8 or 17 hexadecimal digits);"), typo.stderr)
        let missing = try fixture.ncaas("dev", "launch", "novpc", "--subnet", "subnet-0123456789abcdef0")
        XCTAssertNotEqual(missing.exitCode, 0)
        XCTAssertTrue(missing.stderr.contains("InvalidSubnetID.NotFound") && missing.stderr.contains("aws ec2 describe-subnets"), missing.stderr)
        XCTAssertEqual(try fixture.liveInstances("novpc").count, 0)

        // The blueprint names the subnet: every launch of the analysis goes there.
        let (vpc, subnet) = try fixture.makeSubnet()
        let set = try fixture.ncaas("blueprint", "set", "novpc", "ncaas", #"{"network": {"subnet": "\#(subnet)"}}"#)
        XCTAssertEqual(set.exitCode, 0, set.stderr)
        let launch = try fixture.ncaas("dev", "launch", "novpc")
        XCTAssertEqual(launch.exitCode, 0, launch.stderr)
        let instance = try XCTUnwrap(try fixture.liveInstances("novpc").first)
        XCTAssertEqual(instance.subnetId, subnet)
        let groups = try fixture.ec2.describeSecurityGroups(filters: [EC2Filter(name: "group-name", values: ["ncaas-ssh"])])
        XCTAssertEqual(groups.map(\.vpcId), [vpc], "ncaas-ssh is made in the subnet's VPC")
        // Not AWS's endpoint: no address lookup, SSH from anywhere (the local cloud's instances are on loopback).
        XCTAssertEqual(groups.first?.ingress.flatMap(\.cidrRanges), ["0.0.0.0/0"])
        let exec = try fixture.ncaas("dev", "exec", "novpc", "--", "echo reached")
        XCTAssertEqual(exec.stdout, "reached\n", exec.stderr)
        XCTAssertEqual(try fixture.ncaas("dev", "terminate", "novpc", "--force").exitCode, 0)

        let badSetting = try fixture.ncaas("blueprint", "set", "novpc", "ncaas", #"{"network": {"subnet": "my-subnet"}}"#)
        XCTAssertNotEqual(badSetting.exitCode, 0)
        XCTAssertTrue(badSetting.stderr.contains("it must be a subnet id such as \"subnet-0123456789abcdef0\""), badSetting.stderr)
    }

    func testAnExistingSSHGroupWithoutTheRuleForThisAddressGetsIt() throws {
        let fixture = try LocalCloudCLIFixture()
        self.fixture = fixture
        try fixture.makeRepository(commit: true)
        XCTAssertEqual(try fixture.ncaas("configure", "rules", "--ami", "debian12", "--instance-type", "t3.micro").exitCode, 0)
        // Made by an earlier run whose authorise failed: the group is there, its rule is not.
        let group = try fixture.ec2.createSecurityGroup(groupName: "ncaas-ssh", description: "SSH to ncaas instances")
        for cidr in ["198.51.100.7/32", "203.0.113.9/32"] {
            let launch = try fixture.ncaas("dev", "launch", "rules", "--ssh-cidr", cidr)
            XCTAssertEqual(launch.exitCode, 0, launch.stderr)
            XCTAssertEqual(try fixture.ncaas("dev", "terminate", "rules", "--force").exitCode, 0)
        }
        let rules = try XCTUnwrap(try fixture.ec2.describeSecurityGroups(groupIds: [group]).first).ingress
        XCTAssertEqual(Set(rules.flatMap(\.cidrRanges)), ["198.51.100.7/32", "203.0.113.9/32"])
        XCTAssertTrue(rules.allSatisfy { $0.ipProtocol == "tcp" && $0.fromPort == 22 && $0.toPort == 22 })
    }

    func testDeregisteringAnImageDeletesItsSnapshots() throws {
        let fixture = try LocalCloudCLIFixture()
        self.fixture = fixture
        let debian = try fixture.ec2.client.ssm.getParameter(name: "/aws/service/debian/release/12/latest/amd64").value
        let source = try XCTUnwrap(try fixture.ec2.runInstances(RunInstancesInput(imageId: debian, instanceType: "t3.micro")).instances.first)
        _ = try fixture.ec2.waitForInstances([source.instanceId], toBe: .running, policy: WaiterPolicy(timeout: 60))
        let image = try fixture.ec2.createImage(instanceId: source.instanceId, name: "goes-with-its-snapshots", noReboot: true)
        fixture.createdImages.append(image)
        _ = try fixture.ec2.waitForImageAvailable(image, policy: WaiterPolicy(timeout: 120))
        _ = try fixture.ec2.terminateInstances([source.instanceId])
        let snapshots = try XCTUnwrap(try fixture.ec2.describeImages(imageIds: [image]).first).snapshotIds
        XCTAssertFalse(snapshots.isEmpty, "an EBS-backed image keeps its disk as a snapshot")
        XCTAssertEqual(try fixture.ec2.describeSnapshots(snapshotIds: snapshots).count, snapshots.count)
        // While the image exists EC2 refuses to delete its snapshot; ncaas deregisters first.
        XCTAssertThrowsError(try fixture.ec2.deleteSnapshot(snapshots[0])) { XCTAssertEqual(($0 as? AWSError)?.code, "InvalidSnapshot.InUse") }
        XCTAssertEqual(try fixture.ec2.deregisterImage(image), snapshots)
        XCTAssertEqual(try fixture.ec2.describeSnapshots(filters: [EC2Filter(name: "snapshot-id", values: snapshots)]).count, 0)
        XCTAssertEqual(try fixture.ec2.deregisterImage(image), [], "an image already gone is fine")
    }

    func testALaunchWithNoCapacityInItsZoneIsMadeInAnotherZoneOfTheVPC() throws {
        let fixture = try LocalCloudCLIFixture()
        self.fixture = fixture
        try fixture.makeRepository(commit: true)
        XCTAssertEqual(try fixture.ncaas("configure", "full", "--ami", "debian12", "--instance-type", "t3.micro").exitCode, 0)
        // EC2 places a launch that names no subnet in the region's first zone; it has no t3.micro now.
        try fixture.moto.setCapacity(zone: "us-east-1a", available: false)
        let launch = try fixture.ncaas("dev", "launch", "full")
        XCTAssertEqual(launch.exitCode, 0, launch.stderr)
        let instance = try XCTUnwrap(try fixture.liveInstances("full").first)
        let subnet = try XCTUnwrap(try fixture.ec2.describeSubnets(subnetIds: [XCTUnwrap(instance.subnetId)]).first)
        XCTAssertNotEqual(subnet.availabilityZone, "us-east-1a")
        XCTAssertEqual(try fixture.liveInstances("full").count, 1, "one instance, not one per zone tried")
        XCTAssertEqual(try fixture.ncaas("dev", "terminate", "full", "--force").exitCode, 0)

        // A VPC whose only subnet is in that zone: nowhere else to go; EC2's refusal with what to do.
        let (_, only) = try fixture.makeSubnet(8)
        let zone = try XCTUnwrap(try fixture.ec2.describeSubnets(subnetIds: [only]).first).availabilityZone
        try fixture.moto.setCapacity(zone: zone, available: false)
        let refused = try fixture.ncaas("dev", "launch", "full", "--subnet", only)
        XCTAssertNotEqual(refused.exitCode, 0)
        XCTAssertTrue(refused.stderr.contains("InsufficientInstanceCapacity") && refused.stderr.contains("try another subnet (--subnet) or type, or later"), refused.stderr)
        XCTAssertEqual(try fixture.liveInstances("full").count, 0, "nothing left running")
    }

    func testOnlyAFourOctetIPv4AnswerOfTheAddressLookupIsTaken() {
        XCTAssertTrue(SSHSourceAddress.isIPv4("198.51.100.7"))
        for text in ["", "198.51.100", "198.51.100.256", "1.2.3.4.5", "<html>", "１.2.3.4", "2001:db8::1", "01234.1.1.1"] {
            XCTAssertFalse(SSHSourceAddress.isIPv4(text), text)
        }
    }
}
