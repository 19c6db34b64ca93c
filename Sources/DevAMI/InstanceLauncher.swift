import AWS
import Foundation
import LocalCloud
import SSH
import Support

/// Launches one instance the way every ncaas workflow does: tagged (analysis, role, owner,
/// expiry), with ncaas's key, a client token, waited for until SSH answers, its host keys pinned,
/// its deadline watchdog armed. If anything fails or the process is interrupted on the way, the
/// instance is terminated: nothing launched is left behind unrecorded.
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
        /// Where SSH may come from on AWS (the local cloud has no security groups to speak of).
        public var sshCIDR: String

        public init(analysis: String, role: InstanceTags.Role, imageId: String, instanceType: String,
                    lifetime: TimeInterval, shutdownBehavior: String = "stop", sshCIDR: String = "0.0.0.0/0") {
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
    public struct Launched {
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

    /// Launches and waits. `onLaunched` runs as soon as the instance id is known (to record it).
    public func launch(_ request: Request, onLaunched: (Instance) throws -> Void = { _ in }) throws -> Launched {
        let owner = try cloud.ec2.client.sts.getCallerIdentity().arn
        let keyPair = try DevKeys.local(cloud.home)
        let keyName = try DevKeys.register(keyPair, on: cloud.ec2)
        let groups = cloud.isLocal ? [] : [try SSHSecurityGroup.ensure(on: cloud.ec2, cidr: request.sshCIDR)]
        let expiry = cloud.now().addingTimeInterval(request.lifetime)
        let tags = InstanceTags.instance(analysis: request.analysis, role: request.role, owner: owner, expiry: expiry)
        let input = RunInstancesInput(imageId: request.imageId, instanceType: request.instanceType, keyName: keyName,
                                      securityGroupIds: groups, instanceInitiatedShutdownBehavior: request.shutdownBehavior,
                                      tagSpecifications: [TagSpecification(resourceType: "instance", tags: tags),
                                                          TagSpecification(resourceType: "volume", tags: tags)])
        progress("launching a \(request.instanceType) from \(request.imageId)")

        // From here on an interruption must not leave the instance running. The client token makes
        // a second RunInstances (a retry) the same launch; the cleanup finds the instance by it.
        var launchedIds: [String] = []
        let lock = NSLock()
        let cloud = self.cloud
        let token = input.clientToken
        let cleanup = {
            lock.lock(); var ids = launchedIds; lock.unlock()
            if ids.isEmpty {
                ids = ((try? cloud.ec2.describeInstances(filters: [EC2Filter(name: "client-token", values: [token])])) ?? []).map(\.instanceId)
            }
            try? cloud.terminate(ids)
        }
        return try InterruptCleanup.shared.guarding(cleanup) {
            do {
                let reservation = try cloud.ec2.runInstances(input)
                guard let instance = reservation.instances.first else {
                    throw DevError(.unavailable, "EC2 RunInstances launched no instance.")
                }
                lock.lock(); launchedIds = [instance.instanceId]; lock.unlock()
                try onLaunched(instance)
                try cloud.backing.launched(reservation.instances, publicKey: keyPair.publicKeyLine, shutdownBehavior: request.shutdownBehavior)
                progress("\(instance.instanceId): waiting until it runs")
                let running = try cloud.ec2.waitForInstances([instance.instanceId], toBe: .running,
                                                             policy: WaiterPolicy(timeout: 600)).first ?? instance
                progress("\(instance.instanceId): waiting for SSH")
                try cloud.backing.waitUntilSSHReady(running, timeout: 120)
                let connection = InstanceConnection(cloud: cloud, keyPair: keyPair)
                try connection.pinHostKeys(of: instance.instanceId)
                let session = try connection.connect(to: running)
                try Deadline.arm(session, expiry: expiry)
                return Launched(instance: running, keyPair: keyPair, keyName: keyName, expiry: expiry, session: session)
            } catch {
                cleanup()
                throw error
            }
        }
    }
}

/// The security group that lets SSH in to ncaas's instances on AWS.
enum SSHSecurityGroup {
    static let name = "ncaas-ssh"

    static func ensure(on ec2: EC2Client, cidr: String) throws -> String {
        if let existing = try ec2.describeSecurityGroups(filters: [EC2Filter(name: "group-name", values: [name])]).first {
            return existing.groupId
        }
        let id = try ec2.createSecurityGroup(groupName: name, description: "SSH to ncaas instances", tagSpecifications: [
            TagSpecification(resourceType: "security-group", tags: [Tag(key: InstanceTags.name, value: name)]),
        ])
        try ec2.authorizeSecurityGroupIngress(groupId: id, permissions: [IpPermission(ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrRanges: [cidr])])
        return id
    }
}
