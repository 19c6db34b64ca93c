import Foundation

/// Where an instance's capacity comes from: on-demand (the default) or spot (spare capacity at a
/// lower price, which EC2 may reclaim with a two-minute notice in the instance's metadata).
public enum InstanceMarket: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
    case onDemand = "on-demand"
    case spot
}

/// One price of the spot market (DescribeSpotPriceHistory).
public struct SpotPrice: Sendable, Equatable {
    public var instanceType: String
    public var availabilityZone: String
    /// Dollars per hour.
    public var price: Double
    public var timestamp: String?

    init?(_ e: XMLTreeElement) {
        guard let type = e.string("instanceType"), let text = e.string("spotPrice"), let price = Double(text) else { return nil }
        instanceType = type
        availabilityZone = e.string("availabilityZone") ?? ""
        self.price = price
        timestamp = e.string("timestamp")
    }
}

/// An EBS snapshot (what an image's disk is kept as, billed per GB-month until it is deleted).
public struct Snapshot: Sendable, Equatable {
    public var snapshotId: String
    public var volumeSize: Int
    public var state: String
    public var startTime: String?
    public var description: String?
    public var tags: [Tag]

    /// The value of a tag, if the snapshot has it.
    public func tag(_ key: String) -> String? { tags.first { $0.key == key }?.value }

    init(_ e: XMLTreeElement) {
        snapshotId = e.string("snapshotId") ?? ""
        volumeSize = e.string("volumeSize").flatMap { Int($0) } ?? 0
        state = e.string("status") ?? ""
        startTime = e.string("startTime")
        description = e.string("description")
        tags = Tag.list(e)
    }
}

extension EC2Client {
    /// The EC2 error codes that say there is no capacity for a launch now (spot or on-demand):
    /// retrying the same request at once rarely helps, so they are not retried blindly, and a job
    /// falls back to its other market.
    public static let capacityCodes: Set<String> = [
        "InsufficientInstanceCapacity", "InsufficientCapacity", "InsufficientHostCapacity",
        "SpotMaxPriceTooLow", "MaxSpotInstanceCountExceeded",
    ]

    /// The current spot prices of `instanceTypes` for Linux, one per type and availability zone (the
    /// newest of each), from DescribeSpotPriceHistory with a start time of now.
    public func currentSpotPrices(instanceTypes: [String], now: Date = Date()) throws -> [SpotPrice] {
        let formatter = ISO8601DateFormatter()
        let reply = try call("DescribeSpotPriceHistory", idempotent: true) { p in
            p.setEC2List("InstanceType", instanceTypes)
            p.setEC2List("ProductDescription", ["Linux/UNIX", "Linux/UNIX (Amazon VPC)"])
            p.set("StartTime", formatter.string(from: now))
        }
        var newest: [String: SpotPrice] = [:]
        for price in reply.list("spotPriceHistorySet").compactMap(SpotPrice.init) {
            let key = price.instanceType + " " + price.availabilityZone
            if let seen = newest[key], (seen.timestamp ?? "") >= (price.timestamp ?? "") { continue }
            newest[key] = price
        }
        return newest.values.sorted { ($0.instanceType, $0.availabilityZone) < ($1.instanceType, $1.availabilityZone) }
    }

    /// The snapshots owned by this account matching `filters`.
    public func describeSnapshots(filters: [EC2Filter] = [], snapshotIds: [String] = []) throws -> [Snapshot] {
        try Paginator.all(operation: "DescribeSnapshots") { token in
            let reply = try call("DescribeSnapshots", idempotent: true) { p in
                p.setEC2List("Owner", ["self"])
                p.setEC2List("SnapshotId", snapshotIds)
                EC2Filter.add(filters, to: &p)
                p.set("NextToken", token)
            }
            return Page(items: reply.list("snapshotSet").map(Snapshot.init), nextToken: reply.string("nextToken"))
        }
    }

    /// Deletes a snapshot; one already gone is its success.
    public func deleteSnapshot(_ snapshotId: String) throws {
        _ = try call("DeleteSnapshot", idempotent: true, settled: ["InvalidSnapshot.NotFound"]) { $0.set("SnapshotId", snapshotId) }
    }
}
