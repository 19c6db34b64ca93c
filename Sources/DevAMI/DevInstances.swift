import AWS
import Foundation
import Support

/// Finds an analysis's dev instance: from its record when that still matches the cloud, else
/// from the tags (and then writes the record again). The cloud is always the truth.
public struct DevInstances: Sendable {
    public var cloud: DevCloud

    public init(cloud: DevCloud) { self.cloud = cloud }

    /// The live (not terminated) dev instances of `analysis`, newest first.
    public func live(_ analysis: String) throws -> [Instance] {
        let found = try cloud.ec2.describeInstances(filters: InstanceTags.liveFilters(analysis: analysis, role: .dev))
        return found.sorted { ($0.launchTime ?? "") > ($1.launchTime ?? "") }
    }

    /// The dev instance of `analysis` and its record (rebuilt from tags when missing or stale).
    /// - Throws: `DevError.notFound` when there is none.
    public func current(_ analysis: String) throws -> (instance: Instance, record: DevRecord) {
        let cached = cloud.records.load(analysis).flatMap { $0.endpoint == cloud.endpoint ? $0 : nil }
        guard let instance = try live(analysis).first else {
            if cached != nil { cloud.records.remove(analysis) }
            throw DevError(.notFound, "\(analysis) has no dev instance on \(cloud.endpoint); start one with `ncaas dev launch \(AnalysisHint.name(analysis))`.")
        }
        if let cached, cached.instanceId == instance.instanceId,
           cached.expiresAt == instance.expiry ?? cached.expiresAt {
            return (instance, cached)
        }
        let record = try rebuild(analysis, from: instance)
        try? cloud.records.save(record)
        return (instance, record)
    }

    /// A record made from the instance's tags and the images tagged as made from it.
    public func rebuild(_ analysis: String, from instance: Instance) throws -> DevRecord {
        let images = try cloud.ec2.describeImages(owners: ["self"], filters: [.tag(InstanceTags.sourceInstance, instance.instanceId)])
            .sorted { ($0.creationDate ?? "") < ($1.creationDate ?? "") }
        let launched = instance.launchDate ?? cloud.now()
        return DevRecord(analysis: analysis, instanceId: instance.instanceId, endpoint: cloud.endpoint, region: cloud.region,
                         keyName: instance.keyName ?? "", launchedAt: launched,
                         expiresAt: instance.expiry ?? launched, imageIds: images.map(\.imageId))
    }
}
