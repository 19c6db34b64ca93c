import XCTest
@testable import AWS

/// EC2 operations against moto with signature and IAM checks on.
final class EC2Tests: MotoTestCase {
    /// An AMI id moto ships in every region.
    private func someImageId(_ ec2: EC2Client) throws -> String {
        try XCTUnwrap(ec2.describeImages(owners: ["amazon"], pageLimit: 50).first?.imageId, "moto lists no images")
    }

    func testRunDescribeStopStartTerminateWithWaiters() throws {
        let ec2 = EC2Client(try moto.client())
        let imageId = try someImageId(ec2)
        let tags = [Tag(key: "ncaas:job", value: "job 1"), Tag(key: "role", value: "worker")]
        let reservation = try ec2.runInstances(RunInstancesInput(
            imageId: imageId, instanceType: "t3.micro", minCount: 2, maxCount: 2,
            instanceInitiatedShutdownBehavior: "terminate",
            tagSpecifications: [TagSpecification(resourceType: "instance", tags: tags)],
            userData: "#!/bin/sh\necho 'hello + world'\n"))
        let ids = reservation.instances.map(\.instanceId)
        XCTAssertEqual(ids.count, 2)
        XCTAssertTrue(reservation.instances.allSatisfy { $0.imageId == imageId && $0.instanceType == "t3.micro" })

        var statuses: [String] = []
        let running = try ec2.waitForInstances(ids, toBe: .running, progress: { statuses.append($0) })
        XCTAssertEqual(Set(running.map(\.instanceId)), Set(ids))
        XCTAssertEqual(Set(running.flatMap(\.tags)), Set(tags))

        XCTAssertEqual(Set(try ec2.describeInstances(filters: [.hasTag("role"), .tag("ncaas:job", "job 1", "job 2")]).map(\.instanceId)), Set(ids))
        let byTag = try ec2.describeInstances(filters: [EC2Filter(name: "tag:ncaas:job", values: ["job 1"]),
                                                        EC2Filter(name: "instance-state-name", values: ["running"])])
        XCTAssertEqual(Set(byTag.map(\.instanceId)), Set(ids))

        XCTAssertEqual(try ec2.stopInstances([ids[0]]).first?.instanceId, ids[0])
        try ec2.waitForInstances([ids[0]], toBe: .stopped)
        _ = try ec2.startInstances([ids[0]])
        try ec2.waitForInstances([ids[0]], toBe: .running)

        let terminated = try ec2.terminateInstances(ids)
        XCTAssertEqual(Set(terminated.map(\.instanceId)), Set(ids))
        try ec2.waitForInstances(ids, toBe: .terminated)
        XCTAssertThrowsError(try ec2.waitForInstances(ids, toBe: .running, policy: WaiterPolicy(timeout: 5))) { error in
            XCTAssertEqual((error as? AWSClientError)?.kind, .waiterFailed, "\(error)")
        }
    }

    /// EC2 launches once per client token; moto records the token but does not deduplicate,
    /// so what is checked here is that every launch carries its own token to EC2.
    func testRunInstancesCarriesItsClientToken() throws {
        let ec2 = EC2Client(try moto.client())
        let first = RunInstancesInput(imageId: try someImageId(ec2), instanceType: "t3.nano")
        let second = RunInstancesInput(imageId: first.imageId, instanceType: "t3.nano")
        XCTAssertNotEqual(first.clientToken, second.clientToken)
        let launched = try ec2.runInstances(first).instances
        XCTAssertEqual(launched.map(\.clientToken), [first.clientToken])
        XCTAssertEqual(try ec2.describeInstances(instanceIds: launched.map(\.instanceId)).map(\.clientToken), [first.clientToken])
        _ = try ec2.terminateInstances(launched.map(\.instanceId))
    }

    func testDescribeInstancesFollowsEveryPage() throws {
        let ec2 = EC2Client(try moto.client())
        // moto pages by reservation, so launch five reservations.
        let imageId = try someImageId(ec2)
        let launched = try (1...5).flatMap { _ in
            try ec2.runInstances(RunInstancesInput(
                imageId: imageId, instanceType: "t3.nano",
                tagSpecifications: [TagSpecification(resourceType: "instance", tags: [Tag(key: "paged", value: "1")])])).instances
        }
        let filter = [EC2Filter(name: "tag:paged", values: ["1"])]
        let firstPage = try ec2.describeInstancesPage(filters: filter, maxResults: 2)
        XCTAssertNotNil(firstPage.nextToken, "five instances in pages of two need a next page")
        let all = try ec2.describeInstances(filters: filter, pageSize: 2)
        XCTAssertEqual(Set(all.map(\.instanceId)), Set(launched.map(\.instanceId)))
        XCTAssertThrowsError(try ec2.describeInstances(filters: filter, pageSize: 2, pageLimit: 2)) { error in
            XCTAssertEqual((error as? AWSClientError)?.kind, .pageLimitExceeded)
        }
        _ = try ec2.terminateInstances(all.map(\.instanceId))
    }

    func testImagesTagsAndDeregistration() throws {
        let ec2 = EC2Client(try moto.client())
        let instance = try XCTUnwrap(try ec2.runInstances(RunInstancesInput(imageId: try someImageId(ec2), instanceType: "t3.nano")).instances.first)
        let imageId = try ec2.createImage(instanceId: instance.instanceId, name: "ncaas-test-image", description: "frozen",
                                          tagSpecifications: [TagSpecification(resourceType: "image", tags: [Tag(key: "blueprint", value: "demo")])])
        let image = try ec2.waitForImageAvailable(imageId)
        XCTAssertEqual(image.name, "ncaas-test-image")
        XCTAssertEqual(image.state, "available")

        let mine = try ec2.describeImages(owners: ["self"])
        XCTAssertTrue(mine.map(\.imageId).contains(imageId))
        let byName = try ec2.describeImages(filters: [EC2Filter(name: "name", values: ["ncaas-test-image"])])
        XCTAssertEqual(byName.map(\.imageId), [imageId])

        try ec2.createTags(resourceIds: [imageId, instance.instanceId], tags: [Tag(key: "stage", value: "dev & test")])
        XCTAssertEqual(try ec2.describeImages(imageIds: [imageId]).first?.tags.first { $0.key == "stage" }?.value, "dev & test")
        try ec2.deleteTags(resourceIds: [instance.instanceId], keys: ["stage"])
        XCTAssertNil(try ec2.describeInstances(instanceIds: [instance.instanceId]).first?.tag("stage"))

        try ec2.deregisterImage(imageId)
        // AWS answers InvalidAMIID.NotFound or an empty list, moto the latter.
        let after: [Image]
        do { after = try ec2.describeImages(imageIds: [imageId]) } catch let error as AWSError where error.code == "InvalidAMIID.NotFound" { after = [] }
        XCTAssertEqual(after.filter { $0.state != "deregistered" }, [])
        _ = try ec2.terminateInstances([instance.instanceId])
    }

    func testKeyPairs() throws {
        let ec2 = EC2Client(try moto.client())
        let publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEnHkWxTwr6zzN6E4Oh6yPG1iR1n2SZgB3sK8TO6YVL2 ncaas@test"
        let imported = try ec2.importKeyPair(keyName: "ncaas-dev", publicKey: publicKey)
        XCTAssertEqual(imported.keyName, "ncaas-dev")
        XCTAssertFalse(imported.keyFingerprint.isEmpty)
        XCTAssertEqual(try ec2.describeKeyPairs(keyNames: ["ncaas-dev"]).map(\.keyFingerprint), [imported.keyFingerprint])
        XCTAssertThrowsError(try ec2.importKeyPair(keyName: "ncaas-dev", publicKey: publicKey)) { error in
            XCTAssertEqual((error as? AWSError)?.code, "InvalidKeyPair.Duplicate", "\(error)")
        }
        try ec2.deleteKeyPair(keyName: "ncaas-dev")
        XCTAssertThrowsError(try ec2.describeKeyPairs(keyNames: ["ncaas-dev"])) { error in
            XCTAssertEqual((error as? AWSError)?.code, "InvalidKeyPair.NotFound", "\(error)")
        }
    }

    func testSecurityGroups() throws {
        let ec2 = EC2Client(try moto.client())
        let groupId = try ec2.createSecurityGroup(groupName: "ncaas-ssh", description: "SSH for ncaas",
                                                  tagSpecifications: [TagSpecification(resourceType: "security-group", tags: [Tag(key: "owner", value: "ncaas")])])
        try ec2.authorizeSecurityGroupIngress(groupId: groupId, permissions: [
            IpPermission(ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrRanges: ["10.0.0.0/8", "192.168.1.0/24"]),
        ])
        let group = try XCTUnwrap(try ec2.describeSecurityGroups(groupIds: [groupId]).first)
        XCTAssertEqual(group.groupName, "ncaas-ssh")
        XCTAssertEqual(group.description, "SSH for ncaas")
        XCTAssertEqual(group.ingress, [IpPermission(ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrRanges: ["10.0.0.0/8", "192.168.1.0/24"])])
        XCTAssertEqual(try ec2.describeSecurityGroups(filters: [EC2Filter(name: "tag:owner", values: ["ncaas"])]).map(\.groupId), [groupId])
        try ec2.deleteSecurityGroup(groupId: groupId)
        XCTAssertThrowsError(try ec2.describeSecurityGroups(groupIds: [groupId])) { error in
            XCTAssertEqual((error as? AWSError)?.code, "InvalidGroup.NotFound", "\(error)")
        }
    }
}
