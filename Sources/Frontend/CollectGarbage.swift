import AWS
import DevAMI
import Foundation
import Jobs

/// `ncaas gc [<name>]`: the garbage collector on the endpoint the AWS options name, for one
/// analysis (its blueprint gives the region) or for every analysis.
public enum CollectGarbage {
    public static func run(_ target: String?, dryRun: Bool, overrides: ConfigurationOverrides) throws -> [GarbageCollector.Collected] {
        if let target {
            let context = try DevContext.make(target, overrides: overrides)
            return try GarbageCollector(cloud: context.cloud).run(analysis: context.analysis, dryRun: dryRun)
        }
        let configuration = try AWSConfigurationResolver.forProcess(overrides: overrides).resolve(fallbackRegion: nil)
        let cloud = try DevCloud.make(client: AWSClient(configuration: configuration, transport: CurlTransport()))
        return try GarbageCollector(cloud: cloud).run(analysis: nil, dryRun: dryRun)
    }
}
