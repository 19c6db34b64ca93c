import AWS
import DevAMI
import Foundation
import Jobs
import Prices

/// What ncaas made that bills now, found by its tags alone: instances (dev, fleets by fleet,
/// managers, job and image-build instances) that are not terminated, images and their snapshots,
/// and snapshots whose image is gone. Each with its rate (hourly for instances, monthly for
/// storage; unknown, with a sentence, when the price table lacks it) and the command that ends it.
public struct StillBilling: Sendable {
    /// One thing that bills.
    public struct Item: Sendable, Equatable {
        /// What it is (by its ncaas:role tag, or what kind of storage).
        public enum Kind: String, Sendable {
            case devInstance = "dev instance"
            case fleet
            case manager
            case jobInstance = "job instance"
            case buildInstance = "image-build instance"
            case instance
            case image
            case snapshot
        }

        public var kind: Kind
        /// The instance id, the fleet's name, the image or snapshot id.
        public var id: String
        public var analysis: String
        /// What it is ("t3.micro on-demand, running"; "3 seats"; "8 GB").
        public var detail: String
        /// Dollars per hour (instances).
        public var hourly: Double?
        /// Dollars per month (storage).
        public var monthly: Double?
        /// Why the rate is unknown, when it is.
        public var unknown: String?
        /// The command that ends it.
        public var end: String

        /// What a month of it costs at its hourly rate (an instance left running, such as the job
        /// manager, which runs for as long as the stack is deployed).
        public var monthlyAtHourlyRate: Double? { hourly.map { $0 * PriceTable.hoursPerMonth } }
    }

    public var items: [Item]

    /// Dollars per hour of the instances.
    public var hourly: Double { items.compactMap(\.hourly).reduce(0, +) }
    /// Dollars per month of the storage.
    public var monthly: Double { items.compactMap(\.monthly).reduce(0, +) }

    /// What bills now, of `analysis` or of everything ncaas made; `stored` is the images and
    /// snapshots already read (`StoredData.images`).
    public static func find(ec2: EC2Client, analysis: String?, prices: PriceTable, stored: StoredData) throws -> StillBilling {
        make(instances: try instances(ec2: ec2, analysis: analysis), prices: prices, stored: stored)
    }

    /// The instances ncaas made (tagged with a role) that are not terminated, of `analysis` or of all.
    public static func instances(ec2: EC2Client, analysis: String?) throws -> [Instance] {
        var filters = [EC2Filter.hasTag(InstanceTags.role),
                       EC2Filter(name: "instance-state-name", values: ["pending", "running", "stopping", "stopped"])]
        if let analysis { filters.append(.tag(InstanceTags.analysis, analysis)) }
        return try ec2.describeInstances(filters: filters).sorted { $0.instanceId < $1.instanceId }
    }

    /// What bills, from `instances` (see `instances(ec2:analysis:)`) and `stored`, at `prices`.
    public static func make(instances: [Instance], prices: PriceTable, stored: StoredData) -> StillBilling {
        var items: [Item] = []
        let fleets = Dictionary(grouping: instances.filter { $0.tag(InstanceTags.fleet) != nil }) { $0.tag(InstanceTags.fleet) ?? "" }
        for (fleet, seats) in fleets.sorted(by: { $0.key < $1.key }) {
            let rates = seats.map { rate(of: $0, prices: prices) }
            let unknown = rates.compactMap(\.unknown).first
            let types = Set(seats.map { "\($0.instanceType) \($0.market.rawValue)" }).sorted().joined(separator: ", ")
            items.append(Item(kind: .fleet, id: fleet, analysis: seats[0].tag(InstanceTags.analysis) ?? "",
                              detail: "\(seats.count) seat\(seats.count == 1 ? "" : "s") (\(types)): \(seats.map(\.instanceId).joined(separator: ", "))",
                              hourly: unknown == nil ? rates.compactMap(\.hourly).reduce(0, +) : nil, unknown: unknown,
                              end: "ncaas fleet terminate \(fleet)"))
        }
        for instance in instances where instance.tag(InstanceTags.fleet) == nil {
            let owner = instance.tag(InstanceTags.analysis) ?? ""
            let (kind, end) = ending(instance, analysis: owner)
            let rate = rate(of: instance, prices: prices)
            items.append(Item(kind: kind, id: instance.instanceId, analysis: owner,
                              detail: "\(instance.instanceType) \(instance.market.rawValue), \(instance.state)",
                              hourly: rate.hourly, unknown: rate.unknown, end: end))
        }
        let snapshotPrice = prices.snapshotGBMonth
        let noSnapshotPrice = "The price table of \(prices.date) has no snapshot storage price (\"storage\": {\"ebs-snapshot\": …}); its rate is unknown."
        for image in stored.images {
            items.append(Item(kind: .image, id: image.imageId, analysis: image.analysis,
                              detail: "\(image.name), \(image.gigabytes) GB in \(image.snapshots.isEmpty ? "no snapshot ncaas tagged" : image.snapshots.joined(separator: ", "))",
                              monthly: snapshotPrice.map { $0 * Double(image.gigabytes) }, unknown: snapshotPrice == nil ? noSnapshotPrice : nil,
                              end: "aws ec2 deregister-image --image-id \(image.imageId), then ncaas gc\(image.analysis.isEmpty ? "" : " \(image.analysis)") (its snapshots)"))
        }
        for snapshot in stored.orphans {
            items.append(Item(kind: .snapshot, id: snapshot.snapshotId, analysis: snapshot.analysis,
                              detail: "\(snapshot.gigabytes) GB, its image is gone",
                              monthly: snapshotPrice.map { $0 * Double(snapshot.gigabytes) }, unknown: snapshotPrice == nil ? noSnapshotPrice : nil,
                              end: "ncaas gc\(snapshot.analysis.isEmpty ? "" : " \(snapshot.analysis)")"))
        }
        return StillBilling(items: items)
    }

    /// What an instance costs per hour while it runs, or why that is unknown. A stopped instance
    /// bills its disk only, whose size ncaas does not read.
    static func rate(of instance: Instance, prices: PriceTable) -> (hourly: Double?, unknown: String?) {
        if instance.stateName == .stopped || instance.stateName == .stopping {
            return (nil, "It is stopped: its disk still bills, at a rate ncaas does not know (it does not read volume sizes); terminate it to end that.")
        }
        guard let price = prices.hourly(instance.instanceType, instance.market) else {
            return (nil, PriceSentences.missing(instance.instanceType, instance.market, table: prices))
        }
        return (price, nil)
    }

    /// The kind of an instance by its role, and the command that ends it.
    static func ending(_ instance: Instance, analysis: String) -> (Item.Kind, String) {
        switch instance.tag(InstanceTags.role).flatMap(InstanceTags.Role.init(rawValue:)) {
        case .dev?: return (.devInstance, "ncaas dev terminate \(analysis)")
        case .manager?: return (.manager, "ncaas deploy \(analysis) --no-manager (or ncaas teardown \(analysis))")
        case .job?:
            let job = instance.tag(JobTags.job).map { " \($0)" } ?? ""
            let group = instance.tag(JobTags.group).map { " --group \($0)" } ?? ""
            return (.jobInstance, job.isEmpty ? "ncaas gc \(analysis)" : "ncaas jobs cancel \(analysis)\(job)\(group)")
        case .imageBuild?: return (.buildInstance, "ncaas gc \(analysis)")
        case .fleet?: return (.fleet, "ncaas fleet terminate \(instance.tag(InstanceTags.fleet) ?? "<fleet>")")
        case nil: return (.instance, "aws ec2 terminate-instances --instance-ids \(instance.instanceId)")
        }
    }
}

/// The sentences for prices a table lacks.
public enum PriceSentences {
    /// "t9.huge on spot is not in the price table of 2024-12-01, so its cost is unknown (not zero): give `--prices FILE` with it."
    public static func missing(_ instanceType: String, _ market: InstanceMarket, table: PriceTable) -> String {
        "\(instanceType) \(market == .spot ? "on spot" : "on-demand") is not in the price table of \(table.date) (\(table.origin)), so its cost is unknown (not zero); give `--prices FILE` with its price."
    }
}
