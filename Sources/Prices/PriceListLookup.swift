import AWS
import Foundation

/// On-demand prices from AWS's Price List API (`pricing:GetProducts`), for the instance types a
/// report needs in the caller's region: Linux, shared tenancy, no pre-installed software. The API
/// is AWS's own catalogue; ncaas asks it on AWS, and keeps its table where the caller may not.
public struct PriceListLookup: Sendable {
    /// What the lookup found, and why it found no more.
    public struct Outcome: Sendable, Equatable {
        /// Dollars per hour on-demand, by instance type.
        public var hourly: [String: Double]
        /// Why the API was not (fully) used: one sentence, nil when every type was found.
        public var problem: String?
    }

    public var pricing: PricingClient
    public var region: String

    public init(pricing: PricingClient, region: String) {
        self.pricing = pricing
        self.region = region
    }

    /// The on-demand prices of `instanceTypes`; stops at the first refusal (no permission, no
    /// network) and says so.
    public func onDemand(_ instanceTypes: [String]) -> Outcome {
        var hourly: [String: Double] = [:]
        var missing: [String] = []
        for type in instanceTypes {
            do {
                let products = try pricing.products(serviceCode: "AmazonEC2", filters: [
                    .init("instanceType", type), .init("regionCode", region), .init("operatingSystem", "Linux"),
                    .init("tenancy", "Shared"), .init("preInstalledSw", "NA"), .init("capacitystatus", "Used"),
                ])
                if let price = products.lazy.compactMap(Self.onDemandUSD).first { hourly[type] = price } else { missing.append(type) }
            } catch {
                return Outcome(hourly: hourly, problem: "The Price List API did not answer (\(error)); the table's on-demand prices are used.")
            }
        }
        let problem = missing.isEmpty ? nil
            : "The Price List API has no Linux on-demand price for \(missing.joined(separator: ", ")) in \(region); the table's are used."
        return Outcome(hourly: hourly, problem: problem)
    }

    /// The hourly USD price of a price list document's on-demand terms (nil when it has none above zero).
    static func onDemandUSD(_ document: [String: Any]) -> Double? {
        let offers = (document["terms"] as? [String: Any])?["OnDemand"] as? [String: Any] ?? [:]
        for offer in offers.values {
            let dimensions = (offer as? [String: Any])?["priceDimensions"] as? [String: Any] ?? [:]
            for dimension in dimensions.values {
                if let text = ((dimension as? [String: Any])?["pricePerUnit"] as? [String: Any])?["USD"] as? String,
                   let price = Double(text), price > 0 {
                    return price
                }
            }
        }
        return nil
    }
}
