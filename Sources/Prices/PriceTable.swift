import AWS
import Foundation
import Support

/// Dollars per hour of instance types in each market, and per GB-month of storage, with the date
/// they were taken and where they came from. ncaas ships one (`ShippedPrices`, us-east-1,
/// Linux); `ncaas cost --prices FILE` reads another of the same shape; on AWS the Price List API
/// may replace its on-demand prices (`PriceListLookup`). A price the table does not have is nil,
/// never zero: a reader says it is unknown.
public struct PriceTable: Sendable, Equatable {
    /// One instance type's hourly prices.
    public struct InstancePrices: Sendable, Equatable, Codable {
        public var onDemand: Double?
        public var spot: Double?

        public init(onDemand: Double?, spot: Double?) {
            self.onDemand = onDemand
            self.spot = spot
        }

        enum CodingKeys: String, CodingKey {
            case onDemand = "on-demand"
            case spot
        }
    }

    /// The hours AWS counts in a month when it turns hourly prices into monthly ones.
    public static let hoursPerMonth = 730.0

    /// When the prices were taken (`2024-12-01`).
    public var date: String
    /// The region they are for.
    public var region: String
    public var currency: String
    /// What they are (the file's own words).
    public var source: String
    /// Where the table came from: "the table shipped with ncaas" or the file's path.
    public var origin: String
    public var instances: [String: InstancePrices]
    /// Dollars per GB-month of an EBS snapshot (an image's disk).
    public var snapshotGBMonth: Double?
    /// Dollars per GB-month of S3 Standard storage.
    public var s3GBMonth: Double?

    /// Dollars per hour of `instanceType` in `market`; nil when the table has no such price.
    public func hourly(_ instanceType: String, _ market: InstanceMarket) -> Double? {
        guard let prices = instances[instanceType] else { return nil }
        return market == .spot ? prices.spot : prices.onDemand
    }

    /// The table with `onDemand` prices replacing its own (the Price List API's answers).
    public func replacingOnDemand(_ onDemand: [String: Double]) -> PriceTable {
        var copy = self
        for (type, price) in onDemand {
            copy.instances[type, default: InstancePrices(onDemand: nil, spot: nil)].onDemand = price
        }
        return copy
    }

    // MARK: Reading

    private struct File: Decodable {
        var date: String
        var region: String?
        var currency: String?
        var source: String?
        var instances: [String: InstancePrices]
        var storage: [String: Double]?
    }

    /// The table shipped with ncaas (`ShippedPrices`, compiled in).
    public static let shipped: PriceTable = {
        guard let table = try? parse(Data(ShippedPrices.json.utf8), origin: "the table shipped with ncaas") else {
            fatalError("ncaas's price table (Sources/Prices/ShippedPrices.swift) is malformed")
        }
        return table
    }()

    /// The table in the file at `path` (`ncaas cost --prices FILE`).
    public static func load(path: String) throws -> PriceTable {
        guard FileManager.default.fileExists(atPath: path) else {
            throw NCAASError(.notFound, "The price file \(path) does not exist; give the path of a JSON file shaped like ncaas's own table (see docs/cost.md).")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NCAASError(.notFound, "The price file \(path) cannot be read; check its permissions.")
        }
        return try parse(data, origin: path)
    }

    /// Parses a table; a malformed one is one sentence naming what is wrong.
    public static func parse(_ data: Data, origin: String) throws -> PriceTable {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch DecodingError.keyNotFound(let key, _) {
            throw NCAASError(.badInput, "The price file \(origin) has no \"\(key.stringValue)\"; it needs \"date\" and \"instances\" ({\"t3.micro\": {\"on-demand\": 0.0104, \"spot\": 0.0031}}), see docs/cost.md.")
        } catch {
            throw NCAASError(.badInput, "The price file \(origin) is not a price table (JSON with \"date\" and \"instances\": {\"t3.micro\": {\"on-demand\": 0.0104, \"spot\": 0.0031}}); see docs/cost.md.")
        }
        for (type, prices) in file.instances {
            for (market, price) in [("on-demand", prices.onDemand), ("spot", prices.spot)] {
                if let price, !(price >= 0 && price.isFinite) {
                    throw NCAASError(.badInput, "The price file \(origin) gives \(type) a \(market) price of \(price); a price is dollars per hour, zero or more.")
                }
            }
        }
        return PriceTable(date: file.date, region: file.region ?? "us-east-1", currency: file.currency ?? "USD",
                          source: file.source ?? "", origin: origin, instances: file.instances,
                          snapshotGBMonth: file.storage?["ebs-snapshot"], s3GBMonth: file.storage?["s3-standard"])
    }
}
