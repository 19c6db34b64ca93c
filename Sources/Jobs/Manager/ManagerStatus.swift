import AWS
import Deploy
import DevAMI
import Foundation

/// The in-stack job manager as the cloud shows it, for `ncaas manager status` and for a deploy that
/// waits for it: its instances (by tag), its heartbeat, the job queue, and, when the heartbeat is
/// missing or old, what its console says (the supervisor writes its milestones and failures there).
public struct ManagerStatus: Sendable {
    public var analysis: String
    public var instances: [Instance]
    public var heartbeat: ManagerHeartbeat?
    /// Seconds since the heartbeat was written.
    public var heartbeatAge: TimeInterval?
    public var queueDepth: Int?
    public var queueInFlight: Int?
    /// The supervisor's lines from the console of the newest instance.
    public var consoleLines: [String]

    /// A heartbeat this fresh means the manager serves.
    public static let freshness: TimeInterval = 60

    public var isServing: Bool { (heartbeatAge ?? .infinity) < Self.freshness }

    /// One sentence when it does not serve: why, as far as the cloud can tell.
    public var problem: String? {
        guard !isServing else { return nil }
        guard let instance = instances.first else {
            return "\(analysis) has no job manager instance (deployed with --no-manager, or its Auto Scaling group is replacing it)."
        }
        let said = consoleLines.last.map { " Its console says: \($0)" } ?? ""
        if heartbeat == nil {
            return "The job manager \(instance.instanceId) (\(instance.state)) has not written a heartbeat yet.\(said)"
        }
        return "The job manager's last heartbeat is \(Int(heartbeatAge ?? 0)) s old (\(instance.instanceId) is \(instance.state)).\(said)"
    }

    public static func collect(analysis: String, bucket: String, queueName: String, cloud: DevCloud, now: Date = Date()) throws -> ManagerStatus {
        let client = cloud.ec2.client
        let instances = try cloud.ec2.describeInstances(filters: [
            .tag(InstanceTags.analysis, analysis), .tag(InstanceTags.role, InstanceTags.Role.manager.rawValue),
            EC2Filter(name: "instance-state-name", values: ["pending", "running", "stopping", "stopped", "shutting-down"]),
        ]).sorted { ($0.launchTime ?? "") > ($1.launchTime ?? "") }
        var status = ManagerStatus(analysis: analysis, instances: instances, heartbeat: nil, heartbeatAge: nil, queueDepth: nil,
                                   queueInFlight: nil, consoleLines: [])
        if let data = try? client.s3.getObject(bucket: bucket, key: ManagerLayout.heartbeatKey), let heartbeat = ManagerHeartbeat.parse(data) {
            status.heartbeat = heartbeat
            status.heartbeatAge = InstanceTags.parse(heartbeat.at).map { max(0, now.timeIntervalSince($0)) }
        }
        if let url = try? client.sqs.getQueueURL(name: queueName), let attributes = try? client.sqs.getQueueAttributes(queueURL: url) {
            status.queueDepth = attributes["ApproximateNumberOfMessages"].flatMap { Int($0) }
            status.queueInFlight = attributes["ApproximateNumberOfMessagesNotVisible"].flatMap { Int($0) }
        }
        if !status.isServing, let newest = instances.first, let console = try? cloud.ec2.consoleOutput(instanceId: newest.instanceId) {
            status.consoleLines = console.split(separator: "\n").map(String.init).filter { $0.contains("ncaas-manager:") }.suffix(5).map { $0 }
        }
        return status
    }
}
