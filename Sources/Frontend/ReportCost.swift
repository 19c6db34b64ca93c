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
    /// What the command was asked: the analysis (nil: every deployed one here), the group, the start, a price file.
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

    /// Reads and prices everything `options` ask for on the endpoint the AWS options name.
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
        let client = cloud.ec2.client
        var refine: ((Set<String>) -> (PriceTable, [String]))?
        var notes: [String] = []
        if options.pricesFile == nil {
            if asksPriceList(client) {
                refine = { types in
                    guard !types.isEmpty else { return (table, []) }
                    let found = PriceListLookup(pricing: client.pricing, region: client.region).onDemand(types.sorted())
                    var notes = found.hourly.isEmpty ? [] : ["on-demand prices of \(found.hourly.keys.sorted().joined(separator: ", ")) from AWS's Price List API (\(client.region), now)"]
                    notes += [found.problem].compactMap { $0 }
                    return (table.replacingOnDemand(found.hourly), notes)
                }
            } else {
                notes.append("AWS's Price List API was not asked: the endpoint \((try? client.endpointURL(for: .ec2).base) ?? "") is not AWS's (set AWS_ENDPOINT_URL_PRICING to ask one).")
            }
        }
        return try CostReport.make(targets: targets, analysis: analysis, group: options.group, since: options.since, prices: table,
                                   priceNotes: notes, refine: refine, ec2: cloud.ec2, s3: client.s3, now: cloud.now())
    }

    /// Whether to ask the Price List API: its endpoint is AWS's own, or one configured for it alone
    /// (not the endpoint every service shares, such as the local cloud's).
    static func asksPriceList(_ client: AWSClient) -> Bool {
        guard client.hasCustomEndpoint(.pricing) else { return true }
        return (try? client.endpointURL(for: .pricing).base) != (try? client.endpointURL(for: .ec2).base)
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
