import AWS
import Blueprint
import Costs
import DevAMI
import Foundation
import Jobs
import Prices
import Support

/// `ncaas cost [<name>] [--group G] [--since DATE] [--prices FILE]`: what an analysis's jobs cost
/// (or every deployed analysis's in this project's `blueprints/`), what its images and bucket
/// store, and what ncaas made that still bills, on the endpoint the AWS options name.
public enum ReportCost {
    public struct Options: Sendable {
        public var target: String?
        public var group: String?
        public var since: Date?
        public var pricesFile: String?

        public init(target: String?, group: String?, since: Date?, pricesFile: String?) {
            self.target = target
            self.group = group
            self.since = since
            self.pricesFile = pricesFile
        }
    }

    public static func run(_ options: Options, overrides: ConfigurationOverrides) throws -> CostReport {
        let table = try options.pricesFile.map(PriceTable.load(path:)) ?? .shipped
        var targets: [CostReport.Target] = []
        let cloud: DevCloud
        var analysis: String?
        if let target = options.target {
            let context = try DevContext.make(target, overrides: overrides)
            if let group = options.group {
                let affiliates = context.blueprint.affiliates.map(\.name)
                guard affiliates.contains(group) else {
                    throw NCAASError(.notFound, "The group '\(group)' is not an affiliate of \(context.analysis) (its affiliates: \(affiliates.isEmpty ? "none" : affiliates.joined(separator: ", "))).")
                }
            }
            cloud = context.cloud
            analysis = context.analysis
            targets = [costTarget(context.blueprint, analysis: context.analysis)]
        } else {
            let blueprints = projectBlueprints()
            cloud = try CloudConnection.devCloud(overrides: overrides, fallbackRegion: blueprints.first?.region)
            let s3 = cloud.ec2.client.s3
            for blueprint in blueprints {
                guard let name = blueprint.pipelineName else { continue }
                let candidate = costTarget(blueprint, analysis: name)
                if (try? s3.bucketExists(candidate.bucket)) == true { targets.append(candidate) }
            }
        }
        return try CostReport.make(targets: targets, analysis: analysis, group: options.group, since: options.since, prices: table,
                                   ec2: cloud.ec2, s3: cloud.ec2.client.s3, now: cloud.now())
    }

    private static func costTarget(_ blueprint: Blueprint, analysis: String) -> CostReport.Target {
        CostReport.Target(analysis: analysis, bucket: blueprint.bucketName ?? analysis,
                          instanceType: blueprint.lambdaConfig("INSTANCE_TYPE")?.stringValue ?? "")
    }

    /// The blueprints of this project (`blueprints/*/stack_config_template.json`) that parse.
    static func projectBlueprints() -> [Blueprint] {
        let folder = BlueprintFile.blueprintsFolder()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        return names.compactMap { name in
            let path = (folder as NSString).appendingPathComponent("\(name)/\(Blueprint.fileName)")
            return (try? BlueprintFile.load(path)).map(Blueprint.init(document:))
        }
    }

    /// `--since`: a day (`2026-01-31`, UTC midnight) or an ISO 8601 time; nil when it is neither.
    public static func date(_ text: String) -> Date? {
        if let time = InstanceTags.parse(text) { return time }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: text)
    }
}
