import AWS
import DevAMI
import Foundation

/// `ncaas gc`: terminates what outlived its purpose, found by tags alone: job and image-build
/// instances past their `ncaas:expiry`, and job instances whose job has ended (its certificate
/// has STEP 4/4, so nothing will use them again); and on the local cloud, direct-access users past
/// their expiry. Dev instances are never touched: their own watchdog stops them and their work is kept.
public struct GarbageCollector {
    /// One instance collected, and why.
    public struct Collected: Sendable, Equatable {
        public var instanceId: String
        public var analysis: String
        public var role: String
        public var reason: String
    }

    public static let roles: [InstanceTags.Role] = [.job, .imageBuild]

    public var cloud: DevCloud

    public init(cloud: DevCloud) { self.cloud = cloud }

    /// Finds (and unless `dryRun`, terminates) the instances to collect, of `analysis` or of every analysis.
    public func run(analysis: String?, dryRun: Bool) throws -> [Collected] {
        _ = try? cloud.backing.syncInstanceInitiatedShutdowns()
        var filters = [EC2Filter(name: "tag:\(InstanceTags.role)", values: Self.roles.map(\.rawValue)),
                       EC2Filter(name: "instance-state-name", values: ["pending", "running", "stopping", "stopped"])]
        if let analysis { filters.append(.tag(InstanceTags.analysis, analysis)) }
        let now = cloud.now()
        let s3 = cloud.ec2.client.s3
        var collected: [Collected] = []
        for instance in try cloud.ec2.describeInstances(filters: filters) {
            let owner = instance.tag(InstanceTags.analysis) ?? ""
            let role = instance.tag(InstanceTags.role) ?? ""
            var reason: String?
            if let expiry = instance.expiry, expiry <= now {
                reason = "past its expiry \(InstanceTags.format(expiry))"
            } else if role == InstanceTags.Role.job.rawValue, let group = instance.tag(JobTags.group), let job = instance.tag(JobTags.job) {
                let key = "\(group)/results/\(job)/logs/certificate.txt"
                if let text = try? s3.getObject(bucket: instance.tag(JobTags.bucket) ?? owner, key: key), String(decoding: text, as: UTF8.self).contains("STEP 4/4") {
                    reason = "its job \(job) has ended"
                }
            } else if instance.expiry == nil {
                reason = "it has no expiry tag"
            }
            if let reason { collected.append(Collected(instanceId: instance.instanceId, analysis: owner, role: role, reason: reason)) }
        }
        if !dryRun { try cloud.terminate(collected.map(\.instanceId)) }
        return collected
    }

    /// A local stand-in for a direct-mode job's instance profile (see `DirectAccess`), deleted.
    public struct RevokedAccess: Sendable, Equatable {
        public var userName: String
        public var analysis: String
        public var reason: String
    }

    /// Finds (and unless `dryRun`, deletes) the local cloud's direct-access users past their
    /// `ncaas:expiry`: what a job manager that was killed could not revoke. Nothing on AWS, where
    /// instance profiles need no such user.
    public func revokeExpiredAccess(analysis: String?, dryRun: Bool) throws -> [RevokedAccess] {
        guard cloud.isLocal else { return [] }
        let iam = cloud.ec2.client.iam
        let now = cloud.now()
        var revoked: [RevokedAccess] = []
        for user in try iam.listUsers(pathPrefix: DirectAccess.userPath) {
            let tags = try iam.listUserTags(userName: user.userName)
            let owner = tags.first { $0.key == InstanceTags.analysis }?.value ?? ""
            if let analysis, owner != analysis { continue }
            let expiry = tags.first { $0.key == InstanceTags.expiry }.flatMap { InstanceTags.parse($0.value) }
            let reason: String
            if let expiry {
                guard expiry <= now else { continue }
                reason = "past its expiry \(InstanceTags.format(expiry))"
            } else {
                reason = "it has no expiry tag"
            }
            if !dryRun { DirectAccess.deleteUser(user.userName, iam: iam) }
            revoked.append(RevokedAccess(userName: user.userName, analysis: owner, reason: reason))
        }
        return revoked
    }
}
