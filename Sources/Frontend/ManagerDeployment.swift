import AWS
import Blueprint
import Deploy
import DevAMI
import Foundation
import Jobs
import Prices
import Support

/// What `ncaas deploy` does for the in-stack job manager once the stack is up: ships the ncaas build
/// and the blueprint to `s3://<bucket>/ncaas/`, then waits for the manager's first heartbeat running
/// that build, and reports failure (with what the manager's console says) rather than success when
/// it does not come.
public struct ManagerDeployment {
    public struct Options: Sendable {
        /// False: `--no-manager` (the stack is rendered without it).
        public var enabled: Bool
        /// `--manager-binary`.
        public var binary: String?
        /// How long to wait for the first heartbeat.
        public var timeout: TimeInterval

        public init(enabled: Bool = true, binary: String? = nil, timeout: TimeInterval = 300) {
            self.enabled = enabled
            self.binary = binary
            self.timeout = timeout
        }
    }

    /// The manager as deployed.
    public struct Outcome: Sendable {
        public var instanceType: String
        /// On-demand dollars a month (730 hours) at the shipped price table, nil when the type is not in it.
        public var monthlyDollars: Double?
        public var shipped: ManagerShipping.Shipped
        public var heartbeat: ManagerHeartbeat
    }

    public var cloud: DevCloud
    public var naming: StackNaming
    public var settings: ManagerSettings
    public var progress: (String) -> Void

    public static func monthlyDollars(_ instanceType: String) -> Double? {
        PriceTable.shipped.hourly(instanceType, .onDemand).map { $0 * PriceTable.hoursPerMonth }
    }

    public func run(binary: String, blueprintPath: String, timeout: TimeInterval) throws -> Outcome {
        let s3 = cloud.ec2.client.s3
        let layout = ManagerLayout(bucket: naming.bucketName)
        guard let blueprint = FileManager.default.contents(atPath: blueprintPath) else {
            throw NCAASError(.notFound, "\(blueprintPath) cannot be read.")
        }
        progress("shipping ncaas and the blueprint to s3://\(layout.bucket)/ncaas/")
        let shipped = try ManagerShipping(s3: s3, layout: layout).ship(binary: binary, blueprint: blueprint)
        progress("waiting for the job manager's first heartbeat (it boots, fetches ncaas, starts serving)")
        let deadline = Date().addingTimeInterval(timeout)
        var delay = 0.5
        while true {
            if let data = try? s3.getObject(bucket: layout.bucket, key: ManagerLayout.heartbeatKey),
               let heartbeat = ManagerHeartbeat.parse(data), heartbeat.build == shipped.build {
                return Outcome(instanceType: settings.instanceType, monthlyDollars: Self.monthlyDollars(settings.instanceType),
                               shipped: shipped, heartbeat: heartbeat)
            }
            guard Date() < deadline else { break }
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 1.5, 3)
        }
        let status = try? ManagerStatus.collect(analysis: naming.analysis, bucket: naming.bucketName, queueName: naming.jobQueueName, cloud: cloud)
        let why = status?.problem ?? "it wrote no heartbeat."
        throw NCAASError(.unavailable, "The stack is deployed, but its job manager did not start serving within \(Int(timeout)) s: \(why) See `ncaas manager status \(naming.analysis)`.")
    }
}
