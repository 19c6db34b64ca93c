import AWS
import Foundation
import SSH
import Support

/// Launches one instance the way every ncaas workflow does, on AWS and on the local cloud alike:
/// tagged (analysis, role, owner, expiry, login user), with ncaas's key and its SSH security group,
/// its deadline armed by its user-data at first boot, a client token, waited for until it runs, its
/// host keys pinned from its console output, reached over SSH. If anything fails or the process is
/// interrupted on the way, the instance is terminated: nothing launched is left behind unrecorded.
public struct InstanceLauncher {
    public struct Request: Sendable {
        public var analysis: String
        public var role: InstanceTags.Role
        public var imageId: String
        public var instanceType: String
        /// How long the instance may live, in seconds.
        public var lifetime: TimeInterval
        /// "stop" (dev: keep the work) or "terminate".
        public var shutdownBehavior: String
        /// Where SSH may come from; nil: this machine's address on AWS (`SSHSourceAddress`).
        public var sshCIDR: String?
        /// Tags beyond the standard ones (a fleet's name, a job's id).
        public var extraTags: [Tag] = []
        /// Security groups beyond `ncaas-ssh` (a fleet's service port).
        public var extraSecurityGroupIds: [String] = []
        /// The instance profile the instances get (a direct-mode job's, whose COMMAND reads S3 itself).
        public var instanceProfileName: String?
        /// Who logs in (the blueprint's `ncaas.ssh.user`); nil: the image's default user (`LoginUser`).
        public var loginUser: String?
        /// The security groups to use instead of `ncaas-ssh` and `extraSecurityGroupIds` (the in-stack
        /// job manager's job group, which admits SSH from the manager only).
        public var securityGroupIds: [String]?
        /// On-demand (the default) or spot (a job's `ncaas.jobs.market`).
        public var market: InstanceMarket = .onDemand
        /// The subnet to launch in (`--subnet`, `ncaas.network.subnet`), whose VPC the security
        /// groups are found or made in; nil: the default VPC (an account without one refuses).
        public var subnetId: String?
        /// When the instances must be reachable at the latest (a job's EXECUTION_TIMEOUT): the waits
        /// for them to run and for SSH end then, and an instance not ready is reported as such.
        public var readyBy: Date?

        public init(analysis: String, role: InstanceTags.Role, imageId: String, instanceType: String,
                    lifetime: TimeInterval, shutdownBehavior: String = "stop", sshCIDR: String? = nil,
                    extraTags: [Tag] = [], extraSecurityGroupIds: [String] = []) {
            self.extraTags = extraTags
            self.extraSecurityGroupIds = extraSecurityGroupIds
            self.analysis = analysis
            self.role = role
            self.imageId = imageId
            self.instanceType = instanceType
            self.lifetime = lifetime
            self.shutdownBehavior = shutdownBehavior
            self.sshCIDR = sshCIDR
        }
    }

    /// A launched instance, SSH-ready.
    public struct Launched: @unchecked Sendable {
        public var instance: Instance
        public var keyPair: SSHKeyPair
        public var keyName: String
        public var expiry: Date
        public var session: SSHSession
    }

    public var cloud: DevCloud
    public var progress: (String) -> Void

    public init(cloud: DevCloud, progress: @escaping (String) -> Void = { _ in }) {
        self.cloud = cloud
        self.progress = progress
    }

    /// Launches one instance and waits. `onLaunched` runs as soon as the instance id is known (to
    /// record it). Throws (after terminating it) when the instance does not become reachable.
    public func launch(_ request: Request, onLaunched: (Instance) throws -> Void = { _ in }) throws -> Launched {
        let results = try launch(request, count: 1) { try onLaunched($0[0]) }
        return try results[0].get()
    }

    /// Launches `count` identical instances in one RunInstances call and waits for all of them
    /// at once. Returns one result per instance, in launch order: an instance that does not become
    /// reachable is terminated and reported as its error, the others go on. Throws (having
    /// terminated everything launched) when the launch itself fails or the process is interrupted.
    public func launch(_ request: Request, count: Int, onLaunched: ([Instance]) throws -> Void = { _ in }) throws -> [Result<Launched, Error>] {
        precondition(count >= 1)
        let owner = try cloud.ec2.client.sts.getCallerIdentity().arn
        let keyPair = try DevKeys.local(cloud.home)
        let keyName = try DevKeys.register(keyPair, on: cloud.ec2)
        let groups = try request.securityGroupIds
            ?? ([try SSHSecurityGroup.ensure(on: cloud.ec2, cidr: request.sshCIDR ?? SSHSourceAddress.defaultCIDR(for: cloud),
                                                                        subnetId: request.subnetId)] + request.extraSecurityGroupIds)
        let loginUser = try request.loginUser ?? LoginUser.of(cloud.ec2.describeImages(imageIds: [request.imageId]).first)
        let expiry = cloud.now().addingTimeInterval(request.lifetime)
        let tags = InstanceTags.instance(analysis: request.analysis, role: request.role, owner: owner, expiry: expiry)
            + [Tag(key: LoginUser.tag, value: loginUser)] + request.extraTags
        var input = RunInstancesInput(imageId: request.imageId, instanceType: request.instanceType, minCount: count, maxCount: count,
                                      keyName: keyName, securityGroupIds: groups, iamInstanceProfileName: request.instanceProfileName,
                                      instanceInitiatedShutdownBehavior: request.shutdownBehavior,
                                      tagSpecifications: [TagSpecification(resourceType: "instance", tags: tags),
                                                          TagSpecification(resourceType: "volume", tags: tags)],
                                      userData: Deadline.userData(expiry: expiry))
        input.market = request.market
        input.subnetId = request.subnetId
        let market = request.market == .spot ? " on spot" : ""
        progress(count == 1 ? "launching a \(request.instanceType)\(market) from \(request.imageId)"
                 : "launching \(count) × \(request.instanceType)\(market) from \(request.imageId)")

        // From here on an interruption must not leave an instance running. The client token makes
        // a second RunInstances (a retry) the same launch; the cleanup finds the instances by it.
        let launchedIds = LockedValue<[String]>([])
        let cloud = self.cloud
        let tokens = LockedValue([input.clientToken])
        let cleanup = {
            var ids = launchedIds.value
            if ids.isEmpty {
                ids = ((try? cloud.ec2.describeInstances(filters: [EC2Filter(name: "client-token", values: tokens.value)])) ?? []).map(\.instanceId)
            }
            try? cloud.terminate(ids)
        }
        return try InterruptCleanup.shared.guarding(cleanup) {
            let reservation: Reservation
            let running: [Instance]
            do {
                reservation = try runInstances(input, subnetId: request.subnetId, tokens: tokens)
                guard reservation.instances.count == count else {
                    launchedIds.value = reservation.instances.map(\.instanceId)
                    throw DevError(.unavailable, "EC2 RunInstances launched \(reservation.instances.count) instances, not \(count).")
                }
                launchedIds.value = reservation.instances.map(\.instanceId)
                try onLaunched(reservation.instances)
                progress(count == 1 ? "\(reservation.instances[0].instanceId): waiting until it runs" : "waiting until \(count) instances run")
                running = try cloud.ec2.waitForInstances(reservation.instances.map(\.instanceId), toBe: .running,
                                                         policy: WaiterPolicy(timeout: Self.limit(600, readyBy: request.readyBy)))
            } catch {
                cleanup()
                throw error
            }
            // As the waiter last described them (addresses included).
            let described = Dictionary(running.map { ($0.instanceId, $0) }, uniquingKeysWith: { first, _ in first })
            let results = LockedValue<[Result<Launched, Error>?]>(Array(repeating: nil, count: count))
            let ready = LockedValue(0)
            let progress = self.progress
            if count == 1 { progress("\(reservation.instances[0].instanceId): waiting for SSH") }
            EachOnItsOwnThread.run(count) { index in
                let instance = described[reservation.instances[index].instanceId] ?? reservation.instances[index]
                let result = Result<Launched, Error> {
                    let connection = InstanceConnection(cloud: cloud, keyPair: keyPair)
                    try connection.pinHostKeys(of: instance.instanceId)
                    let session = try connection.connect(to: instance, timeout: Self.limit(120, readyBy: request.readyBy))
                    return Launched(instance: instance, keyPair: keyPair, keyName: keyName, expiry: expiry, session: session)
                }
                if case .failure = result { try? cloud.terminate([instance.instanceId]) }
                results.withLock { $0[index] = result }
                if count > 1, case .success = result {
                    let done = ready.withLock { $0 += 1; return $0 }
                    progress("\(done)/\(count) instances reachable over SSH")
                }
            }
            return results.value.map { $0! }
        }
    }
}

extension InstanceLauncher {
    /// RunInstances. An on-demand launch EC2 refuses for want of capacity in its zone
    /// (`InsufficientInstanceCapacity`) is made again in each other zone's subnet of the same VPC
    /// (the default VPC's default subnets when no subnet was named), each a launch of its own (a new
    /// client token, added to `tokens` so a cleanup finds it); refused everywhere, the last refusal.
    func runInstances(_ input: RunInstancesInput, subnetId: String?, tokens: LockedValue<[String]>) throws -> Reservation {
        do {
            return try cloud.ec2.runInstances(input)
        } catch let error as AWSError where error.code == "InsufficientInstanceCapacity" && input.market == .onDemand {
            let tried = try subnetId.flatMap { try cloud.ec2.describeSubnets(subnetIds: [$0]).first }
            let filter = tried.map { EC2Filter(name: "vpc-id", values: [$0.vpcId]) } ?? EC2Filter(name: "default-for-az", values: ["true"])
            var zones = Set(tried.map { [$0.availabilityZone] } ?? [])
            let others = try cloud.ec2.describeSubnets(filters: [filter]).sorted { $0.availabilityZone < $1.availabilityZone }
            var last = error
            for subnet in others where !zones.contains(subnet.availabilityZone) {
                zones.insert(subnet.availabilityZone)
                progress("no \(input.instanceType) capacity there just now: trying \(subnet.subnetId) in \(subnet.availabilityZone)")
                var retry = input
                retry.subnetId = subnet.subnetId
                retry.clientToken = ClientToken.make()
                tokens.withLock { $0.append(retry.clientToken) }
                do {
                    return try cloud.ec2.runInstances(retry)
                } catch let refused as AWSError where refused.code == "InsufficientInstanceCapacity" {
                    last = refused
                }
            }
            throw last
        }
    }

    /// `seconds`, or less when `readyBy` comes sooner (a second at the least).
    static func limit(_ seconds: TimeInterval, readyBy: Date?) -> TimeInterval {
        guard let readyBy else { return seconds }
        return max(1, min(seconds, readyBy.timeIntervalSinceNow))
    }
}

/// Security groups that let a port in to ncaas's instances on AWS (`ncaas-ssh` for SSH).
public enum SSHSecurityGroup {
    static let name = "ncaas-ssh"

    static func ensure(on ec2: EC2Client, cidr: String, subnetId: String?) throws -> String {
        try ensure(named: name, port: 22, cidr: cidr, description: "SSH to ncaas instances", subnetId: subnetId, on: ec2)
    }

    /// The id of the group `named` in the VPC of `subnetId` (nil: the default VPC), made when
    /// missing; either way it then lets TCP `port` in from `cidr` (a rule missing from a group made
    /// earlier, for another address or by a failed authorise, is added: else every later SSH times out).
    public static func ensure(named name: String, port: Int, cidr: String, description: String, subnetId: String? = nil,
                              on ec2: EC2Client) throws -> String {
        let vpcId = try subnetId.map { try ec2.vpcId(ofSubnet: $0) }
        var filters = [EC2Filter(name: "group-name", values: [name])]
        if let vpcId { filters.append(EC2Filter(name: "vpc-id", values: [vpcId])) }
        let id: String
        if let existing = try ec2.describeSecurityGroups(filters: filters).first {
            if existing.admits(port: port, from: cidr) { return existing.groupId }
            id = existing.groupId
        } else {
            id = try ec2.createSecurityGroup(groupName: name, description: description, vpcId: vpcId, tagSpecifications: [
                TagSpecification(resourceType: "security-group", tags: [Tag(key: InstanceTags.name, value: name)]),
            ])
        }
        try ec2.authorizeSecurityGroupIngress(groupId: id, permissions: [IpPermission(ipProtocol: "tcp", fromPort: port, toPort: port, cidrRanges: [cidr])])
        return id
    }
}
