import AWS
import Foundation

/// The spot price a budget counts for an instance type: the highest current price over the
/// region's availability zones (EC2 DescribeSpotPriceHistory; ncaas does not choose the zone, so
/// the dearest one is the worst case), else the price table's typical spot price, else the table's
/// on-demand price (what EC2 caps a spot price at). Each answer says where it came from.
public struct SpotPriceLookup: Sendable {
    /// A price and its source, for sentences ("$0.0032/h spot, EC2's current price").
    public struct Answer: Sendable, Equatable {
        public var hourly: Double
        public var source: String
    }

    public var ec2: EC2Client
    public var table: PriceTable

    public init(ec2: EC2Client, table: PriceTable = .shipped) {
        self.ec2 = ec2
        self.table = table
    }

    /// The spot price of `instanceType`; nil when neither EC2 nor the table knows one.
    public func hourly(_ instanceType: String) -> Answer? {
        if let prices = try? ec2.currentSpotPrices(instanceTypes: [instanceType]), let highest = prices.map(\.price).max() {
            return Answer(hourly: highest, source: "EC2's current spot price, the highest of \(prices.count) zone\(prices.count == 1 ? "" : "s")")
        }
        if let price = table.hourly(instanceType, .spot) {
            return Answer(hourly: price, source: "the typical spot price in ncaas's price table of \(table.date)")
        }
        if let price = table.hourly(instanceType, .onDemand) {
            return Answer(hourly: price, source: "its on-demand price (EC2 knows no spot price for it), the most a spot instance costs")
        }
        return nil
    }
}
