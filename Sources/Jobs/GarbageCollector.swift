import AWS
import DevAMI
import Foundation
import Prices

/// `ncaas gc`: terminates what outlived its purpose, found by tags alone: job and image-build
/// instances past their `ncaas:expiry`, and job instances whose job has ended (its certificate
/// has STEP 4/4, so nothing will use them again). Dev instances are never touched: their own watchdog
/// stops them and their work is kept.
public struct GarbageCollector {
    /// One instance collected, and why.
    public struct Collected: Sendable, Equatable {
        public var instanceId: String
        public var analysis: String
        public var role: String
        public var reason: String
        /// What it cost per hour while it ran (ncaas's price table; nil when the table lacks its
        /// type, or it was stopped and billed its disk only).
        public var hourly: Double?
    }

    public static let roles: [InstanceTags.Role] = [.job, .imageBuild]

    public var cloud: DevCloud

    public init(cloud: DevCloud) { self.cloud = cloud }

    /// Finds (and unless `dryRun`, terminates) the instances to collect, of `analysis` or of every analysis.
    public func run(analysis: String?, dryRun: Bool) throws -> [Collected] {
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
            let hourly = instance.stateName == .stopped ? nil : PriceTable.shipped.hourly(instance.instanceType, instance.market)
            if let reason { collected.append(Collected(instanceId: instance.instanceId, analysis: owner, role: role, reason: reason, hourly: hourly)) }
        }
        if !dryRun { try cloud.terminate(collected.map(\.instanceId)) }
        return collected
    }
}
