/// A key/value tag.
public struct Tag: Sendable, Equatable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    static func list(_ element: XMLTreeElement, _ name: String = "tagSet") -> [Tag] {
        element.list(name).map { Tag(key: $0.string("key") ?? $0.string("Key") ?? "", value: $0.string("value") ?? $0.string("Value") ?? "") }
    }
}

/// An EC2 filter: `name` matches any of `values`, e.g. `Filter(name: "tag:ncaas:job", values: ["job1"])`.
public struct EC2Filter: Sendable, Equatable {
    public var name: String
    public var values: [String]

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }

    /// Resources carrying tag `key` with one of `values`.
    public static func tag(_ key: String, _ values: String...) -> EC2Filter {
        EC2Filter(name: "tag:\(key)", values: values)
    }

    /// Resources carrying tag `key`, whatever its value.
    public static func hasTag(_ key: String) -> EC2Filter {
        EC2Filter(name: "tag-key", values: [key])
    }

    static func add(_ filters: [EC2Filter], to parameters: inout QueryParameters) {
        parameters.setStructList("Filter", filters) { params, prefix, filter in
            params.set("\(prefix).Name", filter.name)
            params.setEC2List("\(prefix).Value", filter.values)
        }
    }
}

/// Tags to apply to resources of one type as they are created.
public struct TagSpecification: Sendable, Equatable {
    /// "instance", "volume", "image", "key-pair", "security-group", ...
    public var resourceType: String
    public var tags: [Tag]

    public init(resourceType: String, tags: [Tag]) {
        self.resourceType = resourceType
        self.tags = tags
    }

    static func add(_ specifications: [TagSpecification], to parameters: inout QueryParameters) {
        parameters.setStructList("TagSpecification", specifications) { params, prefix, spec in
            params.set("\(prefix).ResourceType", spec.resourceType)
            params.setStructList("\(prefix).Tag", spec.tags) { p, tagPrefix, tag in
                p.set("\(tagPrefix).Key", tag.key)
                p.set("\(tagPrefix).Value", tag.value)
            }
        }
    }
}

/// The lifecycle state of an instance.
public enum InstanceStateName: String, Sendable, Equatable {
    case pending, running, stopping, stopped
    case shuttingDown = "shutting-down"
    case terminated
}

/// An EC2 instance, with the fields ncaas reads.
public struct Instance: Sendable, Equatable {
    public var instanceId: String
    public var imageId: String
    public var instanceType: String
    /// The state name as EC2 reports it ("running"); see `stateName` for the typed form.
    public var state: String
    public var keyName: String?
    public var privateIpAddress: String?
    public var publicIpAddress: String?
    public var publicDnsName: String?
    public var launchTime: String?
    public var iamInstanceProfileArn: String?
    public var securityGroupIds: [String]
    public var tags: [Tag]
    /// The idempotency token the instance was launched with.
    public var clientToken: String?
    /// Why the instance last changed state, as EC2 words it ("Server.InternalError: Internal error on
    /// launch", "Client.InstanceInitiatedShutdown: Instance initiated shutdown").
    public var stateReason: String?
    /// EC2's code for that reason ("Server.SpotInstanceTermination").
    public var stateReasonCode: String?
    /// The instance's subnet and VPC (none in EC2-Classic).
    public var subnetId: String?
    public var vpcId: String?
    /// The market it was launched in: spot when EC2 says its lifecycle is `spot`, else on-demand.
    public var market: InstanceMarket

    public var stateName: InstanceStateName? { InstanceStateName(rawValue: state) }

    /// The value of a tag, if the instance has it.
    public func tag(_ key: String) -> String? { tags.first { $0.key == key }?.value }

    init(_ e: XMLTreeElement) {
        instanceId = e.string("instanceId") ?? ""
        imageId = e.string("imageId") ?? ""
        instanceType = e.string("instanceType") ?? ""
        state = e["instanceState", "name"]?.text ?? ""
        keyName = e.string("keyName")
        privateIpAddress = e.string("privateIpAddress")
        publicIpAddress = e.string("ipAddress")
        publicDnsName = e.string("dnsName").flatMap { $0.isEmpty ? nil : $0 }
        launchTime = e.string("launchTime")
        iamInstanceProfileArn = e["iamInstanceProfile", "arn"]?.text
        securityGroupIds = e.list("groupSet").compactMap { $0.string("groupId") }
        tags = Tag.list(e)
        clientToken = e.string("clientToken").flatMap { $0.isEmpty ? nil : $0 }
        stateReason = e["stateReason", "message"].flatMap { $0.text.isEmpty ? nil : $0.text }
        stateReasonCode = e["stateReason", "code"].flatMap { $0.text.isEmpty ? nil : $0.text }
        subnetId = e.string("subnetId").flatMap { $0.isEmpty ? nil : $0 }
        vpcId = e.string("vpcId").flatMap { $0.isEmpty ? nil : $0 }
        market = e.string("instanceLifecycle") == "spot" ? .spot : .onDemand
    }
}

/// The state change Start/Stop/TerminateInstances reports for one instance.
public struct InstanceStateChange: Sendable, Equatable {
    public var instanceId: String
    public var previousState: String
    public var currentState: String
}

/// What RunInstances launches.
public struct RunInstancesInput: Sendable {
    public var imageId: String
    public var instanceType: String
    public var minCount: Int
    public var maxCount: Int
    public var keyName: String?
    public var securityGroupIds: [String]
    /// Name of the instance profile (use `iamInstanceProfileArn` for an ARN).
    public var iamInstanceProfileName: String?
    public var iamInstanceProfileArn: String?
    /// "stop" or "terminate".
    public var instanceInitiatedShutdownBehavior: String?
    public var tagSpecifications: [TagSpecification]
    /// Plain text; base64-encoded on the wire.
    public var userData: String?
    /// Makes the launch idempotent: a retried RunInstances with the same token launches nothing new.
    public var clientToken: String
    /// On-demand (the default) or spot: a one-time spot request whose instances EC2 terminates
    /// when it reclaims them (`InstanceMarketOptions`).
    public var market: InstanceMarket = .onDemand
    /// The subnet to launch in (its VPC's); nil: the default VPC's.
    public var subnetId: String?

    public init(imageId: String, instanceType: String, minCount: Int = 1, maxCount: Int = 1, keyName: String? = nil,
                securityGroupIds: [String] = [], iamInstanceProfileName: String? = nil,
                iamInstanceProfileArn: String? = nil, instanceInitiatedShutdownBehavior: String? = nil,
                tagSpecifications: [TagSpecification] = [], userData: String? = nil,
                clientToken: String = ClientToken.make()) {
        self.imageId = imageId
        self.instanceType = instanceType
        self.minCount = minCount
        self.maxCount = maxCount
        self.keyName = keyName
        self.securityGroupIds = securityGroupIds
        self.iamInstanceProfileName = iamInstanceProfileName
        self.iamInstanceProfileArn = iamInstanceProfileArn
        self.instanceInitiatedShutdownBehavior = instanceInitiatedShutdownBehavior
        self.tagSpecifications = tagSpecifications
        self.userData = userData
        self.clientToken = clientToken
    }
}

/// What RunInstances launched.
public struct Reservation: Sendable, Equatable {
    public var reservationId: String
    public var instances: [Instance]
}

/// A machine image.
public struct Image: Sendable, Equatable {
    public var imageId: String
    public var name: String
    /// "pending", "available", "failed", ...
    public var state: String
    public var ownerId: String
    public var creationDate: String?
    public var description: String?
    public var tags: [Tag]
    /// The EBS snapshots of its disks (they bill until deleted, image or not).
    public var snapshotIds: [String]

    /// The value of a tag, if the image has it.
    public func tag(_ key: String) -> String? { tags.first { $0.key == key }?.value }

    init(_ e: XMLTreeElement) {
        imageId = e.string("imageId") ?? ""
        snapshotIds = e.list("blockDeviceMapping").compactMap { $0["ebs", "snapshotId"]?.text }
        name = e.string("name") ?? ""
        state = e.string("imageState") ?? ""
        ownerId = e.string("imageOwnerId") ?? ""
        creationDate = e.string("creationDate")
        description = e.string("description")
        tags = Tag.list(e)
    }
}

/// A key pair known to EC2 (the private key never leaves the machine that made it).
public struct KeyPairInfo: Sendable, Equatable {
    public var keyName: String
    public var keyFingerprint: String
    public var keyPairId: String?

    init(_ e: XMLTreeElement) {
        keyName = e.string("keyName") ?? ""
        keyFingerprint = e.string("keyFingerprint") ?? ""
        keyPairId = e.string("keyPairId")
    }
}

/// One inbound rule: a protocol and port range open to some CIDR ranges.
public struct IpPermission: Sendable, Equatable {
    /// "tcp", "udp", "icmp" or "-1" for all.
    public var ipProtocol: String
    public var fromPort: Int?
    public var toPort: Int?
    public var cidrRanges: [String]

    public init(ipProtocol: String, fromPort: Int?, toPort: Int?, cidrRanges: [String]) {
        self.ipProtocol = ipProtocol
        self.fromPort = fromPort
        self.toPort = toPort
        self.cidrRanges = cidrRanges
    }

    init(_ e: XMLTreeElement) {
        ipProtocol = e.string("ipProtocol") ?? ""
        fromPort = e.int("fromPort")
        toPort = e.int("toPort")
        cidrRanges = e.list("ipRanges").compactMap { $0.string("cidrIp") }
    }
}

/// A security group.
public struct SecurityGroup: Sendable, Equatable {
    public var groupId: String
    public var groupName: String
    public var description: String
    public var vpcId: String?
    public var ingress: [IpPermission]
    public var tags: [Tag]

    init(_ e: XMLTreeElement) {
        groupId = e.string("groupId") ?? ""
        groupName = e.string("groupName") ?? ""
        description = e.string("groupDescription") ?? ""
        vpcId = e.string("vpcId")
        ingress = e.list("ipPermissions").map(IpPermission.init)
        tags = Tag.list(e)
    }
}
