import AWS
import Costs
import DevAMI
import Foundation
import Jobs
import Prices

/// `ncaas gc [<name>]`: the garbage collector on the endpoint the AWS options name, for one
/// analysis (its blueprint gives the region) or for every analysis: job and image-build instances
/// past their purpose, and snapshots ncaas made whose image is gone; with what that saves.
public enum CollectGarbage {
    /// What one run collected.
    public struct Report {
        public var instances: [GarbageCollector.Collected]
        public var snapshots: [StoredData.SnapshotEntry]

        /// Dollars per hour no longer billed: the instances' prices, and the snapshots' monthly storage
        /// over the 730 hours AWS counts in a month.
        public var savedHourly: Double {
            instances.compactMap(\.hourly).reduce(0, +)
                + snapshots.compactMap { OrphanSnapshots.monthly($0) }.reduce(0, +) / PriceTable.hoursPerMonth
        }

        /// Whether some saving is unknown (a type the price table lacks, a stopped instance's disk).
        public var savedUnknown: Bool { instances.contains { $0.hourly == nil } }
    }

    public static func run(_ target: String?, dryRun: Bool, overrides: ConfigurationOverrides) throws -> Report {
        let cloud: DevCloud
        var analysis: String?
        if let target {
            let context = try DevContext.make(target, overrides: overrides)
            cloud = context.cloud
            analysis = context.analysis
        } else {
            cloud = try CloudConnection.devCloud(overrides: overrides)
        }
        let instances = try GarbageCollector(cloud: cloud).run(analysis: analysis, dryRun: dryRun)
        let snapshots = try OrphanSnapshots(ec2: cloud.ec2).collect(analysis: analysis, dryRun: dryRun)
        return Report(instances: instances, snapshots: snapshots)
    }
}
