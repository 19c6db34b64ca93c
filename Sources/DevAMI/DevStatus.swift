import AWS
import Foundation

/// `ncaas dev status`: the dev instance as the cloud reports it.
public struct DevStatus: Sendable {
    public var instanceId: String
    public var state: String
    public var instanceType: String
    public var imageId: String
    /// "host:port" where SSH answers, when it has an address.
    public var address: String?
    public var launchedAt: Date
    public var expiresAt: Date
    /// Images created from this instance, oldest first.
    public var imageIds: [String]
    public var owner: String?

    /// Seconds since launch, at `now`.
    public func uptime(at now: Date) -> TimeInterval { max(0, now.timeIntervalSince(launchedAt)) }
    /// Seconds left before the deadline (negative when past it).
    public func timeLeft(at now: Date) -> TimeInterval { expiresAt.timeIntervalSince(now) }

    /// The status of `analysis`'s dev instance; its record is rebuilt from tags when missing or stale.
    public static func of(_ analysis: String, on cloud: DevCloud) throws -> DevStatus {
        let (instance, record) = try DevInstances(cloud: cloud).current(analysis)
        return DevStatus(instanceId: instance.instanceId, state: instance.state, instanceType: instance.instanceType,
                         imageId: instance.imageId, address: instance.stateName == .running ? InstanceConnection.address(of: instance).map { "\($0):\(cloud.sshPort)" } : nil,
                         launchedAt: record.launchedAt, expiresAt: instance.expiry ?? record.expiresAt,
                         imageIds: record.imageIds, owner: instance.tag(InstanceTags.owner))
    }
}
