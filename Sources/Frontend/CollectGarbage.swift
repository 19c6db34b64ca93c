import AWS
import DevAMI
import Foundation
import Jobs

/// `ncaas gc [<name>]`: the garbage collector on the endpoint the AWS options name, for one
/// analysis (its blueprint gives the region) or for every analysis.
public enum CollectGarbage {
    /// What one run collected.
    public struct Report {
        public var instances: [GarbageCollector.Collected]
    }

    public static func run(_ target: String?, dryRun: Bool, overrides: ConfigurationOverrides) throws -> Report {
        let collector: GarbageCollector
        var analysis: String?
        if let target {
            let context = try DevContext.make(target, overrides: overrides)
            collector = GarbageCollector(cloud: context.cloud)
            analysis = context.analysis
        } else {
            collector = GarbageCollector(cloud: try CloudConnection.devCloud(overrides: overrides))
        }
        return Report(instances: try collector.run(analysis: analysis, dryRun: dryRun))
    }
}
