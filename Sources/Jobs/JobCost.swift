import AWS
import Foundation
import Prices

/// What an instance costs, for MAXCOST: the prices of ncaas's shipped table (`PriceTable.shipped`:
/// us-east-1, Linux) in the market the instance ran in. A type not in the table is priced at
/// `unknownHourly`, which is on the high side on purpose: a budget check should not under-count
/// (`ncaas cost`, which reports rather than guards, says "unknown" instead). The cost of a dataset
/// is its instance-hours times its price; past jobs count what their status files record
/// (`instance_launch` to `instance_terminate` of every attempt), this job its worst case (every
/// dataset running to its time limit).
public enum JobCost {
    public static let unknownHourly = 4.0

    /// Dollars per hour of `instanceType` in `market`.
    public static func price(_ instanceType: String, market: InstanceMarket = .onDemand) -> Double {
        PriceTable.shipped.hourly(instanceType, market) ?? (market == .spot ? PriceTable.shipped.hourly(instanceType, .onDemand) : nil) ?? unknownHourly
    }

    /// Dollars for `seconds` of `instanceType` in `market`.
    public static func cost(_ instanceType: String, market: InstanceMarket = .onDemand, seconds: Double) -> Double {
        price(instanceType, market: market) * max(0, seconds) / 3600
    }

    /// Dollars as text: `$1.23`.
    public static func dollars(_ amount: Double) -> String { Dollars.text(amount) }
}
