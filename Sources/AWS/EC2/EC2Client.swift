import Foundation

/// Amazon EC2 (query protocol, API 2016-11-15): instances, images, key pairs, tags and
/// security groups.
public struct EC2Client: Sendable {
    public let client: AWSClient

    public init(_ client: AWSClient) {
        self.client = client
    }

    func call(_ action: String, idempotent: Bool, settled: Set<String> = [], notYetVisible: Set<String> = [],
              _ fill: (inout QueryParameters) -> Void = { _ in }) throws -> XMLTreeElement {
        var parameters = QueryParameters()
        fill(&parameters)
        return try client.query(.ec2, action, parameters, idempotent: idempotent, settled: settled, notYetVisible: notYetVisible)
    }

    /// What EC2 answers about a resource it created a moment ago and does not show yet.
    static let notYetVisible: Set<String> = ["InvalidInstanceID.NotFound", "InvalidAMIID.NotFound", "InvalidGroup.NotFound", "InvalidID"]

    // MARK: Instances

    /// Launches instances. Safe to retry: the input's client token makes EC2 launch once.
    public func runInstances(_ input: RunInstancesInput) throws -> Reservation {
        let reply = try call("RunInstances", idempotent: true) { p in
            p.set("ImageId", input.imageId)
            p.set("InstanceType", input.instanceType)
            p.set("MinCount", input.minCount)
            p.set("MaxCount", input.maxCount)
            p.set("KeyName", input.keyName)
            p.setEC2List("SecurityGroupId", input.securityGroupIds)
            p.set("SubnetId", input.subnetId)
            p.set("IamInstanceProfile.Name", input.iamInstanceProfileName)
            p.set("IamInstanceProfile.Arn", input.iamInstanceProfileArn)
            p.set("InstanceInitiatedShutdownBehavior", input.instanceInitiatedShutdownBehavior)
            TagSpecification.add(input.tagSpecifications, to: &p)
            p.set("UserData", input.userData.map { Data($0.utf8).base64EncodedString() })
            p.set("ClientToken", input.clientToken)
            if input.market == .spot {
                p.set("InstanceMarketOptions.MarketType", "spot")
                p.set("InstanceMarketOptions.SpotOptions.SpotInstanceType", "one-time")
                p.set("InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior", "terminate")
            }
        }
        return Reservation(reservationId: reply.string("reservationId") ?? "",
                           instances: reply.list("instancesSet").map(Instance.init))
    }

    /// One page of instances (all reservations flattened).
    public func describeInstancesPage(instanceIds: [String] = [], filters: [EC2Filter] = [],
                                      maxResults: Int? = nil, nextToken: String? = nil) throws -> Page<Instance> {
        let reply = try call("DescribeInstances", idempotent: true) { p in
            p.setEC2List("InstanceId", instanceIds)
            EC2Filter.add(filters, to: &p)
            if instanceIds.isEmpty { p.set("MaxResults", maxResults) }
            p.set("NextToken", nextToken)
        }
        let instances = reply.list("reservationSet").flatMap { $0.list("instancesSet").map(Instance.init) }
        return Page(items: instances, nextToken: reply.string("nextToken"))
    }

    /// All instances matching the ids and filters, following every page.
    public func describeInstances(instanceIds: [String] = [], filters: [EC2Filter] = [],
                                  pageSize: Int? = nil, pageLimit: Int = Paginator.defaultPageLimit) throws -> [Instance] {
        try Paginator.all(operation: "DescribeInstances", pageLimit: pageLimit) {
            try describeInstancesPage(instanceIds: instanceIds, filters: filters, maxResults: pageSize, nextToken: $0)
        }
    }

    public func startInstances(_ instanceIds: [String]) throws -> [InstanceStateChange] {
        try stateChange("StartInstances", instanceIds)
    }

    public func stopInstances(_ instanceIds: [String]) throws -> [InstanceStateChange] {
        try stateChange("StopInstances", instanceIds)
    }

    public func terminateInstances(_ instanceIds: [String]) throws -> [InstanceStateChange] {
        try stateChange("TerminateInstances", instanceIds)
    }

    private func stateChange(_ action: String, _ instanceIds: [String]) throws -> [InstanceStateChange] {
        let reply = try call(action, idempotent: true, notYetVisible: ["InvalidInstanceID.NotFound"]) { $0.setEC2List("InstanceId", instanceIds) }
        return reply.list("instancesSet").map {
            InstanceStateChange(instanceId: $0.string("instanceId") ?? "",
                                previousState: $0["previousState", "name"]?.text ?? "",
                                currentState: $0["currentState", "name"]?.text ?? "")
        }
    }

    // MARK: Images

    /// Creates an image of an instance and returns its id.
    public func createImage(instanceId: String, name: String, description: String? = nil, noReboot: Bool? = nil,
                            tagSpecifications: [TagSpecification] = []) throws -> String {
        let reply = try call("CreateImage", idempotent: false) { p in
            p.set("InstanceId", instanceId)
            p.set("Name", name)
            p.set("Description", description)
            p.set("NoReboot", noReboot)
            TagSpecification.add(tagSpecifications, to: &p)
        }
        guard let imageId = reply.string("imageId") else {
            throw AWSClientError(.invalidResponse, "EC2 CreateImage replied without an image id.")
        }
        return imageId
    }

    /// One page of images.
    public func describeImagesPage(imageIds: [String] = [], owners: [String] = [], filters: [EC2Filter] = [],
                                   includeDeprecated: Bool = false, maxResults: Int? = nil, nextToken: String? = nil) throws -> Page<Image> {
        let reply = try call("DescribeImages", idempotent: true) { p in
            p.setEC2List("ImageId", imageIds)
            p.setEC2List("Owner", owners)
            EC2Filter.add(filters, to: &p)
            if includeDeprecated { p.set("IncludeDeprecated", true) }
            if imageIds.isEmpty { p.set("MaxResults", maxResults) }
            p.set("NextToken", nextToken)
        }
        return Page(items: reply.list("imagesSet").map(Image.init), nextToken: reply.string("nextToken"))
    }

    /// All images matching ids, owners ("self", an account id, "amazon") and filters; with
    /// `includeDeprecated`, also the public images past their deprecation date.
    public func describeImages(imageIds: [String] = [], owners: [String] = [], filters: [EC2Filter] = [], includeDeprecated: Bool = false,
                               pageSize: Int? = nil, pageLimit: Int = Paginator.defaultPageLimit) throws -> [Image] {
        try Paginator.all(operation: "DescribeImages", pageLimit: pageLimit) {
            try describeImagesPage(imageIds: imageIds, owners: owners, filters: filters, includeDeprecated: includeDeprecated,
                                   maxResults: pageSize, nextToken: $0)
        }
    }

    /// Deregisters an image and deletes its EBS snapshots, which otherwise go on billing with no
    /// image to show for them. An image already gone is fine. Returns the snapshots deleted.
    @discardableResult
    public func deregisterImage(_ imageId: String) throws -> [String] {
        let snapshots = (try? describeImages(imageIds: [imageId]).first?.snapshotIds) ?? []
        do {
            _ = try call("DeregisterImage", idempotent: false, settled: ["InvalidAMIID.NotFound", "InvalidAMIID.Unavailable"]) { $0.set("ImageId", imageId) }
        } catch let error as AWSError where ["InvalidAMIID.NotFound", "InvalidAMIID.Unavailable"].contains(error.code) {
            return []
        }
        for snapshot in snapshots {
            // Just deregistered, the image may still hold its snapshot for a moment (InvalidSnapshot.InUse).
            _ = try call("DeleteSnapshot", idempotent: true, settled: ["InvalidSnapshot.NotFound"],
                         notYetVisible: ["InvalidSnapshot.InUse"]) { $0.set("SnapshotId", snapshot) }
        }
        return snapshots
    }

    // MARK: Tags

    /// Adds or overwrites tags on resources.
    public func createTags(resourceIds: [String], tags: [Tag]) throws {
        _ = try call("CreateTags", idempotent: true, notYetVisible: Self.notYetVisible) { p in
            p.setEC2List("ResourceId", resourceIds)
            p.setStructList("Tag", tags) { q, prefix, tag in
                q.set("\(prefix).Key", tag.key)
                q.set("\(prefix).Value", tag.value)
            }
        }
    }

    /// Removes tags (by key) from resources.
    public func deleteTags(resourceIds: [String], keys: [String]) throws {
        _ = try call("DeleteTags", idempotent: true) { p in
            p.setEC2List("ResourceId", resourceIds)
            p.setStructList("Tag", keys) { q, prefix, key in q.set("\(prefix).Key", key) }
        }
    }

    // MARK: Key pairs

    /// Registers a public key (OpenSSH text) under a name.
    public func importKeyPair(keyName: String, publicKey: String, tagSpecifications: [TagSpecification] = []) throws -> KeyPairInfo {
        // Sent again after a lost reply, it answers InvalidKeyPair.Duplicate: the same name is the same key.
        let reply = try call("ImportKeyPair", idempotent: true) { p in
            p.set("KeyName", keyName)
            p.set("PublicKeyMaterial", Data(publicKey.utf8).base64EncodedString())
            TagSpecification.add(tagSpecifications, to: &p)
        }
        return KeyPairInfo(reply)
    }

    public func describeKeyPairs(keyNames: [String] = [], filters: [EC2Filter] = []) throws -> [KeyPairInfo] {
        let reply = try call("DescribeKeyPairs", idempotent: true) { p in
            p.setEC2List("KeyName", keyNames)
            EC2Filter.add(filters, to: &p)
        }
        return reply.list("keySet").map(KeyPairInfo.init)
    }

    public func deleteKeyPair(keyName: String) throws {
        _ = try call("DeleteKeyPair", idempotent: true) { $0.set("KeyName", keyName) }
    }

    // MARK: Security groups

    /// Creates a security group and returns its id.
    public func createSecurityGroup(groupName: String, description: String, vpcId: String? = nil,
                                    tagSpecifications: [TagSpecification] = []) throws -> String {
        let reply = try call("CreateSecurityGroup", idempotent: false) { p in
            p.set("GroupName", groupName)
            p.set("GroupDescription", description)
            p.set("VpcId", vpcId)
            TagSpecification.add(tagSpecifications, to: &p)
        }
        guard let groupId = reply.string("groupId") else {
            throw AWSClientError(.invalidResponse, "EC2 CreateSecurityGroup replied without a group id.")
        }
        return groupId
    }

    public func describeSecurityGroupsPage(groupIds: [String] = [], groupNames: [String] = [], filters: [EC2Filter] = [],
                                           maxResults: Int? = nil, nextToken: String? = nil) throws -> Page<SecurityGroup> {
        let reply = try call("DescribeSecurityGroups", idempotent: true) { p in
            p.setEC2List("GroupId", groupIds)
            p.setEC2List("GroupName", groupNames)
            EC2Filter.add(filters, to: &p)
            if groupIds.isEmpty && groupNames.isEmpty { p.set("MaxResults", maxResults) }
            p.set("NextToken", nextToken)
        }
        return Page(items: reply.list("securityGroupInfo").map(SecurityGroup.init), nextToken: reply.string("nextToken"))
    }

    public func describeSecurityGroups(groupIds: [String] = [], groupNames: [String] = [], filters: [EC2Filter] = [],
                                       pageLimit: Int = Paginator.defaultPageLimit) throws -> [SecurityGroup] {
        try Paginator.all(operation: "DescribeSecurityGroups", pageLimit: pageLimit) {
            try describeSecurityGroupsPage(groupIds: groupIds, groupNames: groupNames, filters: filters, nextToken: $0)
        }
    }

    /// Opens inbound rules on a group.
    public func authorizeSecurityGroupIngress(groupId: String, permissions: [IpPermission]) throws {
        _ = try call("AuthorizeSecurityGroupIngress", idempotent: false, settled: ["InvalidPermission.Duplicate"],
                     notYetVisible: ["InvalidGroup.NotFound", "InvalidGroupId.NotFound"]) { p in
            p.set("GroupId", groupId)
            p.setStructList("IpPermissions", permissions) { q, prefix, rule in
                q.set("\(prefix).IpProtocol", rule.ipProtocol)
                q.set("\(prefix).FromPort", rule.fromPort)
                q.set("\(prefix).ToPort", rule.toPort)
                q.setStructList("\(prefix).IpRanges", rule.cidrRanges) { r, rangePrefix, cidr in
                    r.set("\(rangePrefix).CidrIp", cidr)
                }
            }
        }
    }

    public func deleteSecurityGroup(groupId: String) throws {
        _ = try call("DeleteSecurityGroup", idempotent: false, settled: ["InvalidGroup.NotFound"]) { $0.set("GroupId", groupId) }
    }
}
